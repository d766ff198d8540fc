"""Brakes on password guessing: the admin's login (django-axes) and pages' passwords
(newsroom/lockout.py) refuse a guesser after AXES_FAILURE_LIMIT wrong passwords."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
LIMIT = settings.AXES_FAILURE_LIMIT


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def editor_and_verifier(editor, verifier):
    return editor, verifier


def test_the_limit_and_cool_off_are_set():
    assert LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_after_the_limit_even_the_right_password_is_refused_with_the_lockout_page(editor):
    guesser = Client()
    for _ in range(LIMIT - 1):
        response = log_in(guesser, "editor", "wrong-password")
        assert response.status_code == 200
        assert not is_logged_in(guesser)
    assert log_in(guesser, "editor", "wrong-password").status_code == 429
    response = log_in(guesser, "editor", PASSWORD)
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()
    assert not is_logged_in(guesser)


def test_fewer_wrong_passwords_than_the_limit_still_let_the_right_one_in(editor):
    client = Client()
    for _ in range(LIMIT - 1):
        log_in(client, "editor", "wrong-password")
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_locked_out_user_does_not_lock_out_others_or_other_addresses(editor_and_verifier):
    for _ in range(LIMIT):
        log_in(Client(), "editor", "wrong-password")
    assert log_in(Client(), "editor", PASSWORD).status_code == 429

    other_user = Client()
    assert log_in(other_user, "verifier", PASSWORD).status_code == 302
    assert is_logged_in(other_user)

    same_user_elsewhere = Client()
    assert log_in(same_user_elsewhere, "editor", PASSWORD, address="10.0.0.2").status_code == 302
    assert is_logged_in(same_user_elsewhere)


def test_many_right_logins_never_lock_anyone_out(db):
    UserFactory(username="regular", groups=["Editors"])
    for _ in range(LIMIT * 3):
        client = Client()
        assert log_in(client, "regular", PASSWORD).status_code == 302
        assert is_logged_in(client)


def guess(client, url, page, password, address="10.0.0.1"):
    return client.post(url, {"password": password, "return_url": page.url}, REMOTE_ADDR=address)


def test_page_password_guesses_are_limited_per_address(protected_page):
    page, url = protected_page
    guesser = Client()
    for _ in range(LIMIT - 1):
        assert guess(guesser, url, page, "wrong").status_code == 200
    assert guess(guesser, url, page, "wrong").status_code == 429
    response = guess(guesser, url, page, "s3cret")
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert guesser.get(page.url, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert "Internal memo" not in guesser.get(page.url, REMOTE_ADDR="10.0.0.1").content.decode()

    reader = Client()
    response = guess(reader, url, page, "s3cret", address="10.0.0.2")
    assert response.status_code == 302
    assert "Internal memo" in reader.get(page.url).content.decode()


def test_the_right_page_password_within_the_limit_opens_the_page(protected_page):
    page, url = protected_page
    reader = Client()
    for _ in range(LIMIT - 1):
        guess(reader, url, page, "wrong")
    assert guess(reader, url, page, "s3cret").status_code == 302
    assert "Internal memo" in reader.get(page.url).content.decode()


def test_the_page_password_form_is_served_through_the_throttled_view(protected_page):
    from django.urls import resolve

    from newsroom.lockout import authenticate_with_password

    _, url = protected_page
    assert resolve(url).func is authenticate_with_password


def test_asking_who_holds_a_permission_needs_no_backend_named(verifier, editor):
    from django.contrib.auth import get_user_model

    holders = get_user_model().objects.with_perm("newsroom.verify_claim")
    assert verifier in holders
    assert editor not in holders

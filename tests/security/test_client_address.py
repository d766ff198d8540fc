"""Whose guesses they are: behind a trusted proxy (NEWSROOM_TRUSTED_PROXIES) the address it
put in X-Forwarded-For, else the connecting address, for the admin's login (django-axes)
and pages' passwords alike; a forged X-Forwarded-For from anyone else changes nothing. And a
reader sent to log in with a `next` that is refused lands on the home page."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from newsroom.throttling.models import FailedGuesses
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT
PROXY = "127.0.0.1"
STRANGER = "203.0.113.9"


def guess(url, page, password, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    data = {"password": password, "return_url": page.url}
    return Client().post(url, data, **headers)


def test_the_proxys_forwarded_address_is_whose_guesses_they_are(protected_page):
    page, url = protected_page
    for _ in range(LIMIT):
        guess(url, page, "wrong", PROXY, forwarded="198.51.100.1")
    assert guess(url, page, "s3cret", PROXY, forwarded="198.51.100.1").status_code == 429
    # Another reader behind the same proxy is not locked out.
    assert guess(url, page, "s3cret", PROXY, forwarded="198.51.100.2").status_code == 302
    assert list(FailedGuesses.objects.values_list("address", "failures")) == [
        ("198.51.100.1", LIMIT)
    ]


def test_a_forged_forwarded_address_from_a_stranger_is_ignored(protected_page):
    page, url = protected_page
    for number in range(LIMIT):
        guess(url, page, "wrong", STRANGER, forwarded=f"198.51.100.{number}")
    # Every guess counted against the stranger's own address, whatever it claimed.
    assert list(FailedGuesses.objects.values_list("address", "failures")) == [(STRANGER, LIMIT)]
    assert guess(url, page, "s3cret", STRANGER, forwarded="198.51.100.77").status_code == 429
    # Nor can it lock out the address it names.
    assert guess(url, page, "s3cret", PROXY, forwarded="198.51.100.0").status_code == 302


def log_in(password, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    data = {"username": "editor", "password": password}
    return Client().post(reverse("wagtailadmin_login"), data, **headers)


def test_admin_logins_are_counted_per_forwarded_address_only_from_the_proxy(editor):
    for _ in range(LIMIT):
        log_in("wrong", PROXY, forwarded="198.51.100.1")
    assert log_in("correct-horse-battery", PROXY, forwarded="198.51.100.1").status_code == 429
    assert log_in("correct-horse-battery", PROXY, forwarded="198.51.100.2").status_code == 302
    for number in range(LIMIT):
        log_in("wrong", STRANGER, forwarded=f"198.51.100.{10 + number}")
    assert log_in("correct-horse-battery", STRANGER, forwarded="198.51.100.3").status_code == 429
    assert log_in("correct-horse-battery", PROXY, forwarded="198.51.100.10").status_code == 302


def test_a_forwarded_header_listing_more_than_the_proxy_set_is_not_believed(protected_page):
    page, url = protected_page
    guess(url, page, "wrong", PROXY, forwarded="198.51.100.5, 198.51.100.6")
    assert list(FailedGuesses.objects.values_list("address", flat=True)) == [PROXY]


def test_a_refused_next_after_logging_in_lands_on_the_home_page(db):
    UserFactory(username="reader", groups=[])
    response = Client().post(
        reverse("wagtailcore_login") + "?next=https://evil.example/",
        {"username": "reader", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_refused_return_url_after_a_page_password_lands_on_the_home_page(protected_page):
    page, url = protected_page
    response = Client().post(url, {"password": "s3cret", "return_url": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


# The counter itself.


def test_the_count_starts_again_after_the_cool_off(db, settings):
    cooloff = settings.AXES_COOLOFF_TIME
    assert [FailedGuesses.objects.record("10.0.0.1", cooloff) for _ in range(3)] == [1, 2, 3]
    FailedGuesses.objects.update(last_failure=FailedGuesses.objects.get().last_failure - cooloff)
    assert FailedGuesses.objects.failures("10.0.0.1", cooloff) == 0
    assert FailedGuesses.objects.record("10.0.0.1", cooloff) == 1
    FailedGuesses.objects.update(last_failure=FailedGuesses.objects.get().last_failure - cooloff)
    assert FailedGuesses.objects.forget_expired(cooloff) == 1
    assert not FailedGuesses.objects.exists()


GUESSERS = 8
GUESSES_EACH = 5


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="two connections writing at once need PostgreSQL",
)
# serialized_rollback, as every transactional test here: the flush after one without it
# makes the content types again, which the next one's restore then duplicates.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_guesses_at_the_same_moment_are_each_counted():
    cooloff = settings.AXES_COOLOFF_TIME
    start = threading.Barrier(GUESSERS)
    counts, errors = [], []

    def guesser():
        try:
            start.wait()
            for _ in range(GUESSES_EACH):
                counts.append(FailedGuesses.objects.record("10.0.0.1", cooloff))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=guesser) for _ in range(GUESSERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = GUESSERS * GUESSES_EACH
    assert sorted(counts) == list(range(1, total + 1))
    assert FailedGuesses.objects.get().failures == total

"""Brakes on password guessing, in Chromium: after five wrong passwords the admin's login
answers with the lockout page, and the right password is refused too; another user still
logs in. A private page's password form locks the same way. Axe checks the lockout page.
Screenshots go to test-artifacts/screenshots/<test name>/."""

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail.models import PageViewRestriction

from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import explainer_page

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def try_password(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_the_admin_login_locks_after_the_limit(page, live_server, editor, verifier, screenshot):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        try_password(page, live_server, "editor", "not-the-password")
        expect(page.locator("form")).to_be_visible()
    screenshot("wrong-password")
    try_password(page, live_server, "editor", "not-the-password")
    expect(page.locator("h1")).to_have_text("Too many wrong passwords")
    try_password(page, live_server, "editor", "correct-horse-battery")
    expect(page.locator("h1")).to_have_text("Too many wrong passwords")
    expect(page.locator("main")).to_contain_text("Try again in 15 minutes")
    screenshot("locked-out")
    assert_no_axe_violations(page)

    log_in(page, live_server, "verifier")
    expect(page).to_have_url(f"{live_server.url}/admin/")


def test_a_page_password_form_locks_after_the_limit(page, live_server, screenshot):
    memo = explainer_page("Internal memo on the call")
    PageViewRestriction.objects.create(
        page=memo, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page.goto(live_server.url + memo.url)
        page.fill("input[name=password]", "guess")
        page.click("[type=submit]")
        expect(page.locator("input[name=password]")).to_be_visible()
    screenshot("wrong-page-password")
    page.fill("input[name=password]", "guess")
    page.click("[type=submit]")
    expect(page.locator("h1")).to_have_text("Too many wrong passwords")
    page.goto(live_server.url + memo.url)
    page.fill("input[name=password]", "s3cret")
    page.click("[type=submit]")
    expect(page.locator("h1")).to_have_text("Too many wrong passwords")
    screenshot("page-password-locked-out")
    assert_no_axe_violations(page)

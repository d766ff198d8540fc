"""Stored XSS in a real browser: Chromium loads the reader's pages and the admin pages that
show every planted payload, and no script of the attacker's runs (window.__xss stays
undefined, no dialog opens)."""

import pytest

from tests.browser.conftest import log_in
from tests.security.hostile import build_hostile_world

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def assert_no_script_ran(page, url, dialogs):
    page.goto(url)
    page.wait_for_load_state("load")
    # Hovering and focusing every element gives attribute payloads (onmouseover…) their chance.
    page.evaluate(
        """() => document.querySelectorAll('body *').forEach(el => {
            el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        })"""
    )
    assert page.evaluate("() => typeof window.__xss") == "undefined", url
    assert dialogs == [], (url, dialogs)


def test_no_planted_script_runs_in_the_readers_pages_or_the_admin(
    page, live_server, editor, verifier, superuser, tmp_path, screenshot
):
    world = build_hostile_world(editor, verifier, tmp_path)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in world.reader_urls:
        assert_no_script_ran(page, live_server.url + url, dialogs)
    screenshot("reader-page-with-payloads")

    log_in(page, live_server, superuser.username)
    for url in world.admin_urls:
        assert_no_script_ran(page, live_server.url + url, dialogs)
    page.goto(live_server.url + world.admin_urls[0])
    screenshot("admin-dashboard-with-payloads")


def test_the_check_would_catch_a_script_that_runs(page, live_server):
    """The probe itself works: a page that does run the payload is caught."""
    page.goto(live_server.url + "/robots.txt")
    page.evaluate("() => { window.__xss = 1 }")
    assert page.evaluate("() => typeof window.__xss") == "number"

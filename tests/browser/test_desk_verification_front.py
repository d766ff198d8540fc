"""Verification in front, in Chromium: a verifier goes from the dashboard's queue awaiting
verification straight to the verification form; on their own claim the form says at once
that someone else must decide, names who, and its Record button is disabled; the claim's
edit view has a "Verify…" header button for a verifier and none for an editor. Axe checks
the dashboard and the form with its banner. Screenshots go to
test-artifacts/screenshots/<test name>/."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import UserFactory, claim_url, claim_with_evidence

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OTHERS = "The envoys met in Geneva on Tuesday."
OWN = "The verifier wrote this claim about the talks."


@pytest.fixture
def claims(editor, verifier):
    UserFactory(username="zoe", first_name="Zoe", last_name="Adams", groups=["Verifiers"])
    return {
        "others": claim_with_evidence(editor, ("supports", "supports"), statement=OTHERS),
        "own": claim_with_evidence(verifier, ("supports", "supports"), statement=OWN),
    }


def test_a_verifier_decides_from_the_dashboard(page, live_server, claims, screenshot):
    log_in(page, live_server, "verifier")
    queue = page.locator("#claims-awaiting-verification")
    expect(queue).to_be_visible()
    own_row = queue.locator("tr", has_text=OWN)
    expect(own_row.locator(".claim-author-you")).to_have_text("You wrote this claim")
    expect(queue.locator("tr", has_text=OTHERS).locator(".claim-queue-author")).to_have_text(
        "editor"
    )
    screenshot("dashboard")
    assert_no_axe_violations(page)

    queue.get_by_role("link", name=OTHERS, exact=True).click()
    page.wait_for_url(f"{live_server.url}{claim_url('verify', claims['others'])}")
    expect(page.locator("#four-eyes-banner")).to_have_count(0)
    expect(page.get_by_role("button", name="Record decision")).to_be_enabled()
    screenshot("verify-others-claim")


def test_a_verifier_is_told_at_once_not_to_decide_their_own_claim(
    page, live_server, claims, screenshot
):
    log_in(page, live_server, "verifier")
    page.goto(f"{live_server.url}{claim_url('verify', claims['own'])}")
    banner = page.locator("#four-eyes-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("You wrote this claim, so someone else must verify it")
    expect(banner).to_contain_text("Another verifier must decide it: Zoe Adams (zoe).")
    expect(page.get_by_role("button", name="Record decision")).to_be_disabled()
    screenshot("verify-own-claim-banner")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("username, shown", [("verifier", True), ("editor", False)])
def test_the_edit_view_header_has_a_verify_button_for_verifiers(
    page, live_server, claims, screenshot, username, shown
):
    log_in(page, live_server, username)
    page.goto(f"{live_server.url}{claim_url('edit', claims['others'])}")
    header = page.locator("#w-slim-header-buttons")
    verify = header.get_by_role("link", name="Verify…")
    if shown:
        expect(verify).to_be_visible()
        expect(verify).to_have_attribute("href", claim_url("verify", claims["others"]))
    else:
        expect(page.get_by_role("heading").first).to_be_visible()
        expect(verify).to_have_count(0)
    screenshot(f"edit-header-{username}")
    if shown:
        verify.click()
        page.wait_for_url(f"{live_server.url}{claim_url('verify', claims['others'])}")

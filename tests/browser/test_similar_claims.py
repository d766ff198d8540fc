"""Similar claims in Chromium: as an editor types a new claim's statement, the "Similar
claims" panel lists the claim the desk already has, with its status, evidence and citing
explainers, without a reload; its link opens that claim. Axe checks the open panel.
Screenshots go to test-artifacts/screenshots/<test name>/."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import ClaimFactory, EvidenceFactory, claim_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXISTING = "Putin is ready for dialogue with Macron, the Kremlin said."
TYPED = "The Kremlin said Putin was ready for a dialogue with Macron."


def test_typing_a_statement_lists_the_claim_the_desk_already_has(
    page, live_server, editor, screenshot
):
    existing = ClaimFactory(statement=EXISTING)
    EvidenceFactory(claim=existing)
    ClaimFactory(statement="Olaf Scholz warned in Berlin that energy prices would keep rising.")
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{claim_url('add')}")
    toggle = page.get_by_role("button", name="Similar claims (0)")
    expect(toggle).to_be_visible()
    toggle.click()
    panel = page.locator("[data-side-panel='similar-claims']")
    expect(panel).to_contain_text("No existing claim looks like this statement.")
    loads = []
    page.on("load", lambda _: loads.append(1))

    page.get_by_role("textbox", name="Statement").press_sequentially(TYPED, delay=5)

    found = panel.locator("li.similar-claim")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(EXISTING)
    expect(found).to_contain_text("Unverified")
    expect(found).to_contain_text("1 quote")
    expect(found).to_contain_text("cited by 0 live explainers")
    expect(page.get_by_role("button", name="Similar claims (1)")).to_be_visible()
    assert not loads, "the list came without a reload"
    page.wait_for_timeout(500)  # the panel slides in: let it settle for the screenshot
    screenshot("similar-claim-listed")
    assert_no_axe_violations(page, within="[data-side-panel='similar-claims']")

    found.get_by_role("link", name=EXISTING).click()
    expect(page).to_have_url(f"{live_server.url}{claim_url('inspect', existing)}")

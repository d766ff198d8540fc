"""Claim review in Chromium: an editor rewords a verified claim a live explainer cites; the
form says what readers will see, publishing submits the change, readers keep the verified
words; a second verifier approves it from the claim's form, and readers see the new words,
still verified. Screenshots under test-artifacts/screenshots/test_claim_review_*/."""

import pytest
from playwright.sync_api import expect

from newsroom.desk.models import Claim
from tests.browser.admin_steps import open_footer_actions, switch_user
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import (
    UserFactory,
    cited_claim_block,
    claim_with_evidence,
    explainer_page,
    verified,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_WORDING = "Putin told Macron through a spokesman that he was ready to talk."


def test_a_change_to_a_verified_claim_waits_for_a_verifier(
    page, live_server, editor, verifier, screenshot
):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    claim.save_revision(user=editor).publish(user=editor)
    verified(claim, verifier, note="Two outlets report it.")
    explainer = explainer_page("Is Putin ready to talk?", body=[cited_claim_block(claim)])
    old_wording = Claim.objects.get(pk=claim.pk).statement
    UserFactory(username="second", groups=["Verifiers"])

    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/snippets/newsroom/claim/edit/{claim.pk}/")
    panel = page.locator("[data-claim-readers]")
    expect(panel).to_contain_text("1 live explainer cites this claim")
    expect(panel).to_contain_text("publishing sends the change to Claim review")
    assert_no_axe_violations(page, within="[data-claim-readers]")
    page.locator("[name=statement]").fill(NEW_WORDING)
    screenshot("editor-rewords-a-verified-claim")
    open_footer_actions(page)
    page.locator("button[name=action-publish]").click()
    expect(page.locator(".messages").first).to_contain_text("submitted to Claim review")
    screenshot("change-submitted")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{explainer.url}")
    card = page.locator(f"#claim-{claim.pk}")
    expect(card).to_contain_text(old_wording)
    expect(card.locator(".badge")).to_have_text("Verified")
    screenshot("readers-keep-the-verified-words")

    switch_user(page, live_server, "second")
    page.goto(f"{live_server.url}/admin/snippets/newsroom/claim/edit/{claim.pk}/")
    open_footer_actions(page)
    page.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    ).click()
    expect(page.locator(".messages").first).to_contain_text("approved and published")
    screenshot("verifier-approves")
    claim.refresh_from_db()
    assert (claim.statement, claim.status, claim.verified_by.username) == (
        NEW_WORDING,
        Claim.Status.VERIFIED,
        "second",
    )

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{explainer.url}")
    card = page.locator(f"#claim-{claim.pk}")
    expect(card).to_contain_text(NEW_WORDING)
    expect(card.locator(".badge")).to_have_text("Verified")
    assert_no_axe_violations(page)
    screenshot("readers-see-the-approved-words")

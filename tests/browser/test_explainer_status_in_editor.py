"""Claim status where explainers are written, in Chromium: the editor adds a claim block, the
claim chooser shows each statement in full with its status badge, the chosen claim's badge
shows in the block, and Save and Submit each warn, naming the claim in the way; then a
verifier approves from the page editor and is told it went through. Axe checks the chooser
and the block (the message itself is Wagtail's own component). Screenshots go to
test-artifacts/screenshots/<test name>/."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from explainers.models import ExplainerPage
from newsroom.desk.models import Claim
from tests.browser.admin_steps import approve_in_page_editor, open_footer_actions
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import cited_claim_block, claim_with_evidence, explainer_page, verified

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VERIFIED = "The Kremlin said Putin is ready for dialogue with Macron."
UNVERIFIED = (
    "Macron will fly to Moscow in January, according to two officials who spoke on condition "
    "of anonymity to reporters travelling with the delegation."
)
DISPUTED = "Paris will recognise the annexation."


@pytest.fixture
def claims(editor, verifier):
    return {
        "verified": verified(
            claim_with_evidence(editor, ("supports",) * 2, statement=VERIFIED), verifier
        ),
        "unverified": claim_with_evidence(editor, ("supports",), statement=UNVERIFIED),
        "disputed": verified(
            claim_with_evidence(editor, ("disputes",), statement=DISPUTED),
            verifier,
            Claim.Status.DISPUTED,
        ),
    }


def test_the_editor_sees_claim_status_while_writing(page, live_server, claims, editor, screenshot):
    draft = explainer_page(
        "Are they talking?", body=[cited_claim_block(claims["verified"])], publish=False
    )
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")

    # The block already there shows its claim's badge, drawn from the server's value data.
    first = page.locator(".claim-chooser").first
    expect(first.locator("[data-chooser-title]")).to_have_text(VERIFIED)
    expect(first.locator("[data-claim-status]")).to_have_text("Verified")

    # A new claim block: the chooser lists statements in full, each with its badge.
    page.locator("[data-streamfield-list-container] button, .c-sf-add-button").last.click()
    page.get_by_role("option", name=re.compile(r"^Claim$")).or_(
        page.get_by_role("button", name=re.compile(r"^Claim$"))
    ).first.click()
    page.get_by_role("button", name=re.compile(r"Choose( a)? claim", re.I)).last.click()
    modal = page.locator(".modal-dialog").last
    expect(modal).to_be_visible()
    unverified_row = modal.locator("tr", has_text=UNVERIFIED)
    expect(unverified_row.get_by_role("link", name=UNVERIFIED)).to_be_visible()
    expect(unverified_row.locator("[data-claim-status]")).to_have_text("Unverified")
    expect(modal.locator("tr", has_text=DISPUTED).locator("[data-claim-status]")).to_have_text(
        "Disputed"
    )
    expect(modal.locator("tr", has_text=VERIFIED).locator("[data-claim-status]")).to_have_text(
        "Verified"
    )
    screenshot("claim-chooser-badges")
    assert_no_axe_violations(page, within=".modal-dialog")

    with page.expect_response(lambda response: "q=" in response.url):
        modal.locator("input[name=q]").fill("Moscow")
    expect(modal.locator("tbody tr")).to_have_count(1)
    modal.get_by_role("link", name=UNVERIFIED).click()
    expect(modal).to_be_hidden()

    # The chosen claim's badge shows in the block's chooser.
    chosen = page.locator(".claim-chooser").last
    expect(chosen.locator("[data-chooser-title]")).to_have_text(UNVERIFIED)
    expect(chosen.locator("[data-claim-status]")).to_have_text("Unverified")
    expect(chosen.locator("[data-claim-status]")).to_be_visible()
    chosen.scroll_into_view_if_needed()
    screenshot("claim-block-badge")
    assert_no_axe_violations(page, within=".claim-chooser")

    # Save: saved, with a warning naming the unverified claim and not the verified one.
    page.get_by_role("button", name="Save draft").click()
    warning = page.locator(".messages .warning, .messages [class*=warning]").first
    expect(warning).to_contain_text("not verified")
    expect(warning).to_contain_text(UNVERIFIED[:60])
    expect(warning).not_to_contain_text(VERIFIED)
    screenshot("save-warning")
    assert ExplainerPage.objects.get(pk=draft.pk).get_latest_revision().content["body"]

    # Submit: submitted for review, with the same warning.
    open_footer_actions(page)
    page.locator("button[name=action-submit]").click()
    expect(page.locator(".messages")).to_contain_text(re.compile("submitted", re.I))
    warning = page.locator(".messages .warning, .messages [class*=warning]").first
    expect(warning).to_contain_text(UNVERIFIED[:60])
    expect(warning).to_contain_text("Desk review cannot approve it until then")
    screenshot("submit-warning")
    state = WorkflowState.objects.for_instance(draft).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_the_verifier_is_told_their_approval_went_through(
    page, live_server, claims, editor, screenshot
):
    draft = explainer_page(
        "Are they talking?", body=[cited_claim_block(claims["verified"])], publish=False
    )
    draft.get_workflow().start(draft, editor)

    log_in(page, live_server, "verifier")
    page.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    approve_in_page_editor(page)
    confirmation = page.locator(".messages").get_by_text("Approved and published")
    expect(confirmation).to_have_text(re.compile(r"“Are they talking\?” is live\."))
    assert ExplainerPage.objects.get(pk=draft.pk).live
    screenshot("approval-confirmed")

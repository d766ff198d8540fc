"""The whole newsroom in Chromium: an editor writes a claim with two quotes from two seed
sources of two outlets (each chosen through the source chooser, searched by its outlet, and
quoted by selecting its words in the source's text, the corroboration line saying when two
outlets are reached), a verifier goes from the dashboard's queue straight to the decision
and verifies it, the editor cites it in an explainer and submits it, the verifier approves
(publishes) it and is told so, and a reader sees the claim, its quotes and the related
stories. A screenshot of each step is written to
test-artifacts/screenshots/test_editor_journey/."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from explainers.models import ExplainerIndexPage, ExplainerPage
from newsroom.desk.models import Claim, Source
from newsroom.desk.verification import verify_claim
from tests.browser.admin_steps import (
    approve_in_page_editor,
    choose_in_modal,
    open_footer_actions,
    select_in_source_text,
    switch_user,
)
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, EvidenceFactory, cited_claim_block, explainer_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STATEMENT = "Putin said through his spokesman that he was ready for dialogue with Macron."
# Two seeds of two outlets (One India, The Kyiv Independent), each searched by its outlet.
QUOTES = {
    "000_a45109ac8b8cbc6e.txt": (
        "the Kremlin confirmed that Russian President Vladimir Putin is ready to engage in "
        "dialogue with French President Emmanuel Macron"
    ),
    "004_c03ff76d15088dc7.txt": "expressed readiness to engage in dialogue",
}


def seed_source(name):
    return Source.objects.select_related("outlet").get(seed_file__endswith=name)


def add_quote(page, index, source, quote):
    """Add a quote row, choose the source by its outlet, and select the quote's words in the
    source's text shown under the quote field (the stance is "supports" already)."""
    page.get_by_role("button", name=re.compile(r"Add quote", re.I)).last.click()
    form = page.locator(f"#inline_child_evidence-{index}")
    expect(form).to_be_visible()
    with page.expect_response(lambda response: "/source-text/" in response.url):
        choose_in_modal(
            page,
            form.get_by_role("button", name=re.compile(r"Choose", re.I)).first,
            source.outlet.name,
            source.title,
        )
    select_in_source_text(page, index, quote)
    expect(form.locator(f"[name=evidence-{index}-quote]")).to_have_value(quote)


def related_explainer(verifier, editor):
    """Another live explainer citing the same seed source: the related widget's candidate."""
    source = seed_source("001_13bdae42f34699c2.txt")
    other = seed_source("004_c03ff76d15088dc7.txt")
    claim = ClaimFactory(
        statement="Paris welcomed the Kremlin's signal, stressing transparency.", created_by=editor
    )
    EvidenceFactory(
        claim=claim, source=source, quote="Russian President Vladimir Putin has indicated"
    )
    EvidenceFactory(claim=claim, source=other, quote="The first public signal came on Dec. 21")
    claim.save_revision(user=editor).publish()
    verify_claim(
        claim, verifier, Claim.Status.VERIFIED, note="One outlet named.", single_source=True
    )
    return explainer_page("Paris answers the Kremlin", body=[cited_claim_block(claim)])


def test_editor_journey(page, live_server, editor, verifier, screenshot):
    call_command(
        "import_sources", str(settings.NEWSROOM_SEEDS_DIR), stdout=StringIO(), stderr=StringIO()
    )
    first, second = (seed_source(name) for name in QUOTES)
    related = related_explainer(verifier, editor)

    # 1. The editor writes the claim, with a quote from each source through the chooser.
    log_in(page, live_server, "editor")
    screenshot("editor-dashboard")
    page.goto(f"{live_server.url}/admin/snippets/newsroom/claim/add/")
    page.locator("[name=statement]").fill(STATEMENT)
    corroboration = page.locator("#panel-corroboration-section")
    for index, (source, quote) in enumerate(zip((first, second), QUOTES.values(), strict=True)):
        add_quote(page, index, source, quote)
        expect(corroboration).to_contain_text(f"{index + 1} outlet")
    screenshot("claim-with-two-quotes")
    open_footer_actions(page)
    page.locator("button[name=action-publish]").click()
    expect(page.locator(".messages").first).to_contain_text("published")
    claim = Claim.objects.get(statement=STATEMENT)
    assert claim.live and claim.created_by == editor
    assert sorted(claim.evidence.values_list("source_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    assert all(evidence.is_anchored for evidence in claim.evidence.all())
    screenshot("claim-published")

    # 2. A verifier (not the author) goes from the dashboard's queue to the decision, which
    # opens on "Verified": two outlets need no single-source note.
    assert claim.corroboration().supporting_outlets == settings.NEWSROOM_MIN_OUTLETS
    switch_user(page, live_server, "verifier")
    queue = page.locator("#claims-awaiting-verification")
    queue.get_by_role("link", name=STATEMENT, exact=True).click()
    expect(page.get_by_label("Verified", exact=True)).to_be_checked()
    page.locator("[name=note]").fill("The Kremlin's statement, as two outlets report it.")
    screenshot("verify-form")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages").first).to_contain_text("verified")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED and claim.verified_by == verifier
    screenshot("claim-verified")

    # 3. The editor cites it in a new explainer and submits it to Desk review.
    switch_user(page, live_server, "editor")
    index = ExplainerIndexPage.objects.get()
    page.goto(f"{live_server.url}/admin/pages/add/explainers/explainerpage/{index.pk}/")
    page.locator("[name=title]").fill("Is Putin ready to talk to Macron?")
    page.locator("[name=standfirst]").fill("What the Kremlin said, and who reported it.")
    page.locator("[data-streamfield-list-container] button, .c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile(r"^Claim$")).or_(
        page.get_by_role("button", name=re.compile(r"^Claim$"))
    ).first.click()
    choose_in_modal(
        page,
        page.get_by_role("button", name=re.compile(r"Choose( a)? claim", re.I)).first,
        "Putin said",
        re.compile(re.escape(str(claim)[:40])),
    )
    expect(page.locator("[data-claim-status]").first).to_have_text("Verified")
    screenshot("explainer-cites-claim")
    open_footer_actions(page)
    page.locator("button[name=action-submit]").click()
    expect(page.locator(".messages").first).to_contain_text(re.compile("submitted", re.I))
    explainer = ExplainerPage.objects.get(title="Is Putin ready to talk to Macron?")
    assert not explainer.live
    assert explainer.current_workflow_task is not None
    screenshot("explainer-submitted")

    # 4. The verifier approves it in Desk review, which publishes it.
    switch_user(page, live_server, "verifier")
    page.goto(f"{live_server.url}/admin/pages/{explainer.pk}/edit/")
    approve_in_page_editor(page)
    expect(page.locator(".messages").first).to_contain_text(
        "Approved and published: “Is Putin ready to talk to Macron?” is live."
    )
    explainer.refresh_from_db()
    assert explainer.live, "approving in Desk review publishes the explainer"
    screenshot("explainer-approved")

    # 5. A reader sees the claim, its status, its two quotes and the related stories.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{explainer.url}")
    card = page.locator(f"#claim-{claim.pk}")
    expect(card).to_contain_text(STATEMENT)
    expect(card.locator(".badge")).to_have_text("Verified")
    card.locator("summary").click()
    for quote in QUOTES.values():
        expect(card).to_contain_text(quote)
    expect(card).to_contain_text(first.title)
    expect(card).to_contain_text(second.title)
    widget = page.locator(".related-stories")
    for _ in range(10):  # the widget is filled by a Celery task after publication
        if widget.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(widget).to_contain_text(related.title)
    screenshot("reader-page")

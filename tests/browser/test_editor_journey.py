"""The whole newsroom in Chromium: an editor writes a claim with two quotes from two seed
sources (chosen through the source chooser), a verifier verifies it, the editor cites it in
an explainer and submits it, the verifier approves (publishes) it, and a reader sees the
claim, its quotes and the related stories. A screenshot of each step is written to
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
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory, EvidenceFactory, cited_claim_block, explainer_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STATEMENT = "Putin said through his spokesman that he was ready for dialogue with Macron."
QUOTES = {
    "001_13bdae42f34699c2.txt": (
        "Russian President Vladimir Putin has indicated he is ready to engage in dialogue "
        "with French President Emmanuel Macron"
    ),
    "004_c03ff76d15088dc7.txt": "expressed readiness to engage in dialogue",
}


def seed_source(name):
    return Source.objects.select_related("outlet").get(seed_file__endswith=name)


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username)


def choose_in_modal(page, opener, search, link_text):
    """Open a Wagtail chooser, search it, and pick the row whose link reads `link_text`."""
    opener.click()
    modal = page.locator(".modal-dialog, [role=dialog]").filter(has=page.locator("input")).last
    expect(modal).to_be_visible()
    # Let the search answer before choosing: the live server shares one SQLite connection
    # between its threads, so two requests at once could interleave their transactions.
    with page.expect_response(lambda response: "q=" in response.url):
        modal.locator("input[name=q]").fill(search)
    modal.get_by_role("link", name=link_text).first.click()
    expect(modal).to_be_hidden()


def open_footer_actions(page):
    toggle = page.locator("footer [data-w-dropdown-target=toggle], footer .dropdown-toggle").last
    if toggle.count() and toggle.is_visible():
        toggle.click()


def add_quote(page, index, source, quote):
    page.get_by_role("button", name=re.compile(r"Add quote", re.I)).last.click()
    form = page.locator(f"#inline_child_evidence-{index}")
    expect(form).to_be_visible()
    choose_in_modal(
        page,
        form.get_by_role("button", name=re.compile(r"Choose", re.I)).first,
        source.title[:20],
        source.title,
    )
    form.locator(f"[name=evidence-{index}-quote]").fill(quote)
    form.locator(f"[name=evidence-{index}-stance]").select_option("supports")


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
    for index, (source, quote) in enumerate(zip((first, second), QUOTES.values(), strict=True)):
        add_quote(page, index, source, quote)
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

    # 2. A verifier (not the author) verifies it through the verify view.
    switch_user(page, live_server, "verifier")
    page.goto(f"{live_server.url}/admin/snippets/newsroom/claim/inspect/{claim.pk}/")
    screenshot("verifier-inspects-claim")
    page.goto(f"{live_server.url}/admin/snippets/newsroom/claim/verify/{claim.pk}/")
    page.get_by_label("Verified", exact=True).check()
    page.locator("[name=note]").fill("The Kremlin's statement, as two sources report it.")
    if claim.corroboration().supporting_outlets < settings.NEWSROOM_MIN_OUTLETS:
        # Most seed texts name no outlet, so the verifier says it rests on one.
        page.locator("[name=single_source]").check()
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
    open_footer_actions(page)
    page.get_by_role("button", name=re.compile(r"^Approve")).first.click()
    dialog_submit = page.locator("[role=dialog] button[type=submit]")
    if dialog_submit.count() and dialog_submit.first.is_visible():
        dialog_submit.first.click()
    expect(page.locator(".messages").first).to_contain_text("Is Putin ready to talk to Macron?")
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

"""Sources in the admin, in Chromium, as an editor: a title in the sources listing opens the
reading view (the body in its timed segments, the claims citing it, what was set aside),
with "Edit details" for the metadata form; "Add source" takes a messy page pasted whole,
previews what the importer sets aside and why, and saves it through the importer, landing
on the reading view; and the same two submits work with JavaScript off. Axe checks each new
view. Screenshots go to test-artifacts/screenshots/<test name>/."""

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from newsroom.desk.models import Source
from tests.browser.conftest import (
    SCREENSHOTS,
    assert_no_axe_violations,
    close_settled,
    log_in,
    open_context,
)
from tests.factories import ClaimFactory, EvidenceFactory, snippet_url

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRANSCRIPT = settings.BASE_DIR / "seeds" / "000_a45109ac8b8cbc6e.txt"
MESSY = settings.BASE_DIR / "seeds" / "001_13bdae42f34699c2.txt"
QUOTE = "hardline positions, Paris is now"
STATEMENT = "France is reopening dialogue with Russia."


@pytest.fixture
def cited_transcript(editor):
    call_command("import_sources", str(TRANSCRIPT), verbosity=0)
    source = Source.objects.get()
    claim = ClaimFactory(created_by=editor, statement=STATEMENT)
    EvidenceFactory(claim=claim, source=source, quote=QUOTE)
    return source


def test_a_source_title_in_the_listing_opens_the_reading_view(
    page, live_server, cited_transcript, screenshot
):
    source = cited_transcript
    log_in(page, live_server, "editor")
    page.goto(live_server.url + snippet_url("source", "list"))
    screenshot("sources-listing")
    assert_no_axe_violations(page)

    page.get_by_role("link", name=source.title, exact=True).click()

    page.wait_for_url(live_server.url + snippet_url("source", "inspect", source.pk))
    segments = page.locator(".source-segment")
    expect(segments).to_have_count(len(source.segments))
    expect(segments.nth(1).locator(".source-segment-label")).to_have_text("00:26")
    expect(page.locator(".source-body")).to_contain_text(QUOTE)
    citation = page.locator("tr.citation", has_text=STATEMENT)
    expect(citation).to_contain_text("Unverified")
    expect(page.locator("tr.set-aside-line")).to_have_count(len(source.set_aside))
    screenshot("reading-view")
    citation.scroll_into_view_if_needed()
    screenshot("reading-view-citing-claims-and-set-aside")
    assert_no_axe_violations(page)

    # Only its target: the edit form's editing-session pings would outlive the test.
    expect(page.get_by_role("link", name="Edit details")).to_have_attribute(
        "href", snippet_url("source", "edit", source.pk)
    )


def test_an_editor_adds_a_messy_page_through_the_importer(page, live_server, editor, screenshot):
    log_in(page, live_server, "editor")
    page.goto(live_server.url + snippet_url("source", "list"))
    page.get_by_role("link", name="Add source").first.click()
    page.wait_for_url(live_server.url + snippet_url("source", "add"))
    page.get_by_role("textbox", name="Pasted text").fill(MESSY.read_text())
    screenshot("pasted")

    page.get_by_role("button", name="Preview cleaning").click()

    preview = page.locator("#source-import-preview")
    expect(preview).to_be_visible()
    expect(preview.locator(".preview-title")).to_have_text(
        "Putin Signals Readiness for Dialog With Macron as France Seeks Clear Talks on "
        "Ukraine Peace"
    )
    expect(preview.locator(".preview-date")).to_have_text("21 December 2025 (day)")
    lines = preview.locator("tr.set-aside-preview-line")
    expect(lines).to_have_count(53)
    expect(preview).to_contain_text("after the end of the article (other stories, widgets)")
    assert Source.objects.count() == 0
    preview.get_by_role(
        "heading", name="What the importer makes of this text"
    ).scroll_into_view_if_needed()
    screenshot("preview")
    lines.first.scroll_into_view_if_needed()
    screenshot("preview-set-aside")
    assert_no_axe_violations(page)

    page.locator("button.action-save").click()

    page.wait_for_url(f"{live_server.url}/admin/snippets/newsroom/source/inspect/*/")
    source = Source.objects.get()
    assert page.url == live_server.url + snippet_url("source", "inspect", source.pk)
    assert (len(source.set_aside), source.imported_at is not None) == (53, True)
    expect(page.locator(".messages")).to_contain_text("53 lines set aside")
    expect(page.locator("tr.set-aside-line")).to_have_count(53)
    expect(page.get_by_text("The importer set nothing aside")).to_have_count(0)
    screenshot("saved-reading-view")
    page.locator("tr.set-aside-line").first.scroll_into_view_if_needed()
    screenshot("saved-set-aside-with-restore")
    # Wagtail's own green success message falls short of AA contrast (4.38:1): check the
    # reading view once the message is gone.
    page.reload()
    assert_no_axe_violations(page)


def test_adding_a_source_works_without_javascript(chromium, live_server, editor, request):
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    context = open_context(
        chromium, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        log_in(page, live_server, "editor")
        page.goto(live_server.url + snippet_url("source", "add"))
        page.locator("textarea[name=original_text]").fill(TRANSCRIPT.read_text())
        page.get_by_role("button", name="Preview cleaning").click()
        expect(page.locator("#source-import-preview")).to_contain_text("timed segments")
        page.screenshot(path=str(folder / "01-preview-without-js.png"), full_page=True)
        assert Source.objects.count() == 0

        page.locator("button.action-save").click()

        source = Source.objects.get()
        page.wait_for_url(live_server.url + snippet_url("source", "inspect", source.pk))
        expect(page.locator(".source-segment")).to_have_count(len(source.segments))
        page.screenshot(path=str(folder / "02-saved-without-js.png"), full_page=True)
    finally:
        close_settled(context, page)

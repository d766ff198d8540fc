"""The claim form's quote tools in Chromium, as an editor uses them: choosing a source shows
its text below the quote field, and selecting words there fills the quote with exactly them
(then the saved quote is anchored at those words); the corroboration line follows the rows
as a second source from another outlet is added; a mistyped quote is refused with the
closest passage, its differing words marked, and "Use this passage" mends it. Hostile source
text shows as text and runs nothing. Axe checks the form with each new panel. Screenshots go
to test-artifacts/screenshots/<test name>/."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from newsroom.desk.models import Claim, Source
from tests.browser.admin_steps import choose_in_modal, open_footer_actions, select_in_source_text
from tests.browser.conftest import (
    SCREENSHOTS,
    assert_no_axe_violations,
    close_settled,
    log_in,
    open_context,
)
from tests.factories import (
    SAMPLE_BODY,
    OutletFactory,
    SourceFactory,
    claim_url,
    claim_with_evidence,
)

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEED = "001_13bdae42f34699c2.txt"
SELECTED = (
    "Russian President Vladimir Putin has indicated he is ready to engage in dialogue "
    "with French President Emmanuel Macron"
)
# The claim form's panels these tools add to or fill: the evidence rows (with each source's
# text and quote repair) and the corroboration line. The rest of the form is Wagtail's own.
TOOL_PANELS = "#panel-evidence-section, #panel-corroboration-section"
HOSTILE = '<img src=x onerror="window.pwned = 1"><script>window.pwned = 2</script>'


def open_add_form(page, live_server, statement):
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{claim_url('add')}")
    page.locator("[name=statement]").fill(statement)


def add_row(page, index, source):
    """Add an evidence row and choose `source` in it; returns the row."""
    page.get_by_role("button", name=re.compile(r"Add quote", re.I)).last.click()
    row = page.locator(f"#inline_child_evidence-{index}")
    expect(row).to_be_visible()
    with page.expect_response(lambda response: "/source-text/" in response.url):
        choose_in_modal(
            page,
            row.get_by_role("button", name=re.compile(r"Choose", re.I)).first,
            source.title[:20],
            source.title,
        )
    return row


def into_view(locator):
    """Scroll the admin's form so `locator` is in the middle of the screenshot."""
    locator.evaluate("element => element.scrollIntoView({block: 'center'})")


def publish(page):
    open_footer_actions(page)
    page.locator("button[name=action-publish]").click()


def test_selecting_words_in_a_sources_text_fills_the_quote_exactly(
    page, live_server, editor, screenshot
):
    call_command(
        "import_sources", str(settings.NEWSROOM_SEEDS_DIR), stdout=StringIO(), stderr=StringIO()
    )
    source = Source.objects.get(seed_file__endswith=SEED)
    statement = "Putin is ready to talk to Macron."
    open_add_form(page, live_server, statement)
    row = add_row(page, 0, source)

    shown = row.get_by_role("region", name=re.compile(rf"Text of “{re.escape(source.title)}”"))
    expect(shown).to_be_visible()
    assert shown.evaluate("element => element.textContent") == source.body
    into_view(shown)
    screenshot("source-text-shown")
    assert_no_axe_violations(page, within=TOOL_PANELS)

    select_in_source_text(page, 0, SELECTED)
    quote = row.locator("[name=evidence-0-quote]")
    expect(quote).to_have_value(SELECTED)
    into_view(quote)
    screenshot("quote-filled-from-selection")

    publish(page)
    expect(page.locator(".messages").first).to_contain_text("published")
    evidence = Claim.objects.get(statement=statement).evidence.get()
    start = source.body.index(SELECTED)
    assert evidence.quote == SELECTED
    assert evidence.is_anchored
    assert (evidence.start_offset, evidence.end_offset) == (start, start + len(SELECTED))
    screenshot("claim-published")


def test_the_selection_keeps_line_breaks_and_hostile_text_stays_text(
    page, live_server, editor, screenshot
):
    body = f"{SAMPLE_BODY}\n\n{HOSTILE}"
    source = SourceFactory(title="Hostile source", original_text=body, body=body)
    open_add_form(page, live_server, "The Kremlin and the Elysee spoke.")
    row = add_row(page, 0, source)
    shown = row.locator("[data-source-text-for]")
    expect(shown).to_contain_text(HOSTILE)
    assert shown.locator("img, script").count() == 0
    assert page.evaluate("window.pwned") is None

    across = "with Macron.\n\nThe Elysee Palace said"
    select_in_source_text(page, 0, across)
    expect(row.locator("[name=evidence-0-quote]")).to_have_value(across)
    into_view(shown)
    screenshot("selection-across-paragraphs")
    publish(page)
    expect(page.locator(".messages").first).to_contain_text("published")
    evidence = Claim.objects.get(statement="The Kremlin and the Elysee spoke.").evidence.get()
    # A form posts a textarea's line breaks as CRLF; the quote anchors at the words selected.
    assert evidence.quote.replace("\r\n", "\n") == across
    assert evidence.is_anchored and evidence.anchored_text == across


def test_the_corroboration_line_follows_the_rows(page, live_server, editor, screenshot):
    first = SourceFactory(title="Wire report", outlet=OutletFactory(name="Agence One"))
    second = SourceFactory(title="Paper report", outlet=OutletFactory(name="Daily Two"))
    open_add_form(page, live_server, "Putin was ready for dialogue with Macron.")
    line = page.locator("#claim-corroboration-line")
    expect(line).to_have_attribute("role", "status")
    expect(line).to_have_text(re.compile(r"^0 supporting sources, 0 outlets: needs supporting"))
    into_view(line)
    screenshot("no-evidence-yet")

    add_row(page, 0, first)
    select_in_source_text(page, 0, "Putin was ready for dialogue with Macron")
    expect(line).to_have_text(
        "1 supporting source, 1 outlet: needs 1 more outlet or a verifier's single-source note."
    )
    into_view(line)
    screenshot("one-outlet")

    add_row(page, 1, second)
    page.locator("[name=evidence-1-quote]").fill("Putin was ready for dialogue with Macron")
    expect(line).to_have_text("2 supporting sources, 2 outlets: enough outlets to be verified.")
    into_view(line)
    screenshot("two-outlets")

    page.locator("[name=evidence-1-stance]").select_option("disputes")
    expect(line).to_have_text(
        "1 supporting source, 1 outlet: needs 1 more outlet or a verifier's single-source note. "
        "Disputed by 1 source from 1 outlet."
    )
    into_view(line)
    screenshot("second-row-disputes")
    assert_no_axe_violations(page, within=TOOL_PANELS)


def test_a_refused_quote_is_mended_with_the_closest_passage(page, live_server, editor, screenshot):
    source = SourceFactory(title="Kremlin readout")
    statement = "Putin is ready to talk to Macron."
    open_add_form(page, live_server, statement)
    add_row(page, 0, source)
    page.locator("[name=evidence-0-quote]").fill("Putin is ready for a dialogue with Macron")
    publish(page)

    repair = page.locator("[data-quote-repair]")
    expect(repair).to_be_visible()
    expect(page.locator("#panel-child-evidence-0-child-quote-errors")).to_contain_text(
        "This quote is not in “Kremlin readout” word for word."
    )
    passage = repair.locator("[data-quote-repair-passage]")
    expect(passage).to_have_text("that Putin was ready for dialogue with Macron.")
    expect(passage.locator("mark")).to_have_text(["that", "was"])
    expect(repair.locator("del")).to_have_text(["is", "a"])
    into_view(repair)
    screenshot("quote-refused-with-passage")
    assert_no_axe_violations(page, within=TOOL_PANELS)

    repair.get_by_role("button", name="Use this passage").click()
    quote = page.locator("[name=evidence-0-quote]")
    expect(quote).to_have_value("that Putin was ready for dialogue with Macron.")
    expect(quote).to_be_focused()
    expect(repair.get_by_role("status")).to_contain_text("The passage is in the quote field.")
    into_view(repair)
    screenshot("passage-used")

    publish(page)
    expect(page.locator(".messages").first).to_contain_text("published")
    evidence = Claim.objects.get(statement=statement).evidence.get()
    assert evidence.quote == "that Putin was ready for dialogue with Macron."
    assert evidence.is_anchored
    screenshot("claim-published")


def test_without_javascript_the_form_is_wagtails_own_and_the_passage_is_text(
    chromium, live_server, editor, request
):
    claim = claim_with_evidence(editor, ("supports",))
    claim.save_revision(user=editor)
    context = open_context(
        chromium, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        log_in(page, live_server, "editor")
        page.goto(f"{live_server.url}{claim_url('edit', claim)}")
        expect(page.locator("#claim-corroboration-line")).to_have_text(
            "1 supporting source, 1 outlet: needs 1 more outlet or a verifier's single-source note."
        )
        expect(page.locator(".claim-source-text")).to_have_count(0)
        page.locator("[name=evidence-0-quote]").fill("Putin is ready for a dialogue with Macron")
        page.get_by_role("button", name="Save draft").click()

        repair = page.locator("[data-quote-repair]")
        expect(repair.locator("[data-quote-repair-passage]")).to_have_text(
            "that Putin was ready for dialogue with Macron."
        )
        expect(repair.get_by_role("button", name="Use this passage")).to_be_hidden()
        expect(page.locator("[name=evidence-0-quote]")).to_have_value(
            "Putin is ready for a dialogue with Macron"
        )
        folder = SCREENSHOTS / request.node.name
        folder.mkdir(parents=True, exist_ok=True)
        repair.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(folder / "01-quote-refused-passage-as-text.png"))
    finally:
        close_settled(context, page)

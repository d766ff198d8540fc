"""The source chooser in Chromium, opened from a claim's quote: outlet, date and kind beside
each title; searching an outlet's name ("kyiv") finds its sources; each row's "Read" link
opens the source's reading view in a new tab, leaving the claim form as it was; and choosing
still works. Axe checks the chooser. Screenshots go to test-artifacts/screenshots/<test name>/."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from newsroom.desk.models import Source
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import OutletFactory, SourceFactory, claim_url

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STATEMENT = "Ukraine's foreign ministry welcomed the talks in Geneva."


@pytest.fixture
def sources():
    kyiv = OutletFactory(name="The Kyiv Independent")
    return {
        "geneva": SourceFactory(
            title="Talks resume in Geneva",
            outlet=kyiv,
            kind=Source.Kind.ARTICLE,
            published_on=datetime.date(2025, 12, 3),
            url="https://kyivindependent.com/talks",
        ),
        "ministry": SourceFactory(
            title="Foreign ministry statement",
            outlet=kyiv,
            kind=Source.Kind.STATEMENT,
            published_on=datetime.date(2025, 12, 4),
            url="https://kyivindependent.com/statement",
        ),
        "evening": SourceFactory(
            title="Evening news, 21 December",
            outlet=OutletFactory(name="France 24"),
            kind=Source.Kind.TRANSCRIPT,
            published_on=datetime.date(2025, 12, 21),
            url="https://france24.example/evening",
        ),
    }


def test_the_source_chooser_shows_columns_finds_outlets_and_opens_the_reading_view(
    page, live_server, editor, sources, screenshot
):
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{claim_url('add')}")
    page.locator("[name=statement]").fill(STATEMENT)
    page.get_by_role("button", name=re.compile(r"Add quote", re.I)).last.click()
    form = page.locator("#inline_child_evidence-0")
    expect(form).to_be_visible()
    form.get_by_role("button", name=re.compile(r"Choose", re.I)).first.click()

    modal = page.locator(".modal-dialog").last
    expect(modal).to_be_visible()
    headers = modal.locator("thead th")
    for header in ("Outlet", "Published", "Kind", "Reading view"):
        expect(headers.filter(has_text=header)).to_have_count(1)
    evening = modal.locator("tr", has_text="Evening news, 21 December")
    expect(evening).to_contain_text("France 24")
    expect(evening).to_contain_text("Video transcript")
    expect(evening).to_contain_text("21 December 2025")
    screenshot("source-chooser-columns")
    assert_no_axe_violations(page, within=".modal-dialog")

    with page.expect_response(lambda response: "q=kyiv" in response.url):
        modal.locator("input[name=q]").fill("kyiv")
    rows = modal.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Talks resume in Geneva")).to_contain_text("The Kyiv Independent")
    expect(rows.filter(has_text="Foreign ministry statement")).to_contain_text("Official statement")
    expect(modal).not_to_contain_text("France 24")
    shot = screenshot("source-chooser-search-kyiv")

    # "Read" opens the reading view in a new tab; the chooser and the form stay as they were.
    geneva = rows.filter(has_text="Talks resume in Geneva")
    read = geneva.get_by_role("link", name=re.compile(r"^Read"))
    expect(read).to_have_attribute("target", "_blank")
    with page.context.expect_page() as new_tab:
        read.click()
    reading = new_tab.value
    reading.wait_for_load_state()
    inspect = reverse(Source.snippet_viewset.get_url_name("inspect"), args=[sources["geneva"].pk])
    assert reading.url == f"{live_server.url}{inspect}"
    expect(reading.get_by_role("heading").first).to_contain_text("Talks resume in Geneva")
    reading.screenshot(path=str(shot.with_name("02b-reading-view-in-new-tab.png")), full_page=True)
    reading.close()

    expect(modal).to_be_visible()
    geneva.get_by_role("link", name="Talks resume in Geneva", exact=True).click()
    expect(modal).to_be_hidden()
    expect(form.locator("[data-chooser-title]").first).to_have_text("Talks resume in Geneva")
    expect(page.locator("[name=statement]")).to_have_value(STATEMENT)
    screenshot("source-chosen")

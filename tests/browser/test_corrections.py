"""A reader of the demo explainer in Chromium finds its "Corrections and updates" section, dated
and newest first, with or without JavaScript; the section and /corrections/ pass axe-core."""

import datetime

import pytest

from explainers.models import Correction
from tests.browser.conftest import assert_no_axe_violations, close_settled, open_context

# serialized_rollback restores what the data migrations made (groups, pages) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOTE = "We first wrote that the call took place in June; it was on 1 July."


@pytest.fixture
def corrected_demo(live_server, demo_explainer):
    correction = Correction.objects.record_prose(demo_explainer, NOTE)
    correction.created_at = datetime.datetime(2035, 12, 3, 12, tzinfo=datetime.UTC)
    correction.save()
    return live_server.url + demo_explainer.url


def test_reader_finds_the_corrections_and_they_are_accessible(page, corrected_demo, screenshot):
    page.goto(corrected_demo)
    section = page.get_by_role("region", name="Corrections and updates")
    assert section.get_by_role("heading", level=2).inner_text() == "Corrections and updates"
    entries = section.get_by_role("listitem")
    assert entries.first.inner_text() == f"3 December 2035: {NOTE}"
    assert entries.first.locator("time").get_attribute("datetime") == "2035-12-03T12:00:00+00:00"

    page.get_by_role("link", name="Corrections and updates").click()
    assert page.url.endswith("#corrections")
    section.scroll_into_view_if_needed()
    screenshot("corrections-section")
    assert_no_axe_violations(page)

    section.get_by_role("link", name="Every correction we have made").click()
    page.wait_for_url("**/corrections/")
    listed = page.locator("ol.correction-list > li").first
    assert "Are France and Russia talking again?" in listed.inner_text()
    assert NOTE in listed.inner_text()
    screenshot("corrections-page")
    assert_no_axe_violations(page)


def test_the_corrections_show_without_javascript(chromium, corrected_demo):
    context = open_context(chromium, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(corrected_demo)
        section = page.get_by_role("region", name="Corrections and updates")
        assert section.is_visible()
        assert NOTE in section.get_by_role("listitem").first.inner_text()
    finally:
        close_settled(context, page)

"""A reader opens the demo explainer in Chromium, expands a claim's evidence, and the page
passes axe-core with no violations, at desktop and phone widths."""

import pytest

from tests.browser.conftest import assert_no_axe_violations

# serialized_rollback restores what the data migrations made (groups, pages) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_url(live_server, demo_explainer):
    return live_server.url + demo_explainer.url


def test_reader_expands_evidence_and_the_page_is_accessible(page, demo_url, screenshot):
    page.goto(demo_url)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Are France and Russia talking again?"
    )
    claim = page.locator(".claim-block .claim").first
    details = claim.locator("details.claim-evidence")
    quotes = details.locator("li.quote")
    assert not quotes.first.is_visible()

    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    assert quotes.first.is_visible()
    assert "Kremlin" in quotes.first.inner_text()
    assert claim.locator(".badge").inner_text().lower() == "verified"
    screenshot("evidence-open")

    assert page.locator(".evidence-map table tbody tr").count() >= 8
    assert page.locator(".source-list > li").count() == 5
    assert_no_axe_violations(page)


def test_the_demo_explainer_is_accessible_on_a_phone(chromium, demo_url):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(demo_url)
        for summary in page.locator("details.claim-evidence summary").all()[:3]:
            summary.click()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, "the page scrolls sideways on a phone"
        assert_no_axe_violations(page)
    finally:
        context.close()

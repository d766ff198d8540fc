"""A reader opens the demo explainer in Chromium, expands a claim's evidence, and the page
passes axe-core with no violations, at desktop and phone widths. On a phone the evidence map
is a list of claims with their sources beneath each, and every [n] citation is a tap target
of at least 24×24 CSS px (WCAG 2.2, 2.5.8)."""

import re

import pytest

from tests.browser.conftest import assert_no_axe_violations, close_settled, open_context

# serialized_rollback restores what the data migrations made (groups, pages) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 360, "height": 740}
TARGET = 24  # CSS px, WCAG 2.2 target size (minimum)

# Every visible [n] link: its number, shown as "[n]" (the rest is for screen readers), and box.
CITATION_BOXES = """() => [...document.querySelectorAll("a")]
    .filter(a => /^\\[\\d+\\]$/.test(
        (a.querySelector("[aria-hidden=true]") || a).textContent.trim()))
    .filter(a => a.getClientRects().length > 0)
    .map(a => {
        const box = a.getBoundingClientRect();
        return {text: a.textContent.trim(), width: box.width, height: box.height};
    })"""

# Elements of the evidence map that stick out of the viewport on either side.
OUTSIDE_VIEWPORT = """(map) => [...map.querySelectorAll("*")]
    .filter(el => el.getClientRects().length > 0)
    .filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > innerWidth || box.left < -0.5 || box.right > innerWidth + 0.5;
    })
    .map(el => el.outerHTML.slice(0, 120))"""

# The source numbers with a quote on each claim: in the table's cells, and in the list.
NUMBERS_IN_TABLE = """(map) => [...map.querySelectorAll("tbody tr")].map(row =>
    [...row.querySelectorAll("td")]
        .flatMap((td, i) => td.querySelector(".stance") ? [i + 1] : []))"""
NUMBERS_IN_LIST = """(map) => [...map.querySelectorAll(".evidence-map-list > li")].map(li =>
    [...new Set([...li.querySelectorAll(".map-sources a[href^='#source-']")]
        .map(a => Number(a.hash.slice("#source-".length))))].sort((a, b) => a - b))"""


@pytest.fixture
def demo_url(live_server, demo_explainer):
    return live_server.url + demo_explainer.url


def assert_citations_are_big_enough(page, at_least):
    citations = page.evaluate(CITATION_BOXES)
    assert len(citations) >= at_least, citations
    small = [c for c in citations if c["width"] < TARGET or c["height"] < TARGET]
    assert not small, f"[n] links smaller than {TARGET}×{TARGET} px: {small}"


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
    # On a desktop the evidence map stays a table; the phone's list of claims is hidden.
    table = page.locator(".evidence-map table")
    assert table.evaluate("table => getComputedStyle(table).display") == "table"
    assert table.is_visible()
    assert not page.locator(".evidence-map-list").is_visible()
    # The map's column headings and the opened quotes' [n] links.
    assert_citations_are_big_enough(page, at_least=5 + quotes.count())
    assert_no_axe_violations(page)


class TestOnAPhone:
    @pytest.fixture
    def page(self, chromium):
        """A phone's page: the `screenshot` fixture takes this one for tests in this class."""
        context = open_context(
            chromium, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        close_settled(context, page)

    def test_the_demo_explainer_is_readable_and_accessible_on_a_phone(
        self, page, demo_url, screenshot
    ):
        page.goto(demo_url)
        summaries = page.locator("details.claim-evidence summary").all()
        assert len(summaries) >= 3
        for summary in summaries:
            summary.click()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the page scrolls sideways on a phone"

        evidence_map = page.locator(".evidence-map")
        evidence_map.scroll_into_view_if_needed()
        screenshot("phone-evidence-map")

        # No wide table: nothing in the map is wider than its column or the viewport.
        overflow = evidence_map.evaluate(
            "map => ({scroll: map.scrollWidth, client: map.parentElement.clientWidth})"
        )
        assert overflow["scroll"] <= overflow["client"], overflow
        assert evidence_map.evaluate(OUTSIDE_VIEWPORT) == []

        # Column headings are never cut mid-word: the table (and its header) is not shown.
        headings = evidence_map.locator("thead th")
        assert headings.count() >= 2
        for heading in headings.all():
            assert not heading.is_visible() or heading.evaluate(
                "th => th.scrollWidth <= th.clientWidth"
            )
        assert not evidence_map.locator("table").is_visible()

        # Instead, a list of the claims, each with its sources beneath its statement.
        claims = evidence_map.locator(".evidence-map-list > li")
        assert claims.count() == evidence_map.locator("tbody tr").count() >= 8
        first = claims.first
        statement, sources = first.locator(".map-statement"), first.locator(".map-sources")
        assert statement.is_visible() and sources.is_visible()
        first_row = evidence_map.locator("tbody tr").first.locator("th a")
        assert statement.locator("a").inner_text() == first_row.text_content().strip()
        assert re.search(r"\[\d+\]", sources.inner_text()), sources.inner_text()
        above, below = statement.bounding_box(), sources.bounding_box()
        assert below["y"] >= above["y"] + above["height"] - 0.5, (above, below)
        # The list names the same sources for each claim as the table's cells.
        assert evidence_map.evaluate(NUMBERS_IN_LIST) == evidence_map.evaluate(NUMBERS_IN_TABLE)

        # Every [n] link (in the list and in the opened quotes) is a 24×24 tap target.
        assert_citations_are_big_enough(page, at_least=claims.count())
        screenshot("phone-full")
        assert_no_axe_violations(page)

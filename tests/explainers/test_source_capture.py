"""Readers see, for each source in an explainer's list captured from the web, its original
link and when the newsroom captured it; everything escaped."""

import datetime

import pytest

from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    cited_claim_block,
    explainer_page,
    soup_of,
)

pytestmark = pytest.mark.django_db

CAPTURED = datetime.datetime(2026, 3, 14, 9, 30, tzinfo=datetime.UTC)


def test_a_captured_source_shows_its_original_link_and_capture_date(client, author):
    hostile = 'https://example.org/story?q="><script>alert(1)</script>'
    web = SourceFactory(title="From the web", url=hostile, captured_at=CAPTURED)
    filed = SourceFactory(title="From a file", url="https://example.org/filed")
    claim = ClaimFactory(created_by=author, statement="Claim A")
    EvidenceFactory(claim=claim, source=web)
    EvidenceFactory(claim=claim, source=filed)
    page = explainer_page(body=[cited_claim_block(claim, True)])

    soup = soup_of(client, page)

    first, second = soup.select(".source-list > li")
    capture = first.select_one(".source-capture")
    assert capture.get_text(" ", strip=True) == (
        f"Original: {hostile} , captured on 14 March 2026 ."
    )
    assert capture.a["href"] == hostile
    assert capture.time["datetime"] == "2026-03-14T09:30:00+00:00"
    assert "<script>alert(1)" not in client.get(page.url).content.decode()
    assert second.select_one(".source-capture") is None

"""One rule for where in a recording a quote is spoken (Evidence.transcript_moment): the
admin's label and the reader's page, its label and its link's #t=, cite the same moment
for the same quote, wherever in the transcript the quote stands."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    cited_claim_block,
    explainer_page,
)

pytestmark = pytest.mark.django_db

URL = "https://video.example.org/evening-21-dec"
# As the importer assembles a transcript: an opening line with no time, three timed
# caption lines, and a line with no time of its own after them.
LINES = (
    (None, "Live from Paris."),
    ((0, "00:00"), "Good evening."),
    ((102, "01:42"), "The Kremlin says Putin is ready for dialogue"),
    ((110, "01:50"), "with Macron. Paris says any talks will be held"),
    (None, "in full transparency with Kyiv."),
)
BODY = " ".join(text for _, text in LINES)


def timed_segments():
    segments = []
    for moment, text in LINES:
        if moment:
            start = BODY.index(text)
            segments.append(
                {
                    "start": moment[0],
                    "label": moment[1],
                    "start_offset": start,
                    "end_offset": start + len(text),
                }
            )
    return segments


def quoted(quote, segments):
    source = SourceFactory(
        kind="transcript", url=URL, original_text=BODY, body=BODY, segments=segments
    )
    return EvidenceFactory(claim=ClaimFactory(), source=source, quote=quote)


def admin_labels(client, claim):
    """Every timestamp the claim's admin page shows beside its quotes."""
    url = reverse("wagtailsnippets_newsroom_claim:inspect", args=[claim.pk])
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [stamp.text.removeprefix("at ").strip() for stamp in soup.select(".evidence-timestamp")]


def reader_moment(client, claim):
    """The timestamp the reader's page shows beside the claim's quote, and the second its
    link to the recording starts at."""
    page = explainer_page(body=[cited_claim_block(claim, show_as_unverified=True)])
    response = client.get(page.url)
    assert response.status_code == 200
    quote = BeautifulSoup(response.content, "html.parser").select_one("li.quote")
    stamp = quote.select_one(".timestamp")
    link = quote.select_one(f'.quote-source a[href^="{URL}"]')["href"]
    seconds = int(link.split("#t=")[1]) if "#t=" in link else None
    return (stamp.text if stamp else ""), seconds


@pytest.mark.parametrize(
    ("quote", "label", "seconds"),
    [
        ("Putin is ready for dialogue", "01:42", 102),
        # Begins in one caption and ends in the next: cited where it begins.
        ("ready for dialogue with Macron", "01:42", 102),
        # A line with no time of its own is spoken after the last time given before it.
        ("in full transparency with Kyiv", "01:50", 110),
        # Nothing is timed before the first caption.
        ("Live from Paris", "", None),
    ],
)
def test_the_admin_and_the_readers_page_cite_the_same_moment(
    client, editor_client, quote, label, seconds
):
    evidence = quoted(quote, timed_segments())

    assert evidence.transcript_moment == (label, seconds)
    assert admin_labels(editor_client, evidence.claim) == ([label] if label else [])
    assert reader_moment(client, evidence.claim) == (label, seconds)


def test_a_quote_from_a_source_with_no_segments_has_no_moment_anywhere(client, editor_client):
    evidence = quoted("Putin is ready for dialogue", segments=[])

    assert evidence.transcript_moment == ("", None)
    assert admin_labels(editor_client, evidence.claim) == []
    assert reader_moment(client, evidence.claim) == ("", None)

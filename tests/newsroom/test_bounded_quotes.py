"""Bounded work per request (issue #14, item 3): a quote longer than an editor would use is
refused with a message before any search, on every path that accepts one; the closest
passage to a refused quote is found in time linear in the source's length; evidence
suggestions are computed once per change to what they depend on, not on every view."""

import random
import time
import tomllib
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from newsroom.desk import anchoring, suggestions
from newsroom.desk.anchoring import MAX_QUOTE_LENGTH, closest_passage, normalise
from newsroom.desk.models import Claim, Evidence, Source, claims
from newsroom.desk.quote_repair import quote_repair
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    claim_url,
    messages_of,
    snippet_url,
)
from tests.newsroom.test_evidence_word_for_word import add_claim

pytestmark = pytest.mark.django_db

PLANTED = "The envoy said the ministers would meet in Geneva before the summer recess."
WORDS = ["the", "a", "of", "to", "and", "in", "that", "is", "was", "for", "on", "with", "said"]


def filler(size: int, seed: int = 7) -> str:
    """`size` characters of prose-like text whose words are common, as a long source's are."""
    rng = random.Random(seed)
    vocabulary = WORDS + [f"word{n}" for n in range(3000)]
    text = " ".join(rng.choice(vocabulary) for _ in range(size // 4))
    return text[:size]


def long_refused_quote(size: int) -> str:
    """A quote that shares the source's words but is in it nowhere word for word."""
    return filler(size, seed=11)


def test_a_quote_longer_than_the_cap_is_refused_before_any_search():
    source = SourceFactory(body="Short body. " * 10)
    evidence = Evidence(source=source, quote="x " * 500_000, stance="supports")
    started = time.perf_counter()
    with (
        mock.patch.object(anchoring, "closest_passage") as search,
        pytest.raises(ValidationError) as refused,
    ):
        evidence.clean()
    assert time.perf_counter() - started < 1
    assert not search.called
    assert f"longer than {MAX_QUOTE_LENGTH:,} characters" in " ".join(refused.value.messages)


def test_the_cap_is_above_every_quote_of_the_seeds_and_the_demo():
    demo = tomllib.loads(Path("seeds/demo.toml").read_text(encoding="utf-8"))
    quotes = []

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "quote" and isinstance(value, str):
                    quotes.append(value)
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(demo)
    assert quotes
    assert max(len(quote) for quote in quotes) * 3 < MAX_QUOTE_LENGTH


def test_the_claim_form_refuses_a_1_mb_quote_with_a_message_and_saves_nothing(editor_client):
    source = SourceFactory(title="Kremlin readout", body=filler(100_000))
    started = time.perf_counter()
    response = add_claim(editor_client, source, long_refused_quote(1_000_000))
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert f"longer than {MAX_QUOTE_LENGTH:,} characters" in response.content.decode()
    assert not Claim.objects.exists()
    assert not Evidence.objects.exists()


def test_one_click_evidence_refuses_a_1_mb_quote_and_adds_nothing(editor_client, editor):
    source = SourceFactory(body=filler(100_000))
    claim = ClaimFactory(statement="The ministers will meet in Geneva.", created_by=editor)
    response = editor_client.post(
        claim_url("add_evidence", claim),
        {"source": source.pk, "quote": long_refused_quote(1_000_000), "stance": "supports"},
        follow=True,
    )
    assert response.status_code == 200
    assert f"longer than {MAX_QUOTE_LENGTH:,} characters" in messages_of(response)
    assert "Nothing was added." in messages_of(response)
    assert not Evidence.objects.filter(claim=claim).exists()
    assert claim.get_latest_revision_as_object().evidence.count() == 0


def test_quote_repair_offers_nothing_for_a_quote_over_the_cap():
    source = SourceFactory(body=filler(100_000))
    evidence = Evidence(source=source, quote=long_refused_quote(10_000))
    with mock.patch("newsroom.desk.quote_repair.closest_passage") as search:
        assert quote_repair(evidence) is None
    assert not search.called


def test_the_corroboration_tool_refuses_a_quote_over_the_cap(editor_client):
    source = SourceFactory(body=filler(10_000))
    response = editor_client.get(
        snippet_url("claim", "draft_corroboration"),
        {"source": [source.pk], "quote": ["x" * (MAX_QUOTE_LENGTH + 1)], "stance": ["supports"]},
    )
    assert response.status_code == 400


def test_a_10_kb_refused_quote_against_a_1_mb_source_takes_under_a_second():
    body = filler(1_000_000)
    quote = long_refused_quote(10_000)
    started = time.perf_counter()
    passage = closest_passage(body, quote)
    elapsed = time.perf_counter() - started
    assert elapsed < 1, f"closest_passage took {elapsed:.2f} s"
    assert passage and passage in body


def test_the_closest_passage_in_a_1_mb_source_is_the_one_that_differs_by_a_word():
    body = filler(500_000) + " " + PLANTED + " " + filler(500_000, seed=3)
    quote = PLANTED.replace("Geneva", "Vienna")
    assert closest_passage(body, quote) == PLANTED


def test_a_short_typo_still_finds_its_word_in_a_short_source():
    body = "Kremlin spokesperson Dmitry Peskov said on Sunday that talks were possible."
    assert "Peskov" in closest_passage(body, "Peskof")


@given(
    st.text(
        alphabet=" \t\n\u00a0\u2019\u201cAbc-\u2014\u0130\u00df.\u03a3\u03c2\u03b1", max_size=40
    )
)
def test_normalise_folds_as_it_does_one_character_at_a_time(text):
    folded, origin = anchoring.normalise_by_character(text)
    assert normalise(text) == (folded, origin)
    folded_too, origin_of = anchoring.fold(text)
    assert folded_too == folded
    assert [origin_of(index) for index in range(len(folded))] == origin


def test_suggestions_are_computed_once_across_views_until_something_changes(editor_client, editor):
    claim = ClaimFactory(statement="The ministers will meet in Geneva before summer.")
    other = SourceFactory(body=f"Nothing. {PLANTED} Later on, more.")
    spy = mock.patch.object(suggestions, "candidate_sources", wraps=suggestions.candidate_sources)
    with spy as search:
        first = editor_client.get(claim_url("inspect", claim))
        editor_client.get(claim_url("edit", claim))
        editor_client.get(claim_url("inspect", claim))
        assert search.call_count == 1
        assert PLANTED in first.content.decode()

        other.body = f"Nothing new. {PLANTED}"
        other.save()
        editor_client.get(claim_url("inspect", claim))
        assert search.call_count == 2

        SourceFactory(body="Another source entirely, about Geneva ministers.")
        editor_client.get(claim_url("inspect", claim))
        assert search.call_count == 3

        Claim.objects.filter(pk=claim.pk).update(statement="Ministers meet in Geneva.")
        editor_client.get(claim_url("inspect", claim))
        assert search.call_count == 4


def test_cached_suggestions_keep_the_queries_of_a_view_bounded(
    editor_client, django_assert_max_num_queries
):
    claim = ClaimFactory(statement="The ministers will meet in Geneva before summer.")
    for n in range(6):
        SourceFactory(body=f"Source {n}. {PLANTED} And then {n}.")
    editor_client.get(claim_url("inspect", claim))
    with django_assert_max_num_queries(30):
        response = editor_client.get(claim_url("inspect", claim))
    assert response.content.decode().count("Geneva before the summer recess") >= 2
    assert Source.objects.count() == 6


def test_a_lost_quotes_closest_passage_is_sought_once_across_views(editor_client):
    source = SourceFactory(body=f"Nothing. {PLANTED} Later on, more.")
    evidence = EvidenceFactory(source=source, quote=PLANTED)
    lost = PLANTED.replace("Geneva", "Vienna")
    Evidence.objects.filter(pk=evidence.pk).update(
        quote=lost, anchor_status=Evidence.AnchorStatus.LOST, start_offset=None, end_offset=None
    )
    spy = mock.patch.object(claims, "closest_passage", wraps=claims.closest_passage)
    with spy as search:
        pages = [editor_client.get(claim_url("inspect", evidence.claim)) for _ in range(2)]
        assert search.call_count == 1
    for page in pages:
        assert f"Closest passage: “{PLANTED}”" in page.content.decode()

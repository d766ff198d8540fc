"""Evidence suggestions: sentences from sources the claim doesn't cite, ranked by
similarity, with a likely stance, and addable in one click from the claim's admin page."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from newsroom.desk.models import Claim, Source
from newsroom.desk.suggestions import sentences, suggest_evidence
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory, claim_url

pytestmark = pytest.mark.django_db

STATEMENT = "The Kremlin said Putin was ready for dialogue with Macron."


def source_saying(*sentences_, **fields):
    body = " ".join(sentences_)
    return SourceFactory(original_text=body, body=body, **fields)


def test_suggestions_are_sentences_of_other_sources_best_first():
    close = source_saying(
        "Markets were calm on Monday.",
        "The Kremlin said President Putin was ready for dialogue with Emmanuel Macron.",
    )
    looser = source_saying("Macron hopes for dialogue with Moscow, aides in Paris said today.")
    source_saying("The weather in Paris was mild for the season this week.")
    claim = ClaimFactory(statement=STATEMENT)

    found = suggest_evidence(claim, limit=5)

    assert [s.source for s in found] == [close, looser]
    best = found[0]
    assert best.quote == (
        "The Kremlin said President Putin was ready for dialogue with Emmanuel Macron."
    )
    assert close.body[best.start : best.end] == best.quote
    assert best.stance == "supports"
    assert best.score > found[1].score
    assert {"kreml", "putin", "dialo", "macro"} <= set(best.shared_terms)


def test_a_negated_sentence_is_suggested_as_disputing():
    source_saying("The Kremlin denied that Putin was ready for any dialogue with Macron.")
    claim = ClaimFactory(statement=STATEMENT)
    [suggestion] = suggest_evidence(claim)
    assert suggestion.stance == "disputes"


def test_a_double_negation_is_suggested_as_supporting():
    """As in seed 003: "Moscow does not refuse dialogue" agrees with a claim that it is open
    to dialogue; counting a single "not" would guess it disputes."""
    source_saying("The Kremlin does not refuse a dialogue with Macron, Putin said on Sunday.")
    source_saying("The Kremlin refused any dialogue with Macron, Putin said on Monday.")
    claim = ClaimFactory(statement="The Kremlin is open to dialogue with Macron, Putin said.")
    stances = {s.quote.split(",")[0]: s.stance for s in suggest_evidence(claim)}
    assert stances == {
        "The Kremlin does not refuse a dialogue with Macron": "supports",
        "The Kremlin refused any dialogue with Macron": "disputes",
    }


def test_sources_the_claim_already_cites_are_not_suggested():
    claim = ClaimFactory(statement=STATEMENT)
    cited = EvidenceFactory(claim=claim).source
    other = SourceFactory()
    assert {s.source for s in suggest_evidence(claim)} == {other}
    assert cited != other


def test_sentences_do_not_break_at_abbreviations_and_transcripts_run_on():
    article = Source(
        kind=Source.Kind.ARTICLE,
        body="The signal came on Dec. 21 from Dmitry Peskov in Moscow.\nA headline without a stop",
    )
    assert [article.body[a:b] for a, b in sentences(article)] == [
        "The signal came on Dec. 21 from Dmitry Peskov in Moscow.",
        "A headline without a stop",
    ]
    transcript = Source(
        kind=Source.Kind.TRANSCRIPT,
        body="Paris is now signalling that talks\nwith Moscow may resume soon. Next point here.",
    )
    assert [transcript.body[a:b] for a, b in sentences(transcript)][0] == (
        "Paris is now signalling that talks\nwith Moscow may resume soon."
    )


def test_the_database_narrows_the_candidates_before_scoring(django_assert_max_num_queries):
    for index in range(30):
        source_saying(f"Unrelated report number {index} about fishing quotas in the Baltic.")
    wanted = source_saying("The Kremlin said Putin was open to dialogue with Macron.")
    claim = ClaimFactory(statement=STATEMENT)
    with django_assert_max_num_queries(2) as queries:
        found = suggest_evidence(claim)
    assert [s.source for s in found] == [wanted]
    assert "LIKE" in queries.captured_queries[-1]["sql"].upper()


def suggestion_forms(html):
    """Each suggestion's form: (its action, its hidden fields, its buttons' stances)."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        (
            form["action"],
            {field["name"]: field["value"] for field in form.select("input[type=hidden]")},
            [(button["value"], button.get_text(strip=True)) for button in form("button")],
        )
        for form in soup.select("li.suggestion form")
    ]


def test_claim_page_lists_suggestions_and_adds_one_in_one_click(editor_client, editor):
    source = source_saying("The Kremlin said President Putin was ready for dialogue with Macron.")
    claim = ClaimFactory(statement=STATEMENT, created_by=editor)
    inspect = claim_url("inspect", claim)
    page = editor_client.get(inspect).content.decode()
    assert "Evidence suggestions (1)" in page
    assert "Looks like it supports the claim" in page
    [(action, fields, buttons)] = suggestion_forms(page)
    assert fields.pop("csrfmiddlewaretoken")
    assert fields == {
        "source": str(source.pk),
        "quote": "The Kremlin said President Putin was ready for dialogue with Macron.",
        "next": inspect,
    }
    assert buttons == [("supports", "Supports"), ("disputes", "Disputes"), ("context", "Context")]
    response = editor_client.post(action, {**fields, "stance": "supports"})
    assert response.status_code == 302
    assert response["Location"] == inspect
    evidence = Claim.objects.get(pk=claim.pk).evidence.get()
    assert (evidence.source, evidence.stance, evidence.anchor_method) == (
        source,
        "supports",
        "exact",
    )
    page = editor_client.get(inspect).content.decode()
    assert (
        "<mark>The Kremlin said President Putin was ready for dialogue with Macron.</mark>" in page
    )
    assert "Evidence suggestions (0)" in page
    assert "No passage in the other sources looks close to this claim." in page


def test_imported_text_is_escaped_in_suggestions_and_highlights(editor_client, editor):
    source_saying(
        "The Kremlin said Putin was ready for dialogue with Macron <script>alert(1)</script>."
    )
    claim = ClaimFactory(statement=STATEMENT, created_by=editor)
    quoted = SourceFactory(
        original_text="<b>Peskov</b>: Putin was ready for dialogue with Macron <img src=x>",
        body="<b>Peskov</b>: Putin was ready for dialogue with Macron <img src=x>",
    )
    EvidenceFactory(claim=claim, source=quoted)
    page = editor_client.get(
        reverse("wagtailsnippets_newsroom_claim:inspect", args=[claim.pk])
    ).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x>" not in page and "<b>Peskov</b>" not in page
    assert (
        "&lt;b&gt;Peskov&lt;/b&gt;: <mark>Putin was ready for dialogue with Macron</mark>" in page
    )

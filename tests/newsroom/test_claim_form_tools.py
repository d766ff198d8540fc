"""The claim form's quote tools, server side: a source's text for the form (permission
checked, 404 for an id that names nothing, hostile text kept as data), the corroboration the
form's unsaved rows add up to by the verification rules, and quote repair (the closest
passage with the differing words marked, escaped, and a "Use this passage" button)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from newsroom.desk.anchoring import Words, differing_words
from newsroom.desk.corroboration import (
    EvidenceDraft,
    corroboration_of_drafts,
    corroboration_summary,
)
from newsroom.desk.models.claims import Corroboration
from tests.factories import (
    SAMPLE_QUOTES,
    OutletFactory,
    SourceFactory,
    UserFactory,
    claim_url,
    claim_with_evidence,
    logged_in_client,
    snippet_url,
)
from tests.newsroom.test_evidence_word_for_word import add_claim

pytestmark = pytest.mark.django_db

HOSTILE = 'Before. <script>alert("x")</script> <img src=x onerror=alert(1)> After.'
SUPPORTS = SAMPLE_QUOTES["supports"]


def source_text_url(pk):
    return snippet_url("claim", "source_text", pk)


def corroboration_url():
    return snippet_url("claim", "draft_corroboration")


def rows_query(*rows):
    """GET data for the corroboration endpoint: (source, quote, stance) per row."""
    return {
        "source": [str(source) for source, _, _ in rows],
        "quote": [quote for _, quote, _ in rows],
        "stance": [stance for _, _, stance in rows],
    }


# The source's text


def test_the_form_gets_a_sources_text_as_json_data(editor_client):
    source = SourceFactory(title="<b>Readout</b>", original_text=HOSTILE, body=HOSTILE)
    response = editor_client.get(source_text_url(source.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": source.pk,
        "title": "<b>Readout</b>",
        "outlet": source.outlet.name,
        "body": HOSTILE,
    }
    # Data, never a page: browsers must not sniff it as HTML.
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("pk", [999_999, 2**63, 10**30])
def test_a_source_id_that_names_nothing_is_a_404(editor_client, pk):
    assert editor_client.get(source_text_url(pk)).status_code == 404


def test_a_non_numeric_source_id_has_no_url():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        source_text_url("abc")


def test_someone_who_may_not_view_sources_gets_no_text(db):
    source = SourceFactory()
    claims_only = Group.objects.create(name="Claims only")
    claims_only.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="add_claim"),
        Permission.objects.get(codename="change_claim"),
    )
    user = UserFactory(username="claims-only", groups=["Claims only"])
    client = logged_in_client(user)
    for url in (source_text_url(source.pk), corroboration_url()):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/admin/", url


def test_someone_who_may_not_write_claims_gets_no_text(db):
    source = SourceFactory()
    readers = Group.objects.create(name="Source readers")
    readers.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_source"),
    )
    client = logged_in_client(UserFactory(username="reader", groups=["Source readers"]))
    response = client.get(source_text_url(source.pk))
    assert response.status_code == 302 and response.url == "/admin/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    source = SourceFactory()
    response = client.get(source_text_url(source.pk))
    assert response.status_code == 302 and "/admin/login/" in response.url


# Corroboration as the form is edited


def test_two_sources_from_one_outlet_need_another_outlet(editor_client):
    outlet = OutletFactory(name="Wire")
    first, second = SourceFactory(outlet=outlet), SourceFactory(outlet=outlet)
    response = editor_client.get(
        corroboration_url(),
        rows_query((first.pk, SUPPORTS, "supports"), (second.pk, SUPPORTS, "supports")),
    )
    assert response.status_code == 200
    answer = response.json()
    assert (answer["supporting_sources"], answer["supporting_outlets"]) == (2, 1)
    assert answer["summary"] == (
        "2 supporting sources, 1 outlet: needs 1 more outlet or a verifier's single-source note."
    )


def test_a_second_outlet_is_enough_and_disputes_and_lost_quotes_are_said(editor_client):
    first, second, third = SourceFactory(), SourceFactory(), SourceFactory()
    answer = editor_client.get(
        corroboration_url(),
        rows_query(
            (first.pk, SUPPORTS, "supports"),
            (second.pk, SUPPORTS, "supports"),
            (third.pk, SAMPLE_QUOTES["disputes"], "disputes"),
            (third.pk, "Putin was never ready", "supports"),
        ),
    ).json()
    assert answer["summary"] == (
        "2 supporting sources, 2 outlets: enough outlets to be verified. "
        "Disputed by 1 source from 1 outlet. "
        "1 quote is not in its source word for word, so it does not count."
    )
    assert answer["unanchored"] == 1


@override_settings(NEWSROOM_MIN_OUTLETS=3)
def test_what_is_needed_follows_the_outlet_setting():
    counts = Corroboration(supporting_sources=1, supporting_outlets=1)
    assert corroboration_summary(counts) == (
        "1 supporting source, 1 outlet: needs 2 more outlets or a verifier's single-source note."
    )
    assert corroboration_summary(Corroboration()).startswith(
        "0 supporting sources, 0 outlets: needs supporting quotes from 3 outlets"
    )


def test_the_unsaved_count_is_the_models_count_once_saved(editor):
    claim = claim_with_evidence(editor, ("supports", "supports", "disputes"))
    rows = claim.evidence.select_related("source")
    drafts = [EvidenceDraft(row.source, row.quote, row.stance) for row in rows]
    assert corroboration_of_drafts(drafts).counts == claim.corroboration()


def test_the_corroboration_answer_costs_one_query_for_all_its_sources(
    editor_client, django_assert_max_num_queries
):
    sources = [SourceFactory() for _ in range(8)]
    one = rows_query((sources[0].pk, SUPPORTS, "supports"))
    eight = rows_query(*((source.pk, SUPPORTS, "supports") for source in sources))
    with CaptureQueriesContext(connection) as for_one:
        editor_client.get(corroboration_url(), one)
    # The same queries for eight rows as for one: the request's own, then one for sources.
    with django_assert_max_num_queries(len(for_one)):
        answer = editor_client.get(corroboration_url(), eight).json()
    assert answer["supporting_outlets"] == 8
    assert sum("newsroom_source" in query["sql"] for query in for_one.captured_queries) == 1


@pytest.mark.parametrize(
    "query, status",
    [
        ({"source": ["abc"], "quote": ["q"], "stance": ["supports"]}, 400),
        ({"source": [str(2**63)], "quote": ["q"], "stance": ["supports"]}, 400),
        ({"source": ["999999"], "quote": ["q"], "stance": ["supports"]}, 404),
        ({"source": ["1"], "quote": [], "stance": ["supports"]}, 400),
        ({"source": ["1"], "quote": ["q"], "stance": ["<script>"]}, 400),
    ],
)
def test_a_forged_corroboration_request_is_refused(editor_client, query, status):
    SourceFactory()
    assert editor_client.get(corroboration_url(), query).status_code == status


def test_the_form_shows_the_saved_claims_corroboration_without_javascript(editor_client, editor):
    claim = claim_with_evidence(editor, ("supports",))
    soup = BeautifulSoup(editor_client.get(claim_url("edit", claim)).content, "html.parser")
    line = soup.select_one("[data-corroboration-line]")
    assert line["role"] == "status"
    assert line.get_text(strip=True) == (
        "1 supporting source, 1 outlet: needs 1 more outlet or a verifier's single-source note."
    )
    tools = soup.select_one("[data-claim-form-tools]")
    assert tools["data-corroboration-url"] == corroboration_url()
    assert tools["data-source-text-url"] == source_text_url(0)
    assert soup.select_one("script[src$='newsroom/desk/claim_form_tools.js']")


# Quote repair


def test_differing_words_mark_what_the_other_text_lacks():
    runs = differing_words("Putin is “ready” for talks now.", 'putin is not "ready" for a talk')
    assert "".join(run.text for run in runs) == "Putin is “ready” for talks now."
    assert [run.text for run in runs if run.differs] == ["talks now."]
    assert differing_words("with Macron, he said", "with Macron") == [
        Words("with Macron,", False),
        Words(" ", False),
        Words("he said", True),
    ]
    assert differing_words("same words", "Same  words") == [Words("same words", False)]


def test_a_refused_quote_shows_the_passage_with_the_differences_marked(editor_client):
    body = "Peskov said <b>Putin</b> is ready for dialogue with Macron, he added."
    source = SourceFactory(original_text=body, body=body)
    response = add_claim(editor_client, source, "Putin is not ready for dialogue with Macron")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    error = soup.select_one(".w-field__errors .error-message").get_text(" ", strip=True)
    assert error.startswith(f"This quote is not in “{source.title}” word for word.")
    repair = soup.select_one("[data-quote-repair]")
    passage = repair.select_one("[data-quote-repair-passage]")
    assert passage.get_text() == "<b>Putin</b> is ready for dialogue with Macron,"
    assert passage.find("b") is None, "the source's markup is shown as text"
    assert [mark.get_text() for mark in passage.select("mark")] == ["<b>Putin</b>"]
    assert [word.get_text() for word in repair.select("del")] == ["Putin", "not"]
    button = repair.select_one("button[data-quote-repair-use]")
    assert button.get_text(strip=True) == "Use this passage"
    assert button.has_attr("hidden"), "without JavaScript the passage is text to copy"
    assert button["data-quote-repair-for"] == "id_evidence-0-quote"
    assert soup.select_one("#id_evidence-0-quote").get_text().lstrip("\n") == (
        "Putin is not ready for dialogue with Macron"
    )


def test_a_quote_refused_for_another_reason_has_no_repair(editor_client):
    source = SourceFactory()
    response = add_claim(editor_client, source, "")
    assert response.status_code == 200
    assert b"data-quote-repair" not in response.content

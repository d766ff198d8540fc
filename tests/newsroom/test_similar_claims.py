"""Similar claims: the statement hash (exact duplicates), the lookup on both databases (the
trigram and full-text indexes on PostgreSQL), the claim form's panel and its endpoint
(permission checked, escaped, a bounded number of queries), and saving: a near-duplicate
warns naming the other claim, an exact duplicate of a published claim is refused."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction

from newsroom.desk.models import Claim
from newsroom.desk.similar_claims import postgres_candidates, similar_claims
from newsroom.desk.text import normalised_statement, statement_hash
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    UserFactory,
    cited_claim_block,
    claim_url,
    explainer_page,
    logged_in_client,
    messages_of,
    snippet_url,
)

pytestmark = pytest.mark.django_db

READY = "Putin is ready for dialogue with Macron, the Kremlin said."
REWORDED = "The Kremlin said Putin was ready for a dialogue with Macron."
UNRELATED = "Olaf Scholz warned in Berlin that energy prices would keep rising."


def similar_url():
    return snippet_url("claim", "similar_claims")


def published(statement, **fields):
    claim = ClaimFactory(statement=statement, **fields)
    claim.save_revision().publish()
    claim.refresh_from_db()
    return claim


def add_data(statement, publish=False):
    data = {
        "statement": statement,
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    if publish:
        data["action-publish"] = "publish"
    return data


# The hash of the normalised statement


@pytest.mark.parametrize(
    "variant",
    [
        "putin is ready for dialogue with macron the kremlin said",
        "  PUTIN is ready\tfor dialogue with Macron — the Kremlin said!  ",
        "Putin is ready for “dialogue” with Macron, the Kremlin said",
        "Putin is ready for 'dialogue' with Macron; the Kremlin said.",
        "Ｐｕｔｉｎ is ready for dialogue with Macron, the Kremlin said.",  # full-width (NFKC)
    ],
)
def test_case_spacing_punctuation_and_quote_marks_make_no_other_statement(variant):
    assert statement_hash(variant) == statement_hash(READY)


@pytest.mark.parametrize(
    "other", [REWORDED, "Putin is not ready for dialogue with Macron, the Kremlin said."]
)
def test_other_words_make_another_statement(other):
    assert statement_hash(other) != statement_hash(READY)


def test_normalisation_folds_case_beyond_lower_case():
    assert normalised_statement("STRASSE  „Straße“") == "strasse strasse"


def test_every_save_keeps_the_hash_and_the_migration_fills_it_for_old_claims():
    claim = ClaimFactory(statement=READY)
    assert claim.statement_hash == statement_hash(READY)
    claim.statement = REWORDED
    claim.save(update_fields=["statement"])
    assert Claim.objects.get(pk=claim.pk).statement_hash == statement_hash(REWORDED)

    Claim.objects.filter(pk=claim.pk).update(statement_hash="")
    migration = __import__(
        "newsroom.desk.migrations.0011_similar_claims", fromlist=["fill_statement_hashes"]
    )
    migration.fill_statement_hashes(django_apps, None)
    assert Claim.objects.get(pk=claim.pk).statement_hash == statement_hash(REWORDED)


# The lookup


def test_a_reworded_claim_is_found_and_an_unrelated_one_is_not():
    ready = ClaimFactory(statement=READY)
    ClaimFactory(statement=UNRELATED)
    [found] = similar_claims(REWORDED)
    assert found.claim == ready
    assert not found.exact
    assert found.confirmed and found.score >= 0.85


def test_the_claim_being_edited_is_left_out_and_an_exact_duplicate_scores_one():
    ready = ClaimFactory(statement=READY)
    same = ClaimFactory(statement=READY.upper())
    [found] = similar_claims(READY, exclude=ready.pk)
    assert (found.claim, found.exact, found.score) == (same, True, 1.0)
    assert similar_claims("  ...  ") == []


def test_a_lookup_is_a_fixed_handful_of_queries(django_assert_max_num_queries):
    for n in range(20):
        claim = ClaimFactory(statement=f"{READY} Note {n}.")
        EvidenceFactory(claim=claim)
    # SQLite: word counts, candidates; PostgreSQL: the rarest words, candidates. Then the
    # listed claims with their evidence, and the citing explainers.
    with django_assert_max_num_queries(8):
        found = similar_claims(READY)
    assert len(found) == 8 and all(similar.evidence_count == 1 for similar in found)


@pytest.mark.postgres
def test_the_full_text_index_serves_the_lookup_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm and the GIN indexes are PostgreSQL's")
    ready = ClaimFactory(statement=READY)
    ClaimFactory(statement=UNRELATED)
    candidates = postgres_candidates(Claim.objects.all(), REWORDED, statement_hash(REWORDED))
    with transaction.atomic(), connection.cursor() as cursor:
        # So few rows would be read whole; the plan shows the index can be used.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = candidates.explain()
    assert "claim_statement_fts" in plan, plan
    assert [pk for pk, *_ in candidates] == [ready.pk]


@pytest.mark.postgres
def test_words_analyze_found_common_narrow_only_by_three_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the word statistics are PostgreSQL's")
    # Many claims about Kaja Kallas: after ANALYZE her names are common words, so sharing
    # them (a pair that always comes together) no longer makes a candidate.
    for n in range(300):
        ClaimFactory(statement=f"Kaja Kallas spoke about topic{n} in town{n}")
    same_topic = ClaimFactory(statement="Kaja Kallas denied the frozen assets in Paris")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE newsroom_claim")
    asked = "Kaja Kallas denied the frozen assets in Paris on Monday"
    candidates = postgres_candidates(Claim.objects.all(), asked, statement_hash(asked))
    assert [pk for pk, *_ in candidates] == [same_topic.pk]


# The endpoint the panel's script asks


def test_the_endpoint_lists_similar_claims_with_status_evidence_and_citing_explainers(
    editor_client, django_assert_max_num_queries
):
    ready = published(READY)
    EvidenceFactory(claim=ready)
    EvidenceFactory(claim=ready, quote="any talks would be held", stance="disputes")
    explainer_page(
        title="What the Kremlin said", body=[cited_claim_block(ready, show_as_unverified=True)]
    )
    for n in range(5):
        ClaimFactory(statement=f"{REWORDED} Version {n}.")

    with django_assert_max_num_queries(16):
        response = editor_client.get(similar_url(), {"statement": REWORDED})

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    items = soup.select("li.similar-claim")
    assert len(items) == 6
    first = items[0].get_text(" ", strip=True)
    assert ready.statement in first
    assert "2 quotes" in first
    assert "cited by 1 live explainer: “What the Kremlin said”" in first
    assert "Unverified" in first
    links = [a["href"] for a in items[0].select("a")]
    assert links == [claim_url("inspect", ready), claim_url("edit", ready)]
    assert "Use this claim instead" in items[0].get_text()


def test_the_query_count_does_not_grow_with_the_claims_listed(
    editor_client, django_assert_max_num_queries
):
    for n in range(30):
        ClaimFactory(statement=f"{READY} Note {n}.")
    with django_assert_max_num_queries(16):
        response = editor_client.get(similar_url(), {"statement": READY})
    assert len(BeautifulSoup(response.content, "html.parser").select("li.similar-claim")) == 8


def test_statements_are_escaped(editor_client):
    hostile = 'Putin is ready <script>alert("x")</script> for dialogue with Macron.'
    ClaimFactory(statement=hostile)
    response = editor_client.get(similar_url(), {"statement": hostile})
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content


def test_the_claim_being_edited_is_not_listed(editor_client):
    ready = ClaimFactory(statement=READY)
    response = editor_client.get(similar_url(), {"statement": READY, "claim": ready.pk})
    assert "No existing claim looks like this statement." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"statement": READY, "claim": "abc"},
        {"statement": READY, "claim": "99999999999999999999999"},
        {"statement": READY, "claim": "-1"},
        {"statement": "x" * 601},
    ],
)
def test_forged_parameters_are_refused_with_a_400(editor_client, query):
    assert editor_client.get(similar_url(), query).status_code == 400


def test_only_the_claim_form_post_is_allowed(editor_client):
    assert editor_client.post(similar_url(), {"statement": READY}).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client):
    ClaimFactory(statement=READY)
    response = client.get(similar_url(), {"statement": READY})
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_someone_who_may_only_read_claims_gets_nothing(db):
    ClaimFactory(statement=READY)
    readers = Group.objects.create(name="Claim readers")
    readers.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_claim"),
    )
    client = logged_in_client(UserFactory(username="reader", groups=["Claim readers"]))
    response = client.get(similar_url(), {"statement": READY})
    assert response.status_code == 302 and response.url == "/admin/"
    assert READY not in response.content.decode()


# The panel in the form, without the script


def panel_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one("[data-side-panel='similar-claims']"), soup


def test_the_edit_form_lists_similar_claims_as_rendered(editor_client):
    ready = ClaimFactory(statement=READY)
    claim = ClaimFactory(statement=REWORDED)
    panel, soup = panel_of(editor_client.get(claim_url("edit", claim)))
    assert [li.select_one("a").get_text() for li in panel.select("li.similar-claim")] == [READY]
    assert panel.select_one("a")["href"] == claim_url("inspect", ready)
    toggle = soup.select_one("[data-side-panel-toggle='similar-claims']")
    assert toggle.get_text(" ", strip=True) == "Similar claims (1)"


def test_the_add_form_has_the_panel_and_where_to_ask(editor_client):
    panel, _ = panel_of(editor_client.get(claim_url("add")))
    assert "No existing claim looks like this statement." in panel.get_text()
    assert panel.select_one("[data-similar-claims]")["data-similar-claims-url"] == similar_url()


# Saving


def test_saving_a_near_duplicate_warns_naming_the_other_claim_and_saves(editor_client):
    ready = published(READY)
    response = editor_client.post(claim_url("add"), add_data(REWORDED), follow=True)
    assert response.redirect_chain[-1][1] == 302
    created = Claim.objects.get(statement=REWORDED)
    shown = messages_of(response)
    assert "the desk already has a claim saying this" in shown
    assert f'<a href="{claim_url("edit", ready)}">“{ready}”</a>' in shown
    assert "unverified" in shown
    assert created.created_by.username == "editor"


def test_publishing_a_near_duplicate_from_the_edit_form_warns_too(editor_client):
    ready = ClaimFactory(statement=READY)
    claim = ClaimFactory(statement=UNRELATED)
    response = editor_client.post(
        claim_url("edit", claim), add_data(REWORDED, publish=True), follow=True
    )
    assert claim_url("edit", ready) in messages_of(response)
    claim.refresh_from_db()
    assert (claim.statement, claim.live) == (REWORDED, True)


def test_a_claim_unlike_any_other_saves_without_warning(editor_client):
    ClaimFactory(statement=READY)
    response = editor_client.post(claim_url("add"), add_data(UNRELATED), follow=True)
    assert "already has a claim" not in messages_of(response)
    assert Claim.objects.filter(statement=UNRELATED).exists()


def test_an_exact_duplicate_of_a_published_claim_is_refused_with_a_link(editor_client):
    ready = published(READY)
    response = editor_client.post(
        claim_url("add"), add_data("  putin IS ready for “dialogue” with macron — the kremlin said")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["statement"]
    assert errors == [
        f'A published claim already says this: <a href="{claim_url("edit", ready)}">“{ready}”</a>. '
        "Cite that claim instead, or reword this one."
    ]
    assert f'href="{claim_url("edit", ready)}"' in response.content.decode()
    assert Claim.objects.count() == 1


def test_an_exact_duplicate_of_a_draft_is_saved_with_a_warning(editor_client):
    draft = ClaimFactory(statement=READY, live=False)
    response = editor_client.post(claim_url("add"), add_data(READY.upper()), follow=True)
    assert Claim.objects.count() == 2
    assert "same statement" in messages_of(response)
    assert claim_url("edit", draft) in messages_of(response)


def test_rewording_a_claim_into_a_published_one_is_refused_and_changes_nothing(editor_client):
    published(READY)
    claim = ClaimFactory(statement=UNRELATED)
    response = editor_client.post(claim_url("edit", claim), add_data(READY.lower()))
    assert response.status_code == 200 and "statement" in response.context["form"].errors
    claim.refresh_from_db()
    assert claim.statement == UNRELATED and claim.latest_revision is None

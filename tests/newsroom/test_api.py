"""The public read API: only live, verified claims that live, public explainers cite, with
their evidence and sources."""

import itertools

import pytest
from wagtail.models import Page

from newsroom.desk.models import Claim
from tests.factories import ClaimFactory, EvidenceFactory, cited_claim_block, explainer_page

pytestmark = pytest.mark.django_db

page_numbers = itertools.count(1)


@pytest.fixture
def assert_max_queries():
    """Like django_assert_max_num_queries, counting only statements that read or write
    tables: each request is a transaction (ATOMIC_REQUESTS), and inside a test its
    SAVEPOINT and RELEASE are bookkeeping, not work (outside a test a request that queries
    nothing sends nothing)."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def at_most(number):
        with CaptureQueriesContext(connection) as captured:
            yield captured
        work = [
            query["sql"]
            for query in captured.captured_queries
            if "SAVEPOINT" not in query["sql"].upper()
        ]
        assert len(work) <= number, f"{len(work)} queries, at most {number} wanted:\n" + (
            "\n".join(work)
        )

    return at_most


def cite_in_public_explainer(*claims, **fields):
    """A live, public explainer citing `claims`: what puts a verified claim in the API."""
    title = fields.pop("title", f"Citing explainer {next(page_numbers)}")
    return explainer_page(title, body=[cited_claim_block(claim) for claim in claims], **fields)


def verified_claim(cited=True, **kwargs):
    """A verified claim with one quote, cited by a live, public explainer unless cited=False."""
    evidence = EvidenceFactory(claim=ClaimFactory(status=Claim.Status.VERIFIED, **kwargs))
    if cited and evidence.claim.live:
        cite_in_public_explainer(evidence.claim)
    return evidence.claim


def test_verified_claims_are_listed_with_their_evidence_and_sources(client):
    claim = verified_claim(statement="Peskov said Putin was ready for dialogue.")
    response = client.get("/api/claims/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["statement"] == "Peskov said Putin was ready for dialogue."
    [evidence] = item["evidence"]
    assert evidence["quote"] == "Putin was ready for dialogue with Macron"
    assert evidence["source"]["title"] == claim.evidence.get().source.title
    assert evidence["source"]["outlet"] == claim.evidence.get().source.outlet.name
    assert client.get(f"/api/claims/{claim.pk}/").json()["id"] == claim.pk


@pytest.mark.parametrize("status", ["unverified", "disputed", "false", "needs_recheck"], ids=str)
def test_claims_that_are_not_verified_never_appear(client, status):
    claim = EvidenceFactory(claim=ClaimFactory(status=status)).claim
    assert client.get("/api/claims/").json()["count"] == 0
    assert client.get(f"/api/claims/{claim.pk}/").status_code == 404


def test_draft_claims_never_appear(client):
    claim = verified_claim(live=False)
    assert client.get("/api/claims/").json()["count"] == 0
    assert client.get(f"/api/claims/{claim.pk}/").status_code == 404


def test_the_api_is_read_only(client, editor_client):
    claim = verified_claim()
    for http in (client, editor_client):
        # A body is refused unread (request_bodies); without one, the method is refused.
        assert http.post("/api/claims/", {"statement": "forged"}).status_code == 413
        assert http.generic("POST", "/api/claims/").status_code == 405
        assert http.delete(f"/api/claims/{claim.pk}/").status_code == 405
    assert Claim.objects.filter(pk=claim.pk, statement=claim.statement).exists()


def test_listing_is_paginated_with_a_fixed_number_of_queries(client, assert_max_queries):
    cite_in_public_explainer(*(verified_claim(cited=False) for _ in range(25)))
    with assert_max_queries(6):
        first = client.get("/api/claims/").json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5


def test_claim_detail_shows_tags_note_and_every_quote_in_order(client):
    claim = verified_claim(statement="Paris wants talks in full view of Kyiv.")
    claim.tags.add("diplomacy", "Ukraine")
    claim.save()
    EvidenceFactory(
        claim=claim,
        quote="any talks would be held in full transparency with Kyiv",
        stance="context",
    )
    body = client.get(f"/api/claims/{claim.pk}/").json()
    assert body["tags"] == ["diplomacy", "Ukraine"]
    assert [row["stance"] for row in body["evidence"]] == ["supports", "context"]
    assert body["evidence"][1]["source"]["url"] is None


def test_page_size_is_capped(client):
    for _ in range(3):
        verified_claim()
    body = client.get("/api/claims/?page_size=2").json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert client.get("/api/claims/?page=9").status_code == 404
    assert len(client.get("/api/claims/?page_size=1000").json()["results"]) == 3


# Caching: one copy for everyone, keyed on the desk's latest change.


def test_a_repeated_request_is_served_from_the_cache(client, assert_max_queries):
    verified_claim()
    first = client.get("/api/claims/")
    assert first["X-Newsroom-Cache"] == "miss"
    assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
    with assert_max_queries(1):  # at most the latest-change probe
        second = client.get("/api/claims/")
    assert second["X-Newsroom-Cache"] == "hit"
    assert second.content == first.content
    assert client.get("/api/claims/?page_size=5")["X-Newsroom-Cache"] == "miss"


def test_a_decision_is_visible_on_the_next_request(client, editor, verifier):
    from newsroom.desk.verification import verify_claim

    claim = ClaimFactory(created_by=editor)
    EvidenceFactory(claim=claim)
    EvidenceFactory(claim=claim)  # a second outlet: corroborated
    explainer_page("Cites it", body=[cited_claim_block(claim, show_as_unverified=True)])
    assert client.get("/api/claims/").json()["count"] == 0
    assert client.get("/api/claims/")["X-Newsroom-Cache"] == "hit"
    verify_claim(claim, verifier, Claim.Status.VERIFIED)
    response = client.get("/api/claims/")
    assert response["X-Newsroom-Cache"] == "miss"
    assert [item["id"] for item in response.json()["results"]] == [claim.pk]
    verify_claim(claim, verifier, Claim.Status.UNVERIFIED)
    assert client.get("/api/claims/").json()["count"] == 0


def test_a_published_edit_to_a_claim_is_visible_on_the_next_request(client):
    claim = verified_claim(statement="Before.")
    assert client.get(f"/api/claims/{claim.pk}/").json()["statement"] == "Before."
    Claim.objects.filter(pk=claim.pk).update(live=False)  # unpublished without a log entry
    claim.unpublish()  # the admin's way logs it
    assert client.get(f"/api/claims/{claim.pk}/").status_code == 404


# Wagtail API v2: live, public explainers only.


def explainer_ids(client, query=""):
    response = client.get(f"/api/v2/pages/{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_live_explainers_and_their_index_are_listed(client):
    from explainers.models import ExplainerIndexPage

    page = explainer_page("What the Kremlin said")
    ids = explainer_ids(client)
    assert page.pk in ids
    assert ExplainerIndexPage.objects.get().pk in ids
    assert set(ids) == {page.pk, ExplainerIndexPage.objects.get().pk}  # not the home page
    detail = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert detail["title"] == "What the Kremlin said"
    assert detail["meta"]["type"] == "explainers.ExplainerPage"
    assert detail["standfirst"] == "Where the talks stand, claim by claim."


def test_drafts_never_appear_and_a_draft_edit_never_shows(client):
    draft = explainer_page("Not yet", publish=False)
    live = explainer_page("Published title")
    live.title = "Draft title"
    live.save_revision()
    assert draft.pk not in explainer_ids(client)
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{live.pk}/").json()["title"] == "Published title"
    live.unpublish()
    assert live.pk not in explainer_ids(client)


@pytest.mark.parametrize("restriction", ["password", "login", "groups"])
def test_private_explainers_never_appear_even_to_those_allowed_to_read_them(
    client, admin_client, restriction
):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    page = explainer_page("Embargoed")
    rule = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction, password="embargo"
    )
    if restriction == "groups":
        rule.groups.add(Group.objects.get(name="Editors"))
    for http in (client, admin_client):
        assert page.pk not in explainer_ids(http)
        assert http.get(f"/api/v2/pages/{page.pk}/").status_code == 404
        assert http.get("/api/v2/pages/?type=explainers.ExplainerPage").json()["items"] == []
        found = http.get("/api/v2/pages/find/?html_path=/explainers/embargoed/")
        assert found.status_code == 404


def test_only_explainer_types_can_be_asked_for(client):
    assert explainer_ids(client, "?type=explainers.HomePage") == []
    assert client.get("/api/v2/pages/?type=auth.User").status_code == 400


def test_explainer_detail_lists_its_claims_with_status_and_body(client, editor):
    verified = verified_claim(statement="Peskov said Putin was ready for dialogue.")
    unverified = EvidenceFactory(claim=ClaimFactory(statement="Macron will go.")).claim
    page = explainer_page(
        "Talks",
        body=[cited_claim_block(verified), cited_claim_block(unverified, show_as_unverified=True)],
    )
    detail = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert [block["type"] for block in detail["body"]] == ["claim", "claim"]
    assert detail["cited_claims"] == [
        {
            "id": verified.pk,
            "statement": "Peskov said Putin was ready for dialogue.",
            "status": "verified",
            "url": f"http://testserver/api/claims/{verified.pk}/",
        },
        {"id": unverified.pk, "statement": "Macron will go.", "status": "unverified", "url": None},
    ]


def test_explainer_listing_is_paginated_with_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for number in range(25):
        explainer_page(f"Explainer {number}")
    query = "?type=explainers.ExplainerPage&fields=standfirst,tags&limit=10"
    with django_assert_max_num_queries(12):
        first = client.get(f"/api/v2/pages/{query}").json()
    assert first["meta"]["total_count"] == 25
    assert len(first["items"]) == 10
    last = client.get(f"/api/v2/pages/{query}&offset=20").json()
    assert len(last["items"]) == 5
    assert client.get("/api/v2/pages/?limit=500").status_code == 400


def test_publishing_an_explainer_is_visible_on_the_next_request(client):
    page = explainer_page("Soon", publish=False)
    assert page.pk not in explainer_ids(client)
    page.get_latest_revision().publish()
    assert page.pk in explainer_ids(client)


def test_the_pages_api_is_read_only(client, admin_client):
    page = explainer_page("Fixed")
    for http in (client, admin_client):
        assert http.post("/api/v2/pages/", {"title": "forged"}).status_code == 413
        assert http.generic("POST", "/api/v2/pages/").status_code == 405
        assert http.delete(f"/api/v2/pages/{page.pk}/").status_code == 405
    page.refresh_from_db()
    assert page.live and page.title == "Fixed"
    assert not Page.objects.filter(title="forged").exists()


# Embargoed work: a verified claim is public only once a live, public explainer cites it.


def api_claim_ids(client):
    return [item["id"] for item in client.get("/api/claims/?page_size=100").json()["results"]]


def test_a_claim_cited_only_by_a_draft_explainer_never_appears(client):
    claim = verified_claim(cited=False, statement="Cited by a draft only.")
    explainer_page("Draft", body=[cited_claim_block(claim)], publish=False)
    shown = verified_claim(statement="Cited by a published explainer.")
    assert api_claim_ids(client) == [shown.pk]
    assert client.get(f"/api/claims/{claim.pk}/").status_code == 404


@pytest.mark.parametrize("restriction", ["password", "login", "groups"])
def test_a_claim_cited_only_by_a_private_explainer_never_appears(client, restriction):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    claim = verified_claim(cited=False, statement="Cited by a private explainer only.")
    page = cite_in_public_explainer(claim, title="Embargoed")
    assert api_claim_ids(client) == [claim.pk]
    rule = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction, password="embargo"
    )
    if restriction == "groups":
        rule.groups.add(Group.objects.get(name="Editors"))
    assert api_claim_ids(client) == []
    assert client.get(f"/api/claims/{claim.pk}/").status_code == 404
    rule.delete()
    assert api_claim_ids(client) == [claim.pk]


def test_a_claim_leaves_the_api_when_its_last_public_explainer_is_unpublished(client):
    claim = verified_claim(cited=False)
    first = cite_in_public_explainer(claim)
    second = cite_in_public_explainer(claim)
    assert api_claim_ids(client) == [claim.pk]
    first.unpublish()
    assert api_claim_ids(client) == [claim.pk]
    second.unpublish()
    assert api_claim_ids(client) == []


def test_each_quote_comes_with_the_exact_passage_it_is_anchored_at(client):
    from newsroom.desk.models import Evidence

    claim = verified_claim()
    EvidenceFactory(
        claim=claim, quote="  putin was READY for dialogue with macron ", stance="context"
    )
    lost = EvidenceFactory(claim=claim, quote="Putin was ready for dialogue", stance="context")
    Evidence.objects.filter(pk=lost.pk).update(anchor_status=Evidence.AnchorStatus.LOST)
    quotes = client.get(f"/api/claims/{claim.pk}/").json()["evidence"]
    body = claim.evidence.first().source.body
    typed, folded, gone = quotes
    assert typed["passage"] == "Putin was ready for dialogue with Macron"
    assert folded["passage"] in body
    assert folded["passage"] == "Putin was ready for dialogue with Macron"
    assert folded["quote"] != folded["passage"]
    assert gone["passage"] is None


# The latest-change probe: cheap on every request, and never stale for long.


def test_cache_hits_within_the_probe_interval_cost_no_query(client, assert_max_queries):
    verified_claim()
    assert client.get("/api/claims/")["X-Newsroom-Cache"] == "miss"
    with assert_max_queries(0):
        for _ in range(3):
            assert client.get("/api/claims/")["X-Newsroom-Cache"] == "hit"


def test_a_write_that_sends_no_signal_shows_once_the_probe_interval_passes(client):
    import time

    from django.utils import timezone

    from explainers.api_changes import CHANGE_PROBE_SECONDS
    from newsroom.desk.models import Source

    claim = verified_claim(statement="Before.")
    assert client.get(f"/api/claims/{claim.pk}/").json()["statement"] == "Before."
    # Queryset updates send no signal; a source's updated_at is part of the probe.
    Claim.objects.filter(pk=claim.pk).update(statement="After.")
    Source.objects.update(updated_at=timezone.now())
    assert client.get(f"/api/claims/{claim.pk}/")["X-Newsroom-Cache"] == "hit"
    time.sleep(CHANGE_PROBE_SECONDS + 0.2)
    response = client.get(f"/api/claims/{claim.pk}/")
    assert response["X-Newsroom-Cache"] == "miss"
    assert response.json()["statement"] == "After."


def test_the_probe_is_cleared_again_once_a_write_commits(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from explainers.api_changes import CHANGE_KEY, clear_latest_change

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        claim = verified_claim()
        claim.statement = "Edited."
        claim.save_revision()
        claim.save_revision()
        # A request between the write and its commit probes the database as it was.
        cache.set(CHANGE_KEY, "from before the commit", 60)
    assert cache.get(CHANGE_KEY) is None
    assert [callback for callback in callbacks if callback is clear_latest_change] == [
        clear_latest_change
    ]

"""The public read API: only live, verified claims, with their evidence and sources."""

import pytest

from newsroom.models import Claim
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def verified_claim(**kwargs):
    evidence = EvidenceFactory(claim=ClaimFactory(status=Claim.Status.VERIFIED, **kwargs))
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
        assert http.post("/api/claims/", {"statement": "forged"}).status_code in (403, 405)
        assert http.delete(f"/api/claims/{claim.pk}/").status_code in (403, 405)
    assert Claim.objects.filter(pk=claim.pk, statement=claim.statement).exists()


def test_listing_is_paginated_with_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(25):
        verified_claim()
    with django_assert_max_num_queries(6):
        first = client.get("/api/claims/").json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5

"""Corroboration: distinct sources and outlets for and against a claim, in the admin list
and for templates, without a query per claim."""

import pytest
from django.db.models import Prefetch
from django.urls import reverse

from newsroom.desk.models import Claim, Evidence
from tests.factories import ClaimFactory, EvidenceFactory, OutletFactory, SourceFactory

pytestmark = pytest.mark.django_db

DISPUTING = "any talks would be held in full transparency"


def test_corroboration_counts_distinct_sources_and_outlets():
    claim = ClaimFactory()
    wire, paper = OutletFactory(name="Wire"), OutletFactory(name="Paper")
    first, second = SourceFactory(outlet=wire), SourceFactory(outlet=wire)
    EvidenceFactory(claim=claim, source=first)
    EvidenceFactory(claim=claim, source=first, quote="The Kremlin said on 21 December")
    EvidenceFactory(claim=claim, source=second)
    EvidenceFactory(
        claim=claim, source=SourceFactory(outlet=paper), quote=DISPUTING, stance="disputes"
    )
    EvidenceFactory(
        claim=claim, source=SourceFactory(outlet=paper), quote=DISPUTING, stance="context"
    )
    EvidenceFactory(claim=claim, source=SourceFactory(outlet=None))

    counts = claim.corroboration()
    assert (counts.supporting_sources, counts.supporting_outlets) == (3, 1)
    assert (counts.disputing_sources, counts.disputing_outlets) == (1, 1)


def test_quotes_that_no_longer_anchor_do_not_corroborate():
    claim = ClaimFactory()
    kept, lost = EvidenceFactory(claim=claim), EvidenceFactory(claim=claim)
    Evidence.objects.filter(pk=lost.pk).update(anchor_status=Evidence.AnchorStatus.LOST)
    counts = Claim.objects.get(pk=claim.pk).corroboration()
    assert counts.supporting_sources == 1
    assert kept.source.outlet_id != lost.source.outlet_id


def test_corroboration_uses_prefetched_evidence(django_assert_num_queries):
    for _ in range(3):
        claim = ClaimFactory()
        EvidenceFactory(claim=claim)
        EvidenceFactory(claim=claim, quote=DISPUTING, stance="disputes")
    evidence = Evidence.objects.select_related("source")
    with django_assert_num_queries(2):
        claims = list(Claim.objects.prefetch_related(Prefetch("evidence", queryset=evidence)))
        counts = [claim.corroboration() for claim in claims]
    assert [(c.supporting_outlets, c.disputing_outlets) for c in counts] == [(1, 1)] * 3


def list_page(client):
    response = client.get(reverse("wagtailsnippets_newsroom_claim:list"))
    assert response.status_code == 200
    return response.content.decode()


def test_admin_list_shows_corroboration_without_a_query_per_claim(
    editor_client, django_assert_max_num_queries
):
    claim = ClaimFactory(statement="Macron and Putin will talk.")
    EvidenceFactory(claim=claim)
    EvidenceFactory(claim=claim)
    EvidenceFactory(claim=claim, quote=DISPUTING, stance="disputes")
    content = list_page(editor_client)
    assert "Supported by" in content and "Disputed by" in content
    assert "2 sources, 2 outlets" in content
    assert "1 source, 1 outlet" in content

    with django_assert_max_num_queries(40) as few:
        list_page(editor_client)
    for _ in range(15):
        EvidenceFactory(claim=ClaimFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        list_page(editor_client)

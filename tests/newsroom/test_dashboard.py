"""The verification desk's panels on the admin home: re-check, awaiting, single source,
disputed, each linking to its claims."""

import pytest
from django.urls import reverse

from newsroom.desk.models import Claim
from tests.factories import ClaimFactory, EvidenceFactory, claim_url

pytestmark = pytest.mark.django_db


def panel(content, name):
    start = content.index(f'id="claims-{name}"')
    return content[start : content.index("</section>", start)]


@pytest.fixture
def queues():
    recheck = EvidenceFactory(claim__statement="A quote moved under this claim.").claim
    Claim.objects.filter(pk=recheck.pk).update(status=Claim.Status.NEEDS_RECHECK)
    awaiting = EvidenceFactory(claim__statement="Cited but not yet decided.").claim
    no_evidence = ClaimFactory(statement="Nothing cited yet.")
    single = EvidenceFactory(claim__statement="Only one outlet says so.").claim
    Claim.objects.filter(pk=single.pk).update(
        status=Claim.Status.VERIFIED, single_source=True, verification_note="Only TASS."
    )
    disputed = EvidenceFactory(claim__statement="Contested by the Elysee.").claim
    Claim.objects.filter(pk=disputed.pk).update(status=Claim.Status.DISPUTED)
    return {
        "needs-recheck": recheck,
        "awaiting-verification": awaiting,
        "single-source": single,
        "disputed": disputed,
        "none": no_evidence,
    }


@pytest.mark.parametrize("user", ["editor_client", "verifier_client"])
def test_each_panel_lists_its_claims_with_links(request, user, queues):
    client = request.getfixturevalue(user)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    for name in ("needs-recheck", "awaiting-verification", "single-source", "disputed"):
        section = panel(content, name)
        for other, claim in queues.items():
            listed = f'href="{claim_url("edit", claim)}"' in section
            assert listed == (other == name), (name, other)
    assert "Only TASS." in panel(content, "single-source")


def test_empty_panels_say_so(editor_client):
    content = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "No cited quote has moved or gone from its source." in panel(content, "needs-recheck")
    assert "No claim is disputed." in panel(content, "disputed")


def test_panel_queues_filter_the_claim_list(editor_client, queues):
    listing = reverse("wagtailsnippets_newsroom_claim:list")
    for params, name in [
        ({"awaiting": "true"}, "awaiting-verification"),
        ({"single_source": "true"}, "single-source"),
        ({"status": "needs_recheck"}, "needs-recheck"),
    ]:
        response = editor_client.get(listing, params)
        assert list(response.context["object_list"]) == [queues[name]]


def test_home_page_queries_do_not_grow_with_the_queues(
    editor_client, queues, django_assert_max_num_queries
):
    home = reverse("wagtailadmin_home")
    with django_assert_max_num_queries(100) as baseline:
        editor_client.get(home)
    for _ in range(5):
        claim = EvidenceFactory().claim
        Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DISPUTED)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        editor_client.get(home)

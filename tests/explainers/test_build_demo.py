"""The demo explainer, built from the imported seeds by `manage.py build_demo`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from explainers.models import ExplainerPage
from newsroom.desk.models import Claim, Evidence, Verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("import_sources", verbosity=0)
    call_command("build_demo", verbosity=0)
    return ExplainerPage.objects.get(slug="are-france-and-russia-talking-again")


def test_the_demo_explainer_is_published_from_the_seeds(demo, client):
    assert demo.live
    assert demo.title == "Are France and Russia talking again?"
    claims = list(demo.cited_claims().prefetch_related("evidence__source"))
    assert len(claims) >= 8
    verified_claims = [claim for claim in claims if claim.status == Claim.Status.VERIFIED]
    assert len(verified_claims) >= 8
    for claim in claims:
        evidence = list(claim.evidence.all())
        assert evidence, claim
        for row in evidence:
            assert row.source.seed_file.startswith("seeds/")
            assert row.anchor_method == "exact"
            assert row.quote in row.source.body
            assert row.source.body[row.start_offset : row.end_offset] == row.quote
    for claim in verified_claims:
        assert claim.verified_by and claim.created_by
        assert claim.verified_by != claim.created_by
        assert claim.verifications.filter(verified_by=claim.verified_by).exists()
    assert any(claim.single_source and claim.verification_note for claim in verified_claims)

    html = client.get(demo.url).content.decode()
    assert "badge--verified" in html
    assert "Single source" in html


def test_a_claim_only_one_seed_makes_is_shown_honestly(demo, client):
    flagged = {pk for pk, shown in _flags(demo) if shown}
    not_verified = Claim.objects.filter(pk__in=flagged).exclude(status=Claim.Status.VERIFIED)
    assert not_verified.exists()
    for claim in not_verified:
        supporting = claim.evidence.filter(stance=Evidence.Stance.SUPPORTS)
        assert supporting.values("source").distinct().count() == 1
    html = client.get(demo.url).content.decode()
    assert "badge--unverified" in html


def test_every_status_rests_on_the_stances_of_its_quotes(demo):
    for claim in demo.cited_claims().prefetch_related("evidence"):
        stances = {row.stance for row in claim.evidence.all()}
        assert Evidence.Stance.SUPPORTS in stances, claim
        if claim.status in (Claim.Status.DISPUTED, Claim.Status.FALSE):
            # Disputed or false only on a quote that contradicts the claim.
            assert Evidence.Stance.DISPUTES in stances, claim
        if claim.status == Claim.Status.VERIFIED:
            assert Evidence.Stance.DISPUTES not in stances, claim


def _flags(page):
    from explainers.blocks import iter_cited_claims

    return list(iter_cited_claims(page.body.raw_data))


def test_running_it_again_changes_nothing(demo):
    counts = (
        Claim.objects.count(),
        Evidence.objects.count(),
        Verification.objects.count(),
        Revision.objects.count(),
        ExplainerPage.objects.count(),
    )
    call_command("build_demo", verbosity=0)
    assert counts == (
        Claim.objects.count(),
        Evidence.objects.count(),
        Verification.objects.count(),
        Revision.objects.count(),
        ExplainerPage.objects.count(),
    )


def test_demo_users_cannot_log_in(demo):
    for username in ("demo-author", "demo-verifier"):
        assert not get_user_model().objects.get(username=username).has_usable_password()


def test_without_imported_seeds_it_refuses_clearly(db):
    with pytest.raises(CommandError, match="import_sources"):
        call_command("build_demo", verbosity=0)
    assert not Claim.objects.exists()


def test_each_point_of_a_compound_claim_has_its_own_supporting_quotes(demo):
    claim = Claim.objects.get(statement__contains="rather than leave it to the United States")
    supporting = claim.evidence.filter(stance=Evidence.Stance.SUPPORTS).select_related("source")
    for point in ("unified", "United States"):
        sources = {row.source.pk for row in supporting if point in row.quote}
        assert len(sources) == 2, point

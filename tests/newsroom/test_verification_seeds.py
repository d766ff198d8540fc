"""The verification desk on the seed sources, through the admin: suggestions across
outlets, a single-source claim, and a re-import that breaks a cited quote."""

import io
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.suggestions import suggest_evidence
from tests.factories import ClaimFactory, claim_url
from tests.newsroom.test_verification import assert_decided, decide, problems

pytestmark = pytest.mark.django_db

SEEDS = settings.BASE_DIR / "seeds"
KREMLIN = "The Kremlin said on 21 December that Putin was ready for dialogue with Macron"
KALLAS = "Kaja Kallas insisted that no concessions to Moscow should precede any dialogue"


def import_seeds(path=SEEDS):
    call_command("import_sources", str(path), stdout=io.StringIO())


def add_suggestions(client, claim):
    """Click "Add" on every suggestion the claim's page offers."""
    for suggestion in suggest_evidence(claim, limit=8):
        client.post(
            claim_url("add_evidence", claim),
            {
                "source": suggestion.source.pk,
                "quote": suggestion.quote,
                "stance": suggestion.stance,
            },
        )


def test_the_kremlin_claim_finds_support_in_three_seed_sources(editor_client, editor):
    import_seeds()
    claim = ClaimFactory(statement=KREMLIN, created_by=editor)
    supporting = [s for s in suggest_evidence(claim, limit=8) if s.stance == "supports"]
    assert len({s.source.pk for s in supporting}) >= 3
    assert {s.source.seed_file for s in supporting} <= set(
        Source.objects.values_list("seed_file", flat=True)
    )
    page = editor_client.get(claim_url("inspect", claim)).content.decode()
    for suggestion in supporting:
        assert suggestion.source.title in page


def test_the_kremlin_claim_is_verified_on_seed_evidence_from_two_outlets(
    editor_client, verifier_client, editor, verifier
):
    import_seeds()
    claim = ClaimFactory(statement=KREMLIN, created_by=editor)
    add_suggestions(editor_client, claim)
    claim.refresh_from_db()
    assert claim.evidence.filter(stance="supports").values("source").distinct().count() >= 3
    assert all(row.is_anchored for row in claim.evidence.all())
    assert claim.corroboration().supporting_outlets >= 2

    assert decide(verifier_client, claim, "verified", note="Peskov, quoted widely.").url == (
        claim_url("edit", claim)
    )
    claim.refresh_from_db()
    assert (claim.status, claim.single_source, claim.verified_by) == ("verified", False, verifier)


def test_a_claim_found_in_one_seed_is_verified_only_as_single_source(
    editor_client, verifier_client, editor
):
    import_seeds()
    claim = ClaimFactory(statement=KALLAS, created_by=editor)
    found = suggest_evidence(claim)
    assert {s.source.seed_file for s in found} == {"seeds/003_0474a2333bdbbac5.txt"}
    add_suggestions(editor_client, claim)
    assert claim.evidence.count() == 1

    refused = decide(verifier_client, claim, "verified")
    assert "at least 2 different outlets" in problems(refused)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED

    note = "Only one seed reports Kallas's words; we have not seen them elsewhere."
    response = decide(verifier_client, claim, "verified", note=note, single_source=True)
    assert_decided(response, claim, Claim.Status.VERIFIED)
    assert (claim.status, claim.single_source, claim.verification_note) == ("verified", True, note)
    home = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    panel = home[home.index('id="claims-single-source"') :]
    assert claim_url("edit", claim) in panel[: panel.index("</section>")]


def test_reimporting_a_seed_that_breaks_a_quote_flags_the_claim_for_recheck(
    tmp_path, editor_client, verifier_client, editor
):
    seed = tmp_path / "004_c03ff76d15088dc7.txt"
    shutil.copy(SEEDS / seed.name, seed)
    shutil.copy(SEEDS / "000_a45109ac8b8cbc6e.txt", tmp_path)
    import_seeds(tmp_path)
    claim = ClaimFactory(statement=KREMLIN, created_by=editor)
    add_suggestions(editor_client, claim)
    response = decide(verifier_client, claim, "verified", note="Peskov.", single_source=True)
    assert_decided(response, claim, Claim.Status.VERIFIED)
    cited = claim.evidence.get(source__seed_file=str(seed))

    seed.write_text(seed.read_text(encoding="utf-8").replace(cited.quote, "Peskov declined."))
    import_seeds(tmp_path)

    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK
    cited.refresh_from_db()
    assert cited.anchor_status == Evidence.AnchorStatus.LOST
    home = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    panel = home[home.index('id="claims-needs-recheck"') :]
    assert claim_url("edit", claim) in panel[: panel.index("</section>")]
    refused = decide(verifier_client, claim, "verified")
    assert "no longer anchors in its source" in problems(refused)

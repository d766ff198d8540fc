"""Importing again changes nothing; importing a changed file makes a new revision of its
source and re-anchors every quote from it."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from newsroom.desk.models import Claim, Evidence, Source
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db

SEEDS = settings.BASE_DIR / "seeds"
SEED_002 = SEEDS / "002_0ce464d2b3789fd5.txt"


def database_dump():
    """Every row of every table, as dumpdata writes them."""
    out = StringIO()
    call_command("dumpdata", "--natural-foreign", "--indent=0", stdout=out)
    return out.getvalue()


def test_importing_twice_leaves_the_database_exactly_as_after_the_first(run_import):
    status, _, _ = run_import(SEEDS)
    assert status == 0
    first = database_dump()
    assert '"model": "wagtailcore.revision"' in first

    status, out, _ = run_import(SEEDS)

    assert status == 0
    assert "0 imported, 0 updated, 5 unchanged, 0 failed, 0 lines set aside" in out
    assert database_dump() == first


def test_unchanged_files_are_skipped_with_one_query(run_import, django_assert_max_num_queries):
    run_import(SEEDS)
    with django_assert_max_num_queries(1):
        status, out, _ = run_import(SEEDS)
    assert status == 0 and "5 unchanged" in out


def cite(source, quote):
    evidence = EvidenceFactory(source=source, quote=quote)
    assert evidence.anchor_status == Evidence.AnchorStatus.ANCHORED
    return evidence


def test_changed_file_updates_its_source_as_a_new_revision(run_import, copied_seed):
    assert run_import(copied_seed)[0] == 0
    source = Source.objects.get()
    original_body = source.body
    kept = cite(source, "The Kremlin welcomed Macron’s remarks")
    reworded = cite(source, "Moscow is not yet ready for peace talks")
    nudged = cite(source, "Russia will remain a permanent factor in Europe’s security landscape")
    claim_ids = {kept.claim_id, reworded.claim_id, nudged.claim_id}
    assert Claim.objects.filter(pk__in=claim_ids, status=Claim.Status.UNVERIFIED).count() == 3

    text = copied_seed.read_text(encoding="utf-8")
    text = text.replace(
        "PARIS: (Web Desk)",
        "An update was added at the top of this story by the desk overnight.\n\nPARIS: (Web Desk)",
    )
    text = text.replace("Moscow is not yet ready for peace talks", "Moscow may soon be ready")
    text = text.replace(
        "permanent factor in Europe’s security", "permanent factor in European security"
    )
    copied_seed.write_text(text, encoding="utf-8")

    status, out, err = run_import(copied_seed)

    assert status == 0, err
    assert "0 imported, 1 updated, 0 unchanged, 0 failed" in out
    assert "2 claims need re-check" in out
    source = Source.objects.get()
    assert source.original_text == text
    assert source.body.startswith("An update was added at the top")
    revisions = list(source.revisions.order_by("created_at", "pk"))
    assert len(revisions) == 2
    assert revisions[0].content["body"] == original_body
    assert revisions[1].content["body"] == source.body
    assert source.latest_revision == revisions[1]

    kept.refresh_from_db()
    assert kept.anchor_status == Evidence.AnchorStatus.ANCHORED
    assert kept.anchored_text == "The Kremlin welcomed Macron’s remarks"
    assert kept.start_offset == source.body.index("The Kremlin welcomed")
    reworded.refresh_from_db()
    assert reworded.anchor_status == Evidence.AnchorStatus.LOST
    assert reworded.start_offset is None
    nudged.refresh_from_db()
    assert nudged.anchor_status == Evidence.AnchorStatus.LOST
    assert Claim.objects.get(pk=kept.claim_id).status == Claim.Status.UNVERIFIED
    assert Claim.objects.get(pk=reworded.claim_id).status == Claim.Status.NEEDS_RECHECK
    assert Claim.objects.get(pk=nudged.claim_id).status == Claim.Status.NEEDS_RECHECK


def test_changed_file_in_a_dry_run_writes_nothing(run_import, copied_seed):
    run_import(copied_seed)
    before = database_dump()
    copied_seed.write_text(copied_seed.read_text() + "\nA late paragraph was added.\n")
    status, out, _ = run_import(copied_seed, "--dry-run")
    assert status == 0
    assert "would update" in out
    assert "0 imported, 1 updated" in out
    assert database_dump() == before


def test_manifest_change_alone_updates_the_source(run_import, copied_seed):
    run_import(copied_seed)
    (copied_seed.parent / "sources.toml").write_text(
        f'[files."{copied_seed.name}"]\noutlet = "Web Desk News"\n'
    )
    status, out, _ = run_import(copied_seed)
    assert status == 0 and "1 updated" in out
    source = Source.objects.get()
    assert source.outlet.name == "Web Desk News"
    assert source.revisions.count() == 2
    status, out, _ = run_import(copied_seed)
    assert "1 unchanged" in out


def test_a_file_named_twice_is_imported_once(run_import):
    status, out, _ = run_import(SEEDS, SEED_002, SEEDS / ".." / "seeds" / SEED_002.name)
    assert status == 0
    assert "5 imported, 0 updated, 0 unchanged, 0 failed" in out
    assert Source.objects.count() == 5

"""Decisions rest on what readers see with a quote, its note included: each stored
fingerprint gains the notes its quotes have now (the best record there is of them), so that
a note edited from here on reopens the claim, and nothing reopens merely by migrating."""

from django.db import migrations


def add_notes(apps, schema_editor):
    Verification = apps.get_model("newsroom", "Verification")
    Evidence = apps.get_model("newsroom", "Evidence")
    notes = {}
    for claim_id, source_id, quote, stance, note in Evidence.objects.values_list(
        "claim_id", "source_id", "quote", "stance", "note"
    ):
        notes.setdefault((claim_id, source_id, quote.strip(), stance), note.strip())
    changed = []
    for verification in Verification.objects.exclude(fingerprint={}):
        rows = verification.fingerprint.get("evidence", [])
        if not rows or len(rows[0]) != 3:
            continue
        verification.fingerprint["evidence"] = sorted(
            [*row, notes.get((verification.claim_id, *row), "")] for row in rows
        )
        changed.append(verification)
    Verification.objects.bulk_update(changed, ["fingerprint"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0005_evidence_word_for_word")]

    operations = [migrations.RunPython(add_notes, migrations.RunPython.noop)]

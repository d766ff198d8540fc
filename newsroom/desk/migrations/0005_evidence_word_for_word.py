"""Evidence anchors only word for word: a quote that anchored fuzzily, or "moved" to a
passage with other words, is no longer found, and the claim citing it needs re-check."""

from django.db import migrations, models
from django.db.models import Q

NOTE = (
    "A quote this claim cites matched its source only approximately, not word for word; "
    "quotes must now be found word for word."
)


def unanchor_near_matches(apps, schema_editor):
    Evidence = apps.get_model("newsroom", "Evidence")
    Claim = apps.get_model("newsroom", "Claim")
    Verification = apps.get_model("newsroom", "Verification")
    near = Evidence.objects.filter(Q(anchor_status="moved") | Q(anchor_method="fuzzy"))
    claim_ids = set(near.values_list("claim_id", flat=True))
    near.update(
        anchor_status="lost",
        start_offset=None,
        end_offset=None,
        anchor_method="",
        anchor_score=None,
    )
    for claim in Claim.objects.filter(pk__in=claim_ids).exclude(status="needs_recheck"):
        decision = Verification.objects.filter(claim=claim).order_by("-pk").first()
        claim.status = "needs_recheck"
        claim.save(update_fields=["status"])
        Verification.objects.create(
            claim=claim,
            status="needs_recheck",
            note=NOTE,
            fingerprint=decision.fingerprint if decision else {},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0004_remember_restored_lines"),
    ]

    operations = [
        migrations.RunPython(unanchor_near_matches, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evidence",
            name="anchor_status",
            field=models.CharField(
                choices=[("anchored", "Anchored"), ("lost", "No longer found word for word")],
                default="anchored",
                editable=False,
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="note",
            field=models.TextField(blank=True, help_text="Shown to readers beside the quote."),
        ),
    ]

"""Anchor the pull quotes of explainers already live, as publishing them now would."""

from django.db import migrations

from newsroom.desk.anchoring import anchor_quote


def anchor_live_pull_quotes(apps, schema_editor):
    ExplainerPage = apps.get_model("explainers", "ExplainerPage")
    PullQuote = apps.get_model("explainers", "PullQuote")
    Source = apps.get_model("newsroom", "Source")
    rows = []
    for page in ExplainerPage.objects.filter(live=True):
        for number, item in enumerate(page.body.raw_data or []):
            value = item.get("value") or {}
            if item.get("type") != "pull_quote" or not value.get("source"):
                continue
            source = Source.objects.filter(pk=value["source"]).first()
            if source is None or not value.get("quote"):
                continue
            anchor = anchor_quote(source.body, value["quote"])
            rows.append(
                PullQuote(
                    page_id=page.pk,
                    block_id=item.get("id") or f"#{number}",
                    source_id=source.pk,
                    quote=value["quote"],
                    start_offset=anchor.start if anchor else None,
                    end_offset=anchor.end if anchor else None,
                    anchor_status="anchored" if anchor else "lost",
                )
            )
    PullQuote.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("explainers", "0008_pull_quotes"),
        ("newsroom", "0006_fingerprint_evidence_notes"),
    ]

    operations = [migrations.RunPython(anchor_live_pull_quotes, migrations.RunPython.noop)]

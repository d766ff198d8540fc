"""The claims and sources listings as spreadsheets: Wagtail's listing export (CSV and XLSX,
with the listing's current filters, search and order), its columns declared on the viewsets
(`list_export`, `export_headings`, `export_filename`). Each row's values are read from the
listed objects and from a few queries for all of them at once, so an export of any length
costs the same number of queries."""

from django.db.models import Count
from wagtail.snippets.views.snippets import IndexView

from newsroom.desk.actions.claims import live_citations
from newsroom.desk.models import Claim, Evidence, Source


class ExportRowsMixin:
    """For a listing view with `list_export`: `export_rows(objects)` reads what the rows
    need for all the exported objects at once, `export_row(object)` gives one row's values
    by field name."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        rows = list(queryset)
        self.export_rows(rows)
        return super().as_spreadsheet(rows, spreadsheet_format)

    def export_rows(self, objects) -> None:
        """Read, for all `objects` at once, what their rows need beyond themselves."""

    def to_row_dict(self, item):
        values = self.export_row(item)
        return {field: values[field] for field in self.list_export}


def joined(names) -> str:
    return "; ".join(sorted(set(names)))


class ClaimIndexView(ExportRowsMixin, IndexView):
    """The claims listing, exportable: each claim's statement, status, verifier and date of
    decision, the outlets and sources of its quotes, and the live explainers citing it."""

    def export_rows(self, claims):
        self.citing = live_citations([claim.pk for claim in claims])

    def export_row(self, claim: Claim) -> dict:
        quotes = list(claim.evidence.all())
        verifier = claim.verified_by
        return {
            "statement": claim.statement,
            "status": claim.get_status_display(),
            "verifier": (verifier.get_full_name() or verifier.get_username()) if verifier else "",
            "decided_at": claim.verified_at if claim.is_decided else None,
            "outlets": joined(row.source.outlet.name for row in quotes if row.source.outlet_id),
            "sources": joined(row.source.title for row in quotes),
            "citing_explainers": "; ".join(self.citing.get(claim.pk, [])),
        }


class SourceExportMixin(ExportRowsMixin):
    """The sources listing, exportable: each source's metadata and how many claims quote it."""

    def export_rows(self, sources):
        counts = (
            Evidence.objects.filter(source_id__in=[source.pk for source in sources])
            .values("source_id")
            .annotate(claims=Count("claim_id", distinct=True))
        )
        self.claims_citing = {row["source_id"]: row["claims"] for row in counts}

    def export_row(self, source: Source) -> dict:
        return {
            "title": source.title,
            "outlet": source.outlet.name if source.outlet_id else "",
            "kind": source.get_kind_display(),
            "published_on": source.published_on,
            "url": source.url,
            "language": source.language,
            "claims_citing": self.claims_citing.get(source.pk, 0),
        }

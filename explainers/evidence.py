"""What a reader sees of an explainer's claims: each cited claim with its quotes, the numbered
list of sources, and the evidence map. Built in a fixed number of queries, however many
claims the page cites, and fingerprinted so caches change the moment the evidence does."""

import dataclasses
import datetime
import hashlib
from collections.abc import Callable, Collection
from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

from django.db.models import Count, Max, Prefetch, Subquery
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from explainers.citations import StreamData, iter_cited_claims, iter_pull_quote_sources
from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.models.claims import QuoteLocation

if TYPE_CHECKING:
    from newsroom.desk.models.claims import Corroboration

STANCE_ORDER = [Evidence.Stance.SUPPORTS, Evidence.Stance.DISPUTES, Evidence.Stance.CONTEXT]


@dataclasses.dataclass(frozen=True)
class Quote:
    """One piece of evidence as the reader sees it: the quote, its source, where it stands."""

    evidence: Evidence
    source_number: int | None
    #: Where the quote stands in its source: a moment ("01:42") or a page ("p. 3").
    location: QuoteLocation = QuoteLocation()

    @property
    def source(self) -> Source:
        return self.evidence.source

    @property
    def text(self) -> str:
        """The passage as the source's body has it, word for word; the quote as typed if the
        anchor is lost."""
        return self.evidence.anchored_text or self.evidence.quote

    @property
    def link(self) -> str:
        """The source's URL, at the quote's moment for a timed transcript."""
        url = safe_url(self.source.url)
        if url and self.location.is_moment:
            return f"{url}#t={self.location.seconds}"
        return url


@dataclasses.dataclass(frozen=True)
class CitedClaim:
    """A claim cited on a page, with its quotes grouped by stance."""

    claim: Claim
    supporting: list
    disputing: list
    context: list
    shown_unverified: bool = False
    element_id: str = ""

    @classmethod
    def build(cls, claim: Claim, number_of: Callable[[Source], int | None]) -> Self:
        quotes = {stance: [] for stance in STANCE_ORDER}
        for evidence in claim.evidence.all():
            quotes.setdefault(evidence.stance, []).append(
                Quote(evidence, number_of(evidence.source), evidence.location)
            )
        return cls(
            claim,
            quotes[Evidence.Stance.SUPPORTS],
            quotes[Evidence.Stance.DISPUTES],
            quotes[Evidence.Stance.CONTEXT],
        )

    def as_shown(self, shown_unverified: bool, element_id: str = "") -> Self:
        """This claim as one citation shows it; only its first citation carries the anchor."""
        return dataclasses.replace(self, shown_unverified=shown_unverified, element_id=element_id)

    @property
    def anchor(self) -> str:
        return f"claim-{self.claim.pk}"

    @property
    def is_verified(self) -> bool:
        return self.claim.status == Claim.Status.VERIFIED

    @property
    def status_label(self) -> str:
        return self.claim.get_status_display()

    @property
    def quote_count(self) -> int:
        return len(self.supporting) + len(self.disputing) + len(self.context)

    @property
    def corroboration(self) -> "Corroboration":
        return self.claim.corroboration()


@dataclasses.dataclass(frozen=True)
class UnpublishedClaim:
    """A cited claim readers may not see (a draft never published, or withdrawn): its
    citation renders nothing, and it takes no part in the page's sources, evidence map or
    structured data."""

    claim_id: int

    @property
    def anchor(self) -> str:
        return f"claim-{self.claim_id}"

    def as_shown(self, shown_unverified: bool, element_id: str = "") -> None:
        return None


NO_QUOTE_CELL = mark_safe(
    '<td><span class="none" aria-hidden="true">–</span>'
    '<span class="visually-hidden">no quote</span></td>'
)


def stance_cell(stances: Collection[str]) -> SafeString:
    """One evidence-map cell. Built here rather than in the template: a map of 50 claims by
    150 sources is 7,500 cells, and Django's template loop is the slow part of the page."""
    if not stances:
        return NO_QUOTE_CELL
    labels = format_html_join(
        "",
        '<span class="stance stance--{}">{}</span>',
        ((stance.value, stance.label) for stance in STANCE_ORDER if stance in stances),
    )
    return format_html("<td>{}</td>", labels)


def safe_url(url: str | None) -> str:
    """An imported URL, only if it is a web address (never javascript: or data:)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


class ExplainerDigest:
    """The claims and sources an explainer cites, gathered in a constant number of queries."""

    def __init__(self, stream_data: StreamData):
        cited = list(iter_cited_claims(stream_data))
        self.claim_ids = list(dict.fromkeys(claim_id for claim_id, _ in cited))
        self.pull_quote_source_ids = list(dict.fromkeys(iter_pull_quote_sources(stream_data)))

    @cached_property
    def claims(self) -> list[Claim]:
        """Cited claims readers may see, in order of first citation, with evidence, sources
        and outlets: only published (live) claims, as published. A claim's row holds its live
        version (a draft edit lives in its latest revision until published); a claim never
        published, or withdrawn, is left out."""
        evidence = Evidence.objects.select_related("source__outlet").order_by("sort_order", "pk")
        found = Claim.objects.filter(pk__in=self.claim_ids, live=True).prefetch_related(
            Prefetch("evidence", queryset=evidence)
        )
        by_id = {claim.pk: claim for claim in found}
        return [by_id[pk] for pk in self.claim_ids if pk in by_id]

    @cached_property
    def sources(self) -> list[Source]:
        """Every source cited, numbered by first appearance: through claims, then pull quotes."""
        ordered = {}
        for claim in self.claims:
            for evidence in claim.evidence.all():
                ordered.setdefault(evidence.source_id, evidence.source)
        missing = [pk for pk in self.pull_quote_source_ids if pk not in ordered]
        if missing:
            extra = Source.objects.select_related("outlet").in_bulk(missing)
            for pk in missing:
                if pk in extra:
                    ordered[pk] = extra[pk]
        return list(ordered.values())

    @cached_property
    def _numbers(self):
        return {source.pk: number for number, source in enumerate(self.sources, start=1)}

    def source(self, source_id: int) -> Source | None:
        number = self._numbers.get(source_id)
        return self.sources[number - 1] if number else None

    def number_of(self, source: Source | int | None) -> int | None:
        return self._numbers.get(getattr(source, "pk", source))

    @cached_property
    def _cited(self):
        return {
            claim.pk: CitedClaim.build(claim, number_of=self.number_of) for claim in self.claims
        }

    def cited(self, claim_id: int) -> CitedClaim | UnpublishedClaim | None:
        """The reader's view of a cited claim; for a cited claim that is not published, a
        stand-in that renders nothing (never the claim built from its unpublished row)."""
        cited = self._cited.get(claim_id)
        if cited is None and claim_id in self.claim_ids:
            return UnpublishedClaim(claim_id)
        return cited

    @property
    def cited_claims(self) -> list[CitedClaim]:
        return list(self._cited.values())

    @cached_property
    def last_verified(self) -> datetime.datetime | None:
        """When a claim the page shows as verified was last verified (never a claim since
        disputed, withdrawn or sent back for a re-check)."""
        dates = [
            claim.verified_at
            for claim in self.claims
            if claim.status == Claim.Status.VERIFIED and claim.verified_at
        ]
        return max(dates) if dates else None

    @cached_property
    def evidence_map(self) -> dict[str, list[Any]]:
        """Rows of (cited claim, cells) over the sources with evidence; each cell is the
        stances of that source's quotes on that claim, as ready-escaped HTML."""
        stances = {}  # (claim id, source id) -> set of stances
        for claim in self.claims:
            for evidence in claim.evidence.all():
                stances.setdefault((claim.pk, evidence.source_id), set()).add(evidence.stance)
        with_evidence = {source_id for _, source_id in stances}
        columns = [source for source in self.sources if source.pk in with_evidence]
        rows = []
        for cited in self.cited_claims:
            cells = [
                stance_cell(stances.get((cited.claim.pk, source.pk), ())) for source in columns
            ]
            rows.append((cited, cells))
        return {"sources": columns, "rows": rows}

    def fingerprint(self) -> str:
        """A digest of everything the page shows from the evidence desk, in one query: each
        claim's publication, status, decision, revision and evidence, and its sources' last
        change."""
        pull_quote_sources = Source.objects.filter(pk__in=self.pull_quote_source_ids)
        if not self.claim_ids:
            rows = list(pull_quote_sources.values_list("pk", "updated_at"))
        else:
            latest_pull_quote_source = pull_quote_sources.order_by("-updated_at").values(
                "updated_at"
            )[:1]
            rows = list(
                Claim.objects.filter(pk__in=self.claim_ids)
                .order_by("pk")
                .values_list(
                    "pk",
                    "live",
                    "live_revision_id",
                    "status",
                    "verified_at",
                    "latest_revision_id",
                    "statement",
                )
                .annotate(
                    sources_changed=Max("evidence__source__updated_at"),
                    latest_evidence=Max("evidence__pk"),
                    evidence_count=Count("evidence"),
                    pull_quote_source_changed=Subquery(latest_pull_quote_source),
                )
            )
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]

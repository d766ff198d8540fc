"""The evidence audit's checks of what readers see (newsroom.desk.audit runs them through its
hook): pull quotes anchored where they are stored, live explainers showing their live
revision, citations readers may see or were told about, and cached pages that match a
fresh render."""

from collections.abc import Callable, Iterator

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from wagtail.log_actions import log

from explainers import corrections, pull_quotes
from explainers.citations import iter_cited_claims
from explainers.models import Correction, ExplainerPage, PullQuote
from newsroom.desk.audit import Finding, quote_stands, recheck
from newsroom.desk.models import Claim, Source

# The page's content that a revision holds and readers see.
SHOWN_FIELDS = ("title", "standfirst", "body")
FRAGMENTS = {
    "explainer_article": '{% include "explainers/includes/explainer_article.html" %}',
    "explainer_structured_data": "{% load explainer_tags %}{% explainer_structured_data page %}",
}


def page_path(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def audit_checks() -> Iterator[Finding]:
    yield from pull_quote_findings()
    yield from live_revision_findings()
    yield from citation_findings()
    yield from cached_page_findings()


def pull_quote_findings() -> Iterator[Finding]:
    """Every pull quote of a live explainer has its row, and every row still shown anchors
    word for word at its stored offsets."""
    rows = PullQuote.objects.filter(anchor_status=PullQuote.AnchorStatus.ANCHORED)
    bodies = dict(Source.objects.filter(pk__in=rows.values("source_id")).values_list("pk", "body"))
    for row in rows.select_related("page"):
        if quote_stands(bodies.get(row.source_id, ""), row.start_offset, row.end_offset, row.quote):
            continue
        message = (
            f"Explainer “{row.page.title}”: its pull quote “{row.quote[:80]}” is not in "
            f"source {row.source_id} word for word at its stored place."
        )
        yield Finding("pull-quote-anchored", message, page_path(row.page_id), take_down(row))
    kept = {}
    for page_id, block_id in PullQuote.objects.values_list("page_id", "block_id"):
        kept.setdefault(page_id, set()).add(block_id)
    for page in ExplainerPage.objects.live().only("pk", "title", "body"):
        found = {
            block_id or f"#{number}"
            for number, (block_id, _, _) in enumerate(
                pull_quotes.iter_pull_quotes(page.body.raw_data)
            )
        }
        if found - kept.get(page.pk, set()):
            message = f"Explainer “{page.title}” shows pull quotes no anchor row checks."
            yield Finding(
                "pull-quote-anchored",
                message,
                page_path(page.pk),
                lambda page=page: pull_quotes.sync_pull_quotes(page),
            )


def take_down(row: PullQuote) -> Callable[[], None]:
    """Hide a pull quote from readers while someone checks it; its words are left as typed."""

    def fix():
        row.start_offset = row.end_offset = None
        row.anchor_status = PullQuote.AnchorStatus.LOST
        row.save(update_fields=["start_offset", "end_offset", "anchor_status"])
        log(
            instance=row.page.specific,
            action=pull_quotes.PULL_QUOTE_LOST,
            data={"note": "The evidence audit found it is not in its source word for word."},
        )

    return fix


def live_revision_findings() -> Iterator[Finding]:
    """Every live explainer shows the content of its live revision."""
    pages = ExplainerPage.objects.live().select_related("live_revision")
    for page in pages.only("pk", "title", "standfirst", "body", "live_revision"):
        revision = page.live_revision
        if revision is None:
            message = f"Explainer “{page.title}” is live with no live revision."
            yield Finding("live-revision", message, page_path(page.pk))
            continue
        content = revision.content
        differs = [
            name
            for name in SHOWN_FIELDS
            if _comparable(name, getattr(page, name)) != _comparable(name, content.get(name))
        ]
        if differs:
            message = (
                f"Explainer “{page.title}” shows content that is not its live revision's "
                f"({', '.join(differs)})."
            )
            yield Finding("live-revision", message, page_path(page.pk), restore_live(page))


def _comparable(name, value):
    if name != "body":
        return value
    raw = value.raw_data if hasattr(value, "raw_data") else value
    if isinstance(raw, str):
        import json

        raw = json.loads(raw or "[]")
    return [(item.get("type"), item.get("value")) for item in raw or []]


def restore_live(page: ExplainerPage) -> Callable[[], None]:
    """Put the live revision's content back on the page row readers are served."""

    def fix():
        live = page.live_revision.as_object()
        for name in SHOWN_FIELDS:
            setattr(page, name, getattr(live, name))
        page.save(update_fields=list(SHOWN_FIELDS), clean=False)

    return fix


def citation_findings() -> Iterator[Finding]:
    """No live explainer cites an unpublished claim, nor one that is not verified unless
    the citation is labelled, without its readers having been told (a correction)."""
    pages = list(ExplainerPage.objects.live().only("pk", "title", "body", "last_published_at"))
    cited = {page.pk: list(iter_cited_claims(page.body.raw_data)) for page in pages}
    claim_ids = {claim_id for pairs in cited.values() for claim_id, _ in pairs}
    claims = Claim.objects.only("pk", "statement", "status", "live").in_bulk(claim_ids)
    told = set(
        Correction.objects.filter(claim_id__in=claim_ids).values_list(
            "page_id", "claim_id", "kind", "created_at"
        )
    )
    for page in pages:
        for claim_id, labelled in dict.fromkeys(cited[page.pk]):
            claim = claims.get(claim_id)
            if claim is None:
                continue
            finding = _citation_finding(page, claim, labelled, told)
            if finding:
                yield finding


def _citation_finding(page, claim, labelled, told):
    def was_told(kind):
        return any(
            entry[:3] == (page.pk, claim.pk, kind)
            and (page.last_published_at is None or entry[3] >= page.last_published_at)
            for entry in told
        )

    if not claim.live:
        if was_told(Correction.Kind.WITHDRAWN):
            return None
        message = (
            f"Explainer “{page.title}” cites claim {claim.pk}, which is not published, and "
            "its readers were not told it was withdrawn."
        )
        fix = lambda: corrections.record_claim_withdrawn(claim, "")  # noqa: E731
        return Finding("citations-shown", message, page_path(page.pk), fix)
    if labelled or claim.status == Claim.Status.VERIFIED or was_told(Correction.Kind.STATUS):
        return None
    message = (
        f"Explainer “{page.title}” shows claim {claim.pk} as "
        f"{claim.get_status_display().lower()} without its label, and its readers were not "
        "told its status changed."
    )
    return Finding("citations-shown", message, page_path(page.pk), _tell_status(claim, message))


def _tell_status(claim, message):
    def fix():
        if claim.status == Claim.Status.NEEDS_RECHECK:
            corrections.record_claim_status_change(
                claim, Claim.Status.VERIFIED, claim.status, "the evidence audit found it changed."
            )
        else:
            recheck(claim.pk, message)()

    return fix


def cached_page_findings() -> Iterator[Finding]:
    """Every cached article and structured data of a live, public explainer is what a fresh
    render gives now."""
    factory = RequestFactory()
    engine = engines["django"]
    # In chunks: each page keeps its digest (claims, quotes, sources) once rendered, and a
    # whole site's worth would stay in memory until the check ends.
    for page in ExplainerPage.objects.live().public().specific().iterator(chunk_size=100):
        key = page.cache_key()
        stored = {name: cache.get(make_template_fragment_key(name, [key])) for name in FRAGMENTS}
        if all(value is None for value in stored.values()):
            continue
        site = page.get_site()
        request = factory.get(page.url or "/", SERVER_NAME=site.hostname if site else "localhost")
        context = page.get_context(request)
        for name, value in stored.items():
            if value is None:
                continue
            fresh = engine.from_string(FRAGMENTS[name]).render(context, request)
            if fresh == value:
                continue
            message = f"Explainer “{page.title}”: its cached {name.replace('_', ' ')} is stale."
            yield Finding("cache-fresh", message, page_path(page.pk), forget(name, key))


def forget(name: str, key: str) -> Callable[[], None]:
    return lambda: cache.delete(make_template_fragment_key(name, [key]))

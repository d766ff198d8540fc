"""The evidence audit: the whole database checked against the promise that every claim
rests on words a source really wrote, and that what readers see is what the desk decided.

The desk checks its own invariants here (quotes anchored word for word, on word boundaries,
at their stored offsets; decided claims meeting the rules as of now); the rest of the site
adds its checks (pages, pull quotes, caches) through the ``newsroom_audit_checks`` hook.
``run_audit(fix=True)`` moves each offending claim to needs re-check, with a history line,
and never changes a quote.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from newsroom.desk.anchoring import normalise, on_word_boundaries
from newsroom.desk.models import AuditRun, Claim, Evidence, Source
from newsroom.desk.verification import decision_problems, flag_for_recheck

AUDIT_CHECKS_HOOK = "newsroom_audit_checks"
CHUNK = 2000


@dataclass
class Finding:
    """One violation: which rule, what is wrong in words an editor can act on, the admin
    link of the thing at fault, and how --fix mends it (None: it cannot be fixed here)."""

    rule: str
    message: str
    admin_path: str
    fix: Callable[[], None] | None = None

    @property
    def admin_url(self) -> str:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.admin_path

    def line(self) -> str:
        return f"[{self.rule}] {self.message} {self.admin_url}"

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message, "admin_url": self.admin_url}


def claim_path(claim_id: int) -> str:
    return reverse(Claim.snippet_viewset.get_url_name("edit"), args=[claim_id])


def recheck(claim_id: int, message: str) -> Callable[[], None]:
    """The fix for a claim at fault: needs re-check, saying what the audit found."""
    return lambda: flag_for_recheck(claim_id, f"The evidence audit found: {message}")


def quote_stands(body: str, start: int | None, end: int | None, quote: str) -> bool:
    """Whether `quote` is at body[start:end] word for word (up to whitespace, quote marks,
    dashes and case), starting and ending on word boundaries."""
    if start is None or end is None or not 0 <= start < end <= len(body):
        return False
    stored, quote = body[start:end], quote.strip()
    # Most quotes stand exactly as stored; folding them costs a Python loop per character.
    if stored != quote and normalise(stored)[0] != normalise(quote)[0]:
        return False
    return on_word_boundaries(body, start, end)


def anchoring_findings() -> Iterator[Finding]:
    """Every quote of a live claim anchors at its stored offsets, unless its claim already
    waits for a re-check (a lost quote is what sends it there)."""
    rows = (
        Evidence.objects.filter(claim__live=True)
        .exclude(claim__status=Claim.Status.NEEDS_RECHECK)
        .order_by("source_id", "pk")
        .values_list("pk", "claim_id", "source_id", "quote", "start_offset", "end_offset")
    )
    rows = list(rows)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        bodies = dict(
            Source.objects.filter(pk__in={row[2] for row in chunk}).values_list("pk", "body")
        )
        for _pk, claim_id, source_id, quote, begin, end in chunk:
            if quote_stands(bodies.get(source_id, ""), begin, end, quote):
                continue
            message = (
                f"Claim {claim_id}: the quote “{quote[:80]}” is not in source {source_id} "
                "word for word at its stored place."
            )
            yield Finding(
                "quote-anchored", message, claim_path(claim_id), recheck(claim_id, message)
            )


def decision_findings() -> Iterator[Finding]:
    """Every verified, disputed or false claim meets the rules as of now."""
    decided = Claim.objects.filter(status__in=Claim.DECIDED).order_by("pk")
    ids = list(decided.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        claims = Claim.objects.filter(pk__in=ids[start : start + CHUNK]).prefetch_related(
            "evidence__source"
        )
        for claim in claims:
            problems = decision_problems(claim)
            if not problems:
                continue
            message = f"Claim {claim.pk} is {claim.get_status_display().lower()}, but " + " ".join(
                problems
            )
            yield Finding(
                "decision-holds", message, claim_path(claim.pk), recheck(claim.pk, message)
            )


def all_findings() -> Iterator[Finding]:
    yield from anchoring_findings()
    yield from decision_findings()
    for check in hooks.get_hooks(AUDIT_CHECKS_HOOK):
        yield from check()


@dataclass
class AuditResult:
    findings: list
    fixed: int
    remaining: list
    run: AuditRun


def run_audit(fix: bool = False, report: Callable[[Finding], None] | None = None) -> AuditResult:
    """Check every invariant; with `fix`, mend what can be mended and check again. The run
    is recorded (AuditRun) for the dashboard."""
    started = timezone.now()
    findings = _collect(all_findings(), report)
    fixed = 0
    remaining = findings
    if fix and findings:
        for finding in findings:
            if finding.fix is not None:
                finding.fix()
                fixed += 1
        remaining = list(all_findings())
    run = AuditRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        findings=[finding.as_dict() for finding in remaining],
        fixed=fixed,
    )
    return AuditResult(findings, fixed, remaining, run)


def _collect(findings: Iterable[Finding], report) -> list:
    collected = []
    for finding in findings:
        collected.append(finding)
        if report:
            report(finding)
    return collected

"""Template helpers for the reader's pages: dates as precise as the source knows them,
what a claim's status tells the reader, tag links and structured data."""

from django import template
from django.utils.dateformat import format as format_date

from explainers import jsonld
from explainers.evidence import safe_url
from newsroom.desk.models import Claim, Source

register = template.Library()

PRECISION_FORMATS = {
    Source.DatePrecision.DAY: "j F Y",
    Source.DatePrecision.MONTH: "F Y",
    Source.DatePrecision.YEAR: "Y",
}

# What a reader is told about a claim that is not simply verified.
CAUTIONS = {
    Claim.Status.UNVERIFIED: "Not verified: we report this claim but have not confirmed it.",
    Claim.Status.DISPUTED: "Sources disagree on this claim; we could not verify it.",
    Claim.Status.FALSE: "Our verifiers found this claim false.",
    Claim.Status.NEEDS_RECHECK: "The evidence for this claim changed; it is being checked again.",
}


@register.filter
def source_date(source):
    """A source's publication date, no more precise than the source itself."""
    if not source.published_on:
        return "undated"
    return format_date(source.published_on, PRECISION_FORMATS.get(source.date_precision, "j F Y"))


@register.filter
def source_datetime(source):
    """A source's date for <time datetime>, at its precision: "2025-12-21", "2025-12", "2025"."""
    return jsonld.iso_date(source)


@register.filter
def claim_caution(claim):
    """The warning shown with a claim that is not verified; "" for a verified one."""
    if claim.status == Claim.Status.VERIFIED:
        return ""
    return CAUTIONS.get(claim.status, CAUTIONS[Claim.Status.UNVERIFIED])


@register.filter
def decided_on(claim):
    """When a verifier decided the claim's current status; None if it is not a decision."""
    # A claim needing re-check keeps the date of a decision that no longer holds: not shown.
    return claim.verified_at if claim.status in Claim.DECIDED else None


@register.simple_tag
def claim_statuses():
    """Claim.Status, for templates to compare with: {% claim_statuses as Status %}."""
    return Claim.Status


@register.simple_tag
def tag_url(index_page, tag):
    """The explainers section's page for a tag; "" for a tag that has none (shown unlinked):
    {% tag_url index_page tag as href %}."""
    return index_page.tag_url(tag)


@register.simple_tag(takes_context=True)
def explainer_structured_data(context, page):
    """NewsArticle and ClaimReview JSON-LD script elements for an explainer."""
    return jsonld.script_tags(page, context["digest"], context.get("request"))


@register.filter
def web_url(url):
    """An imported URL, only if it is a web address (never javascript: or data:)."""
    return safe_url(url)

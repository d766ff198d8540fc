"""Template helpers for the reader's pages: dates as precise as the source knows them,
and structured data."""

from django import template
from django.utils.dateformat import format as format_date

from explainers import jsonld
from explainers.evidence import safe_url

register = template.Library()

PRECISION_FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}


@register.filter
def source_date(source):
    """A source's publication date, no more precise than the source itself."""
    if not source.published_on:
        return "undated"
    return format_date(source.published_on, PRECISION_FORMATS.get(source.date_precision, "j F Y"))


@register.simple_tag(takes_context=True)
def explainer_structured_data(context, page):
    """NewsArticle and ClaimReview JSON-LD script elements for an explainer."""
    return jsonld.script_tags(page, context["digest"], context.get("request"))


@register.filter
def web_url(url):
    """An imported URL, only if it is a web address (never javascript: or data:)."""
    return safe_url(url)

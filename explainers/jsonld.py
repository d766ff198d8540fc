"""schema.org structured data for explainers: NewsArticle for the page, ClaimReview for each
claim a verifier has ruled on. Built as dicts, serialised so no text can end the script."""

import calendar
import datetime
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from explainers.evidence import CitedClaim, ExplainerDigest, safe_url
from newsroom.desk.models import Claim, Source

if TYPE_CHECKING:
    from wagtail.models import Page

    from explainers.models import Correction, ExplainerPage

# ClaimReview's rating scale: 5 is true, 1 is false. alternateName says it in words.
RATINGS = {
    Claim.Status.VERIFIED: (5, "True"),
    Claim.Status.DISPUTED: (3, "Disputed"),
    # A verifier's ruling that the claim could not be confirmed (see Claim.verifier_note).
    Claim.Status.UNVERIFIED: (2, "Unproven"),
    Claim.Status.FALSE: (1, "False"),
}
REVIEWED_STATUSES = set(RATINGS)

_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def dumps(data: Any) -> str:
    """JSON safe inside <script>: "<", ">" and "&" written as \\u escapes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)


def organisation(url: str) -> dict[str, str]:
    """The newsroom itself, at the root of the site `url` belongs to."""
    parts = urlsplit(url)
    return {
        "@type": "Organization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": f"{parts.scheme}://{parts.netloc}/" if parts.netloc else "/",
    }


def page_url(page: "Page", request: HttpRequest | None = None) -> str:
    return page.get_full_url(request) or ""


def news_article(
    page: "ExplainerPage", digest: ExplainerDigest, request: HttpRequest | None = None
) -> dict[str, Any]:
    url = page_url(page, request)
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": organisation(url),
        "publisher": organisation(url),
        "keywords": [tag.name for tag in page.tag_list],
        "citation": [source_work(source) for source in digest.sources],
    }
    if page.first_published_at:
        article["datePublished"] = page.first_published_at.isoformat()
    modified = page.last_modified_at()
    if modified:
        article["dateModified"] = modified.isoformat()
    if page.correction_list:
        article["correction"] = [correction_comment(item) for item in page.correction_list]
    return article


def correction_comment(correction: "Correction") -> dict[str, str]:
    """A correction as schema.org's CorrectionComment, newest first like the page's list."""
    return {
        "@type": "CorrectionComment",
        "datePublished": correction.created_at.isoformat(),
        "text": correction.text,
    }


# ISO 8601 at each precision: schema.org and HTML's <time datetime> accept "2025-12" and "2025".
ISO_FORMATS = {Source.DatePrecision.MONTH: "%Y-%m", Source.DatePrecision.YEAR: "%Y"}


def iso_date(source: Source) -> str:
    """A source's publication date in ISO 8601, no more precise than the source knows it
    ("2025-12-21", "2025-12" or "2025"); "" if undated."""
    if not source.published_on:
        return ""
    return source.published_on.strftime(ISO_FORMATS.get(source.date_precision, "%Y-%m-%d"))


def latest_possible_date(source: Source) -> datetime.date:
    """The last day a source's date can mean: 31 December 2025 for "2025-12"."""
    day = source.published_on
    if source.date_precision == Source.DatePrecision.YEAR:
        return datetime.date(day.year, 12, 31)
    if source.date_precision == Source.DatePrecision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def first_appearance(sources: Iterable[Source]) -> Source | None:
    """The source known to have made the claim earliest, or None if none is dated.

    A date is ranked by the last day it can mean, so a source dated only "December 2025"
    never beats one dated 21 December 2025: it may have appeared on the 31st. The source
    returned is the one we can say had the claim soonest, not one that might have; ties go
    to the more precise date."""
    dated = [source for source in sources if source.published_on]
    if not dated:
        return None
    return min(dated, key=lambda source: (latest_possible_date(source), vagueness(source)))


def vagueness(source: Source) -> int:
    """0 for a day, 1 for a month, 2 for a year (a blank precision counts as a day)."""
    return list(Source.DatePrecision).index(source.date_precision or Source.DatePrecision.DAY)


def source_work(source: Source) -> dict[str, Any]:
    """A source as a schema.org CreativeWork: an appearance of a claim, or a citation."""
    work = {"@type": "CreativeWork", "headline": source.title}
    url = safe_url(source.url)
    if url:
        work["url"] = url
    if source.published_on:
        work["datePublished"] = iso_date(source)
    if source.outlet_id:
        work["publisher"] = {"@type": "Organization", "name": source.outlet.name}
    return work


def claim_review(
    cited: CitedClaim, page: "Page", request: HttpRequest | None = None
) -> dict[str, Any] | None:
    """ClaimReview for a claim a verifier ruled on (verified, disputed, false, or unverified
    with what they could not confirm), else None."""
    claim = cited.claim
    if claim.status not in REVIEWED_STATUSES or not (claim.verified_at and claim.verified_by_id):
        return None
    value, name = RATINGS[claim.status]
    url = page_url(page, request)
    # Where the claim appeared: the sources that make it. A source quoted to dispute the
    # claim or to give context is a place that answers it, not one where it appeared.
    sources = list({quote.source.pk: quote.source for quote in cited.supporting}.values())
    item = {"@type": "Claim"}
    if sources:
        item["appearance"] = [source_work(source) for source in sources]
    first = first_appearance(sources)
    if first is not None:
        item["firstAppearance"] = source_work(first)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{url}#{cited.anchor}",
        "claimReviewed": claim.statement,
        "datePublished": claim.verified_at.date().isoformat(),
        "author": organisation(url),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": name,
        },
        "itemReviewed": item,
    }


def structured_data(
    page: "ExplainerPage", digest: ExplainerDigest, request: HttpRequest | None = None
) -> list[dict[str, Any]]:
    """Every JSON-LD object for an explainer: the article, then one review per ruled claim."""
    reviews = (claim_review(cited, page, request) for cited in digest.cited_claims)
    return [news_article(page, digest, request), *(review for review in reviews if review)]


def script_tags(
    page: "ExplainerPage", digest: ExplainerDigest, request: HttpRequest | None = None
) -> SafeString:
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        ((mark_safe(dumps(data)),) for data in structured_data(page, digest, request)),
    )

"""schema.org structured data for explainers: NewsArticle for the page, ClaimReview for each
claim a verifier has ruled on. Built as dicts, serialised so no text can end the script."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from explainers.evidence import safe_url
from newsroom.models import Claim

# ClaimReview's rating scale: 5 is true, 1 is false. alternateName says it in words.
RATINGS = {
    Claim.Status.VERIFIED: (5, "True"),
    Claim.Status.DISPUTED: (3, "Disputed"),
    Claim.Status.FALSE: (1, "False"),
}
REVIEWED_STATUSES = set(RATINGS)

_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def dumps(data):
    """JSON safe inside <script>: "<", ">" and "&" written as \\u escapes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)


def organisation(url):
    """The newsroom itself, at the root of the site `url` belongs to."""
    parts = urlsplit(url)
    return {
        "@type": "Organization",
        "name": getattr(settings, "WAGTAIL_SITE_NAME", "Newsroom"),
        "url": f"{parts.scheme}://{parts.netloc}/" if parts.netloc else "/",
    }


def page_url(page, request=None):
    return page.get_full_url(request) or ""


def news_article(page, digest, request=None):
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
    modified = page.last_published_at or page.latest_revision_created_at
    if modified:
        article["dateModified"] = modified.isoformat()
    return article


def source_work(source):
    """A source as a schema.org CreativeWork: an appearance of a claim, or a citation."""
    work = {"@type": "CreativeWork", "headline": source.title}
    url = safe_url(source.url)
    if url:
        work["url"] = url
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    if source.outlet_id:
        work["publisher"] = {"@type": "Organization", "name": source.outlet.name}
    return work


def claim_review(cited, page, request=None):
    """ClaimReview for a claim a verifier ruled on (verified, disputed or false), else None."""
    claim = cited.claim
    if claim.status not in REVIEWED_STATUSES or not claim.verified_at:
        return None
    value, name = RATINGS[claim.status]
    url = page_url(page, request)
    appearances, seen = [], set()
    for quote in cited.supporting + cited.disputing + cited.context:
        if quote.source.pk not in seen:
            seen.add(quote.source.pk)
            appearances.append(source_work(quote.source))
    item = {"@type": "Claim", "appearance": appearances}
    dated = [work for work in appearances if "datePublished" in work]
    if dated:
        item["firstAppearance"] = min(dated, key=lambda work: work["datePublished"])
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


def structured_data(page, digest, request=None):
    """Every JSON-LD object for an explainer: the article, then one review per ruled claim."""
    reviews = (claim_review(cited, page, request) for cited in digest.cited_claims)
    return [news_article(page, digest, request), *(review for review in reviews if review)]


def script_tags(page, digest, request=None):
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        ((mark_safe(dumps(data)),) for data in structured_data(page, digest, request)),
    )

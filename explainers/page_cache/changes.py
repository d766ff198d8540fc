"""Which surrogate keys each kind of change alters: what is purged when it commits.

An explainer appears in full on its own page (`page-<id>`), as a story in other pages'
related-stories widgets (they carry its `page-<id>` too), and in the listings: the index and
home page (`index`), its tags' pages (`tag-<slug>`), the feeds, the corrections, the
sitemap and the read API. A claim or source appears only where it is cited (`claim-<id>`,
`source-<id>`), and in the listings of the explainers citing it (the index shows when each
was last verified)."""

from collections.abc import Iterable

from taggit.models import Tag
from wagtail.models import Page

from explainers.models import ExplainerPage, ExplainerPageTag, RelatedFeature
from explainers.page_cache import keys
from explainers.related.changes import pages_citing
from newsroom.desk.models import Evidence, Source


def listing_keys(page_ids: Iterable[int]) -> set[str]:
    """The listings that show these pages (none for no page)."""
    page_ids = set(page_ids)
    if not page_ids:
        return set()
    slugs = ExplainerPageTag.objects.filter(content_object_id__in=page_ids).values_list(
        "tag__slug", flat=True
    )
    return {
        keys.INDEX,
        keys.FEEDS,
        keys.CORRECTIONS,
        keys.SITEMAP,
        keys.API,
        *(keys.tag_key(slug) for slug in slugs),
    }


def pages_changed(page_ids: Iterable[int]) -> set[str]:
    """Published, unpublished, moved, deleted, restricted or corrected pages."""
    page_ids = set(page_ids)
    return {keys.page_key(pk) for pk in page_ids} | listing_keys(page_ids)


def section_changed(page: Page) -> set[str]:
    """A page and all below it (a move changes their URLs, a restriction hides them)."""
    return pages_changed(
        Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )


def claims_changed(claim_ids: Iterable[int]) -> set[str]:
    """A decision, withdrawal, rewording, new evidence or new revision of claims."""
    claim_ids = set(claim_ids)
    citing = ExplainerPage.live_citing_pages(claim_ids)
    pages = {pk for page_ids in citing.values() for pk in page_ids}
    return {keys.claim_key(pk) for pk in claim_ids} | {keys.API} | listing_keys(pages)


def sources_changed(source_ids: Iterable[int]) -> set[str]:
    """A source re-imported, reverted, edited or renamed with its outlet: the claims whose
    evidence quotes it, and the pages pull-quoting it."""
    source_ids = set(source_ids)
    claims = set(
        Evidence.objects.filter(source_id__in=source_ids).values_list("claim_id", flat=True)
    )
    quoting = set()
    for pk in source_ids:
        quoting |= pages_citing(RelatedFeature.Kind.SOURCE, pk)
    return (
        {keys.source_key(pk) for pk in source_ids} | claims_changed(claims) | listing_keys(quoting)
    )


def outlet_changed(outlet_id: int) -> set[str]:
    return sources_changed(Source.objects.filter(outlet_id=outlet_id).values_list("pk", flat=True))


def tag_changed(tag: Tag) -> set[str]:
    """A tag renamed or deleted: its page, and the pages showing it."""
    tagged = ExplainerPageTag.objects.filter(tag=tag).values_list("content_object_id", flat=True)
    return {keys.tag_key(tag.slug)} | pages_changed(tagged)

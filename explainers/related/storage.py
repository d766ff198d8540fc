"""The widgets as stored, and whether each is stale: the rows a widget renders from (each
story's title, URL and standfirst copied in), the stale markers a change sets in its own
transaction and a regeneration clears, and taking pages readers may no longer see out of it
all."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from wagtail.models import Site

from explainers.models import ExplainerPage, RelatedFeature, RelatedState, RelatedStory
from explainers.related.index import bulk_insert
from explainers.related.ranking import (
    CLAIMS,
    SHARED_CLAIMS,
    SHARED_SOURCES,
    SOURCES,
    TAGS,
    TEXT,
    total,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.models import Page
    from wagtail.models.sites import SiteRootPath


class ChosenStory(Protocol):
    """A story chosen for a widget, as store_stories reads it (the regeneration's Choice,
    which this module cannot import: the regeneration imports it)."""

    page_id: int
    score: list[float]
    pinned: bool


def eligible_ids(page_ids: Iterable[int]) -> set[int]:
    """The pages among these a reader may be shown: live explainers outside private sections."""
    return set(
        ExplainerPage.objects.live()
        .public()
        .filter(pk__in=list(page_ids))
        .values_list("pk", flat=True)
    )


def widget_stories(page: "Page") -> list[RelatedStory]:
    """The stories a page's widget shows, in one query."""
    return list(
        RelatedStory.objects.filter(page_id=page.pk, related_page__live=True).order_by("rank")
    )


def snapshots(pages: "QuerySet[ExplainerPage]") -> dict[int, dict[str, str]]:
    """Title, URL and standfirst of each page (a queryset), copied into the rows showing it."""
    roots = Site.get_site_root_paths()
    prefix = reverse("wagtail_serve", args=("x/",))[: -len("x/")]
    rows = pages.values_list("pk", "title", "url_path", "standfirst")
    return {
        pk: {"title": title, "url": page_url(url_path, roots, prefix), "standfirst": standfirst}
        for pk, title, url_path, standfirst in rows
    }


def page_url(url_path: str, roots: Sequence["SiteRootPath"], prefix: str) -> str:
    """What ``Page.get_url()`` returns, without a query or URL resolution per page."""
    for root in roots:
        if url_path.startswith(root.root_path):
            path = prefix + iri_to_uri(url_path[len(root.root_path) :])
            return path if len(roots) == 1 else root.root_url + path
    return ""


# The columns of a stored story, in the order store_stories writes them (COPY takes rows).
STORY_FIELDS = (
    "page_id",
    "related_page_id",
    "rank",
    "pinned",
    "score",
    "claims_score",
    "sources_score",
    "tags_score",
    "text_score",
    "shared_claims",
    "shared_sources",
    "title",
    "url",
    "standfirst",
    "computed_at",
)


def store_stories(
    chosen: Mapping[int, Iterable[ChosenStory]],
    generations: Mapping[int, int],
    seen: Mapping[int, Mapping[str, str]] | None = None,
) -> None:
    """Replace the stored widgets of these pages and clear their stale markers, unless a newer
    change marked them again while they were being computed. ``seen``: snapshots already read."""
    if seen is None:
        shown = {story.page_id for stories in chosen.values() for story in stories}
        seen = snapshots(ExplainerPage.objects.filter(pk__in=shown))
    now = timezone.now()
    rows = [
        (
            page_id,
            story.page_id,
            rank,
            story.pinned,
            round(total(story.score), 4),
            round(story.score[CLAIMS], 4),
            round(story.score[SOURCES], 4),
            round(story.score[TAGS], 4),
            round(story.score[TEXT], 4),
            story.score[SHARED_CLAIMS],
            story.score[SHARED_SOURCES],
            *seen[story.page_id].values(),
            now,
        )
        for page_id, stories in chosen.items()
        for rank, story in enumerate((s for s in stories if s.page_id in seen), start=1)
    ]
    with transaction.atomic():
        # Lock the markers: two workers computing the same page take turns.
        list(
            RelatedState.objects.select_for_update().filter(page_id__in=list(chosen)).order_by("pk")
        )
        RelatedStory.objects.filter(page_id__in=list(chosen)).delete()
        bulk_insert(RelatedStory, STORY_FIELDS, rows)
        clear_stale(generations)


def clear_stale(generations: Mapping[int, int]) -> None:
    # One update per generation value: few, as pages marked together share one.
    by_generation = defaultdict(list)
    for page_id, generation in generations.items():
        by_generation[generation].append(page_id)
    now = timezone.now()
    for generation, page_ids in by_generation.items():
        RelatedState.objects.filter(page_id__in=page_ids, generation=generation).update(
            stale=False, stale_since=None, computed_at=now
        )


def mark_stale(page_ids: Iterable[int]) -> None:
    """Mark these widgets stale, in the caller's transaction."""
    page_ids = sorted(set(page_ids))
    now = timezone.now()
    for start in range(0, len(page_ids), 5000):
        batch = page_ids[start : start + 5000]
        RelatedState.objects.bulk_create(
            [RelatedState(page_id=page_id, stale=True, stale_since=now) for page_id in batch],
            ignore_conflicts=True,
        )
        RelatedState.objects.filter(page_id__in=batch).update(
            stale=True, stale_since=Coalesce("stale_since", now), generation=F("generation") + 1
        )


def mark_all_stale(live: Iterable[int]) -> None:
    """Mark every widget stale at once (a full rebuild), creating the missing markers."""
    known = set(RelatedState.objects.values_list("pk", flat=True))
    RelatedState.objects.bulk_create(
        [RelatedState(page_id=page_id) for page_id in live if page_id not in known],
        batch_size=5000,
    )
    RelatedState.objects.update(
        stale=True,
        stale_since=Coalesce("stale_since", timezone.now()),
        generation=F("generation") + 1,
    )


def forget_pages(page_ids: Collection[int]) -> None:
    """Take pages readers may no longer see out of the index and out of every widget."""
    RelatedFeature.objects.filter(page_id__in=page_ids).delete()
    RelatedStory.objects.filter(Q(page_id__in=page_ids) | Q(related_page_id__in=page_ids)).delete()
    RelatedState.objects.filter(page_id__in=page_ids).delete()


def tidy_index() -> None:
    """After a rebuild rewrote the index, let PostgreSQL see it (VACUUM sets the visibility
    map that index-only counts need; ANALYZE the row estimates the planner uses), rather
    than wait for autovacuum. Only outside a transaction, where VACUUM may run."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (RelatedFeature, RelatedStory, RelatedState):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

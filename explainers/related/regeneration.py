"""Recomputing widgets: each page's stories (an editor's pins first, then the best scores,
never an excluded page) ranked and stored a batch at a time. What the Celery task and beat's
sweeper run, and the full rebuild."""

import dataclasses
import heapq
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from explainers.models import (
    ExplainerPage,
    RelatedFeature,
    RelatedState,
    RelatedStory,
    RelatedStoryChoice,
)
from explainers.page_cache.keys import related_key
from explainers.page_cache.purging import purge
from explainers.related.features import extract_features
from explainers.related.index import DatabaseIndex, MemoryIndex, write_features
from explainers.related.ranking import Score, new_score, score_candidates, total, widget_size
from explainers.related.storage import (
    eligible_ids,
    forget_pages,
    mark_all_stale,
    snapshots,
    store_stories,
    tidy_index,
)

logger = logging.getLogger(__name__)


# Widgets computed together, and sent to Celery together.
BATCH_SIZE = 200


def regenerate_related(
    page_ids: Iterable[int], index: DatabaseIndex | MemoryIndex | None = None
) -> int:
    """Recompute the widgets of these pages (idempotent: running it twice changes nothing).
    Returns the number of widgets written."""
    page_ids = sorted(set(page_ids))
    written = 0
    for start in range(0, len(page_ids), BATCH_SIZE):
        written += _regenerate_batch(page_ids[start : start + BATCH_SIZE], index or DatabaseIndex())
    return written


def _regenerate_batch(page_ids, index):
    RelatedState.objects.filter(page_id__in=page_ids).update(queued_at=None)
    generations = dict(
        RelatedState.objects.filter(page_id__in=page_ids).values_list("pk", "generation")
    )
    live = eligible_ids(page_ids)
    gone = [page_id for page_id in page_ids if page_id not in live]
    if gone:
        forget_pages(gone)
    live = sorted(live)
    scores = score_candidates(live, index, keep=widget_size() + 10)
    store_stories(choose_stories(live, scores), {p: g for p, g in generations.items() if p in live})
    # Readers' copies of the pages showing these widgets are purged once this commits.
    purge(related_key(page_id) for page_id in page_ids)
    return len(live)


def sweep_stale(older_than: float | None = None) -> int:
    """Recompute every widget still marked stale (after ``older_than`` seconds, so tasks in
    flight get their chance first). What beat runs; returns how many it recomputed."""
    if older_than is None:
        older_than = settings.RELATED_STORIES_SWEEP_AFTER
    cutoff = timezone.now() - timedelta(seconds=older_than)
    stale = RelatedState.objects.filter(stale=True, stale_since__lte=cutoff).values_list(
        "pk", flat=True
    )
    page_ids = list(stale)
    if page_ids:
        logger.info("Sweeping %d stale related-stories widgets", len(page_ids))
        regenerate_related(page_ids)
    return len(page_ids)


def rebuild_all(progress: Callable[[int, int], object] | None = None) -> int:
    """Re-extract every live explainer's features and recompute every widget, reading the
    index once into memory. ``progress(done, total)`` is called as batches finish."""
    readable = ExplainerPage.objects.live().public().values("pk")
    live = sorted(pk for (pk,) in readable.values_list("pk"))
    with transaction.atomic():
        RelatedFeature.objects.exclude(page_id__in=readable).delete()
        RelatedStory.objects.exclude(page_id__in=readable).delete()
        RelatedStory.objects.exclude(related_page_id__in=readable).delete()
        RelatedState.objects.exclude(page_id__in=readable).delete()
    for start in range(0, len(live), 1000):
        write_features(
            extract_features(ExplainerPage.objects.filter(pk__in=live[start : start + 1000]))
        )
    mark_all_stale(live)
    index = MemoryIndex()
    eligible = set(live)
    seen = snapshots(ExplainerPage.objects.live().public())
    done = 0
    for start in range(0, len(live), BATCH_SIZE):
        batch = live[start : start + BATCH_SIZE]
        generations = dict(
            RelatedState.objects.filter(page_id__in=batch).values_list("pk", "generation")
        )
        scores = score_candidates(batch, index, keep=widget_size() + 10)
        chosen = choose_stories(batch, scores, eligible=eligible)
        store_stories(chosen, generations, seen)
        done += len(batch)
        if progress:
            progress(done, len(live))
    tidy_index()
    return len(live)


@dataclasses.dataclass
class Choice:
    """One story chosen for a widget, with its score (see ``new_score``)."""

    page_id: int
    score: list
    pinned: bool = False


def choose_stories(
    page_ids: Sequence[int],
    scores: Mapping[int, Mapping[int, Score]],
    eligible: Collection[int] | None = None,
) -> dict[int, list[Choice]]:
    """The stories each page's widget shows: live pins first, then the best scores, without
    excluded pages. ``eligible`` limits candidates (None: check in the database)."""
    pins, excludes = defaultdict(list), defaultdict(set)
    rows = RelatedStoryChoice.objects.filter(page_id__in=list(page_ids)).order_by(
        "sort_order", "pk"
    )
    for page_id, story_id, choice in rows.values_list("page_id", "story_id", "choice"):
        (
            pins[page_id].append
            if choice == RelatedStoryChoice.Choice.PIN
            else excludes[page_id].add
        )(story_id)
    size = widget_size()
    ranked = {
        page_id: heapq.nsmallest(
            size + 10,
            (
                (-total(score), other)
                for other, score in scores.get(page_id, {}).items()
                if other not in excludes[page_id]
            ),
        )
        for page_id in page_ids
    }
    if eligible is None:
        wanted = {other for ranking in ranked.values() for _, other in ranking}
        wanted |= {pin for pinned in pins.values() for pin in pinned}
        eligible = eligible_ids(wanted)
    chosen = {}
    for page_id in page_ids:
        stories = [
            Choice(pin, scores.get(page_id, {}).get(pin) or new_score(), pinned=True)
            for pin in dict.fromkeys(pins[page_id])
            if pin in eligible and pin != page_id and pin not in excludes[page_id]
        ][:size]
        taken = {story.page_id for story in stories}
        for negative_total, other in ranked[page_id]:
            if len(stories) >= size:
                break
            if other in eligible and other not in taken and negative_total < 0:
                stories.append(Choice(other, scores[page_id][other]))
        chosen[page_id] = stories
    return chosen

"""What a change affects: a publish, unpublish, move or privacy change of pages, a claim's
status, a source's re-import. The index is brought up to date and every widget that could
now differ is marked stale, in the caller's transaction; the regeneration is sent after
commit. Called by the receivers in explainers.signal_handlers."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Min, Q

from explainers.models import ExplainerPage, RelatedFeature, RelatedStory, RelatedStoryChoice
from explainers.related.features import extract_features, feature_key
from explainers.related.index import DatabaseIndex, write_features
from explainers.related.ranking import Score, score_candidates, total, widget_size
from explainers.related.scheduling import schedule_regeneration
from explainers.related.storage import eligible_ids, forget_pages, mark_stale

if TYPE_CHECKING:
    from wagtail.models import Page


def refresh_pages(page_ids: Iterable[int]) -> set[int]:
    """Bring the index up to date with these pages as readers now see them, and mark stale
    every widget the change may affect: the pages themselves, the pages showing or pinning
    them, and the pages they could now enter. Runs in the caller's transaction; the
    regeneration is sent after commit. Returns the ids marked stale."""
    page_ids = set(page_ids)
    if not page_ids:
        return set()
    with transaction.atomic():
        affected = pages_showing(page_ids)
        live = eligible_ids(page_ids)
        gone = page_ids - live
        if gone:
            forget_pages(list(gone))
        if live:
            write_features(extract_features(ExplainerPage.objects.filter(pk__in=list(live))))
            affected |= live | pages_to_enter(score_candidates(sorted(live), DatabaseIndex()))
        affected -= gone
        mark_stale(affected)
    schedule_regeneration(affected)
    return affected


def pages_showing(page_ids: Collection[int]) -> set[int]:
    """Pages whose widget shows or pins any of these pages."""
    showing = set(
        RelatedStory.objects.filter(related_page_id__in=list(page_ids)).values_list(
            "page_id", flat=True
        )
    )
    pinning = RelatedStoryChoice.objects.filter(story_id__in=list(page_ids)).values_list(
        "page_id", flat=True
    )
    return showing | set(pinning)


def pages_to_enter(scores: Mapping[int, Mapping[int, Score]]) -> set[int]:
    """Candidates whose widget a changed page could now enter: its (symmetric) score with
    them beats the weakest story they show, or they show fewer than the widget holds."""
    best = defaultdict(float)
    for candidates in scores.values():
        for other, score in candidates.items():
            best[other] = max(best[other], total(score))
    if not best:
        return set()
    stored = (
        RelatedStory.objects.filter(page_id__in=list(best))
        .values("page_id")
        .annotate(shown=Count("pk"), weakest=Min("score", filter=Q(pinned=False)))
    )
    full = {row["page_id"]: row for row in stored if row["shown"] >= widget_size()}
    enter = set()
    for other, score in best.items():
        row = full.get(other)
        if row is None or (row["weakest"] is not None and score >= row["weakest"] - 1e-6):
            enter.add(other)
    return enter


def pages_citing(kind: str, value: object) -> set[int]:
    """Indexed pages holding a feature: e.g. the explainers citing a claim."""
    key = feature_key(kind, value)
    return set(RelatedFeature.objects.filter(key=key).values_list("page_id", flat=True))


def explainers_within(page: "Page") -> set[int]:
    """The explainers at or below a page in the tree (a moved or restricted section)."""
    return set(
        ExplainerPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )


def refresh_showing(page_ids: Collection[int]) -> set[int]:
    """Mark stale, and send after commit, the widgets showing or pinning these pages, not
    their own: what a page about to be deleted leaves behind. Returns the ids marked."""
    showing = pages_showing(page_ids) - set(page_ids)
    mark_stale(showing)
    schedule_regeneration(showing)
    return showing

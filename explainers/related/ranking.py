"""Ranking: each page's candidates and their scores, from the feature index alone. The index
object does the reading (see explainers.related.index); nothing here queries the database,
so a full rebuild ranks every page from memory.

A page's candidates are the pages sharing a *distinctive* feature with it (one held by few
pages). Each shared feature adds its kind's weight times its rarity (idf); features held by
many pages (a big outlet, a broad tag) still add to the score of a candidate, but never make
one. Scores are symmetric, so ranking a changed page also tells which other widgets it could
enter: nothing ever compares all pairs."""

import heapq
import math
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, TypeAlias

from django.conf import settings

from explainers.models.related_stories import RelatedFeature

if TYPE_CHECKING:
    from explainers.related.index import DatabaseIndex, MemoryIndex

Kind = RelatedFeature.Kind

# How much each kind of shared feature says about two stories being related.
KIND_WEIGHTS = {Kind.CLAIM: 3.0, Kind.SOURCE: 1.5, Kind.OUTLET: 0.5, Kind.TAG: 1.0, Kind.TERM: 0.5}
# Which part of the score each kind adds to, the parts an editor reads to see why.
PART_OF_KIND = {
    Kind.CLAIM: "claims",
    Kind.SOURCE: "sources",
    Kind.OUTLET: "sources",
    Kind.TAG: "tags",
    Kind.TERM: "text",
}


def widget_size() -> int:
    return settings.RELATED_STORIES_COUNT


# A candidate's score as it accumulates: one float per part, then the counts of shared
# claims and sources. Plain lists, because a rebuild adds to millions of them.
CLAIMS, SOURCES, TAGS, TEXT, SHARED_CLAIMS, SHARED_SOURCES = range(6)
PART_INDEX = {"claims": CLAIMS, "sources": SOURCES, "tags": TAGS, "text": TEXT}
Score: TypeAlias = list[float]
# {page id: {candidate id: score}}
Scores: TypeAlias = dict[int, dict[int, Score]]


def new_score() -> Score:
    return [0.0, 0.0, 0.0, 0.0, 0, 0]


def total(score: Sequence[float]) -> float:
    return score[CLAIMS] + score[SOURCES] + score[TAGS] + score[TEXT]


# A page that finds fewer candidates than its widget holds (everything it has is common, e.g.
# a running story where every explainer cites the same claim) also looks through its rarest
# common features, reading at most this many of the newest pages holding each.
FALLBACK_KEYS = 3
FALLBACK_POSTINGS = 200


def common_threshold(total_pages: int) -> int:
    """Features held by more pages than this are too common to make a page a candidate."""
    return max(30, total_pages // 500)


def score_candidates(
    page_ids: Collection[int], index: "DatabaseIndex | MemoryIndex", keep: int | None = None
) -> Scores:
    """Every candidate of each page with its score: ``{page id: {candidate id: score}}``.
    With ``keep``, only the candidates that can still reach a page's top ``keep``."""
    own = index.features_of(page_ids)
    keys = {key for found in own.values() for key in found}
    pages = max(index.total_pages(), 1)
    df = index.document_frequency(keys)
    limit = common_threshold(pages)
    distinctive = {key for key in keys if 1 < df.get(key, 0) <= limit}
    postings = index.postings(distinctive)
    plan = {key: _plan(key, math.log(1 + pages / df[key])) for key in keys if df.get(key)}

    scores = {}
    for page_id in page_ids:
        found = own.get(page_id, {})
        candidates = {}
        for key in found.keys() & distinctive:
            part, factor, counter = plan[key]
            factor *= found[key]
            for other, weight in postings[key]:
                score = candidates.get(other)
                if score is None:
                    if other == page_id:
                        continue
                    score = candidates[other] = new_score()
                score[part] += factor * weight
                if counter:
                    score[counter] += 1
        scores[page_id] = candidates

    common = (keys - distinctive) & plan.keys()
    _add_fallback_candidates(scores, own, common, df, index)
    if keep:
        _prune(scores, own, common, plan, keep)
    _add_common_features(scores, own, common, plan, index)
    return scores


def _add_fallback_candidates(scores, own, common, df, index):
    """Pages short of candidates take the newest pages sharing their rarest common features
    as candidates too (scored below, with every common feature they share)."""
    rarest = {}
    for page_id, candidates in scores.items():
        if len(candidates) >= widget_size():
            continue
        shared = [key for key in own.get(page_id, {}).keys() & common if df.get(key, 0) > 1]
        rarest[page_id] = sorted(shared, key=lambda key: (df[key], key))[:FALLBACK_KEYS]
    wanted = {key for keys in rarest.values() for key in keys}
    if not wanted:
        return
    postings = index.newest_postings(wanted, FALLBACK_POSTINGS)
    for page_id, keys in rarest.items():
        candidates = scores[page_id]
        for key in keys:
            for other, _weight in postings[key]:
                if other != page_id and other not in candidates:
                    candidates[other] = new_score()


def _plan(key, idf):
    """Where a shared feature's contribution goes: (part, weight x idf, counter or None)."""
    kind = key.split(":", 1)[0]
    counter = {Kind.CLAIM: SHARED_CLAIMS, Kind.SOURCE: SHARED_SOURCES}.get(kind)
    return PART_INDEX[PART_OF_KIND[kind]], KIND_WEIGHTS[kind] * idf, counter


def _prune(scores, own, common, plan, keep):
    # Common features add at most their own weight (a feature's weight is at most 1), so a
    # candidate that cannot catch up with the keep-th best even with all of them is dropped.
    for page_id, candidates in scores.items():
        if len(candidates) <= keep:
            continue
        found = own.get(page_id, {})
        bound = sum(plan[key][1] * found[key] for key in found.keys() & common)
        cutoff = heapq.nlargest(keep, map(total, candidates.values()))[-1] - bound
        scores[page_id] = {
            other: score for other, score in candidates.items() if total(score) >= cutoff
        }


def _add_common_features(scores, own, common, plan, index):
    # Common features count towards the candidates found, read only for those candidates.
    candidate_ids = {other for candidates in scores.values() for other in candidates}
    if not common or not candidate_ids:
        return
    theirs = index.features_of(candidate_ids)
    for page_id, candidates in scores.items():
        mine = own.get(page_id, {}).keys() & common
        if not mine:
            continue
        found = own[page_id]
        for other, score in candidates.items():
            their = theirs.get(other, {})
            for key in mine:
                weight = their.get(key)
                if weight is not None:
                    part, factor, counter = plan[key]
                    score[part] += factor * found[key] * weight
                    if counter:
                        score[counter] += 1

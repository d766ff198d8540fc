"""Related stories: which explainers each explainer's widget shows, and keeping them current.

How it works, in four steps:

1. **Features.** Each live, public explainer is described by its features: the claims it
   cites, the sources and outlets behind them, its tags, and the significant terms of its
   title, standfirst and claim statements. They are stored in an inverted index
   (``RelatedFeature``), so the pages sharing a feature are one indexed lookup away.
2. **Ranking.** A page's candidates are the pages sharing a *distinctive* feature with it
   (one held by few pages). Each shared feature adds its kind's weight times its rarity
   (idf); features held by many pages (a big outlet, a broad tag) still add to the score of
   a candidate, but never make one. Scores are symmetric, so ranking a changed page also
   tells which other widgets it could enter: nothing ever compares all pairs.
3. **Regeneration.** A change (publish, unpublish, delete, move, a claim's status, a source's
   re-import) refreshes the index and marks the affected widgets stale in the caller's
   transaction; after commit a coalesced Celery task recomputes just those widgets.
4. **Nothing lost.** The stale marker outlives a broker that is down or a worker that dies:
   the beat sweeper recomputes whatever is still stale.
"""

import dataclasses
import heapq
import json
import logging
import math
import re
from collections import Counter, defaultdict, namedtuple
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from wagtail.models import Site

from explainers.blocks import iter_cited_claims, iter_pull_quote_sources
from explainers.models import (
    ExplainerPage,
    ExplainerPageTag,
    RelatedFeature,
    RelatedState,
    RelatedStory,
    RelatedStoryChoice,
)
from newsroom.desk.models import Claim, Evidence, Source

logger = logging.getLogger(__name__)

Kind = RelatedFeature.Kind
PART_OF_KIND = {
    Kind.CLAIM: "claims",
    Kind.SOURCE: "sources",
    Kind.OUTLET: "sources",
    Kind.TAG: "tags",
    Kind.TERM: "text",
}
# How much each kind of shared feature says about two stories being related.
KIND_WEIGHTS = {Kind.CLAIM: 3.0, Kind.SOURCE: 1.5, Kind.OUTLET: 0.5, Kind.TAG: 1.0, Kind.TERM: 0.5}
# A shared verified claim says more than a shared claim still in doubt.
CLAIM_STATUS_WEIGHTS = {
    Claim.Status.VERIFIED: 1.0,
    Claim.Status.UNVERIFIED: 0.8,
    Claim.Status.DISPUTED: 0.7,
    Claim.Status.NEEDS_RECHECK: 0.6,
    Claim.Status.FALSE: 0.5,
}
TERMS_PER_PAGE = 12
BATCH_SIZE = 200
STOPWORD_TEXT = """
    about above after again against also among because been before being below between both
    cannot could does doing down during each even ever from further have having here into
    itself just least less like made make many more most much must near never only other
    ought over same says said should since some such than that their theirs them then there
    these they this those through under until upon very were what when where which while
    whom whose will with within without would your yours year years says told tells week
"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())
WORD = re.compile(r"[^\W\d_]{4,}")


def widget_size():
    return settings.RELATED_STORIES_COUNT


# Features ------------------------------------------------------------------------------


def feature_key(kind, value):
    return f"{kind}:{value}"


def extract_features(pages):
    """Each page's features (pages: a queryset of explainers) as ``{page id: {key: weight}}``,
    in a fixed number of queries."""
    pages = [
        PageText(pk, title, standfirst, _raw(body))
        for pk, title, standfirst, body in pages.values_list("pk", "title", "standfirst", "body")
    ]
    claims_of = {
        page.pk: list(dict.fromkeys(c for c, _ in iter_cited_claims(page.body))) for page in pages
    }
    quoted_of = {page.pk: list(iter_pull_quote_sources(page.body)) for page in pages}
    claim_ids = {claim for ids in claims_of.values() for claim in ids}
    claims = {
        row["pk"]: row
        for row in Claim.objects.filter(pk__in=claim_ids).values("pk", "statement", "status")
    }
    sources_of_claim = defaultdict(set)
    outlet_of = {}
    for claim_id, source_id, outlet_id in Evidence.objects.filter(
        claim_id__in=claim_ids
    ).values_list("claim_id", "source_id", "source__outlet_id"):
        sources_of_claim[claim_id].add(source_id)
        outlet_of[source_id] = outlet_id
    quoted = {source for ids in quoted_of.values() for source in ids} - set(outlet_of)
    outlet_of.update(Source.objects.filter(pk__in=quoted).values_list("pk", "outlet_id"))
    tags_of = defaultdict(list)
    for page_id, slug in ExplainerPageTag.objects.filter(
        content_object_id__in=[page.pk for page in pages]
    ).values_list("content_object_id", "tag__slug"):
        tags_of[page_id].append(slug)

    features = {}
    for page in pages:
        found = {}
        cited = [claims[c] for c in claims_of[page.pk] if c in claims]
        for claim in cited:
            found[feature_key(Kind.CLAIM, claim["pk"])] = CLAIM_STATUS_WEIGHTS.get(
                claim["status"], 0.8
            )
        sources = {s for claim in cited for s in sources_of_claim[claim["pk"]]}
        sources |= {s for s in quoted_of[page.pk] if s in outlet_of}
        for source in sources:
            found[feature_key(Kind.SOURCE, source)] = 1.0
            if outlet_of.get(source):
                found[feature_key(Kind.OUTLET, outlet_of[source])] = 1.0
        for slug in tags_of[page.pk]:
            found[feature_key(Kind.TAG, slug)] = 1.0
        text = [page.title, page.title, page.standfirst, *(claim["statement"] for claim in cited)]
        found.update(significant_terms(" ".join(text)))
        features[page.pk] = found
    return features


PageText = namedtuple("PageText", "pk title standfirst body")


def _raw(body):
    # A StreamField read with values_list() may come back as a StreamValue or as raw data.
    if isinstance(body, str):
        return json.loads(body or "[]")
    return getattr(body, "raw_data", body) or []


def significant_terms(text):
    """The text's most frequent content words as term features, weighted 0–1 by frequency."""
    words = [_stem(word) for word in WORD.findall(text.casefold()) if word not in STOPWORDS]
    counts = Counter(words).most_common(TERMS_PER_PAGE)
    if not counts:
        return {}
    top = counts[0][1]
    return {feature_key(Kind.TERM, word[:110]): round(n / top, 3) for word, n in counts}


def _stem(word):
    # Just enough stemming that "sanction" and "sanctions" meet.
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def write_features(features):
    """Replace the stored features of these pages."""
    RelatedFeature.objects.filter(page_id__in=list(features)).delete()
    bulk_insert(
        RelatedFeature,
        ("page_id", "key", "weight"),
        [
            (page_id, key, weight)
            for page_id, found in features.items()
            for key, weight in found.items()
        ],
    )


def bulk_insert(model, fields, rows):
    """Insert many rows by the fastest path: COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(field).column) for field in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


# Ranking -------------------------------------------------------------------------------


# A candidate's score as it accumulates: one float per part, then the counts of shared
# claims and sources. Plain lists, because a rebuild adds to millions of them.
CLAIMS, SOURCES, TAGS, TEXT, SHARED_CLAIMS, SHARED_SOURCES = range(6)
PART_INDEX = {"claims": CLAIMS, "sources": SOURCES, "tags": TAGS, "text": TEXT}


def new_score():
    return [0.0, 0.0, 0.0, 0.0, 0, 0]


def total(score):
    return score[CLAIMS] + score[SOURCES] + score[TAGS] + score[TEXT]


# A page that finds fewer candidates than its widget holds (everything it has is common, e.g.
# a running story where every explainer cites the same claim) also looks through its rarest
# common features, reading at most this many of the newest pages holding each.
FALLBACK_KEYS = 3
FALLBACK_POSTINGS = 200


def common_threshold(total_pages):
    """Features held by more pages than this are too common to make a page a candidate."""
    return max(30, total_pages // 500)


class DatabaseIndex:
    """The inverted index as stored: what ranking a few pages at a time reads."""

    def total_pages(self):
        # Every indexed page has a marker; counting those is cheap where counting the
        # index's distinct pages is not.
        return RelatedState.objects.count()

    def features_of(self, page_ids):
        found = defaultdict(dict)
        rows = RelatedFeature.objects.filter(page_id__in=list(page_ids))
        for page_id, key, weight in rows.values_list("page_id", "key", "weight"):
            found[page_id][key] = weight
        return found

    def document_frequency(self, keys):
        # Counting page ids, which the (key, page) index holds, lets PostgreSQL answer from
        # the index alone: a big outlet's key is held by a good part of a large site.
        rows = (
            RelatedFeature.objects.filter(key__in=list(keys))
            .values("key")
            .annotate(n=Count("page_id"))
        )
        return {row["key"]: row["n"] for row in rows}

    def postings(self, keys):
        found = defaultdict(list)
        rows = RelatedFeature.objects.filter(key__in=list(keys))
        for key, page_id, weight in rows.values_list("key", "page_id", "weight"):
            found[key].append((page_id, weight))
        return found

    def newest_postings(self, keys, limit):
        # One query per key, each reading the (key, page) index backwards: few keys, as only
        # pages short of candidates ask.
        return {
            key: list(
                RelatedFeature.objects.filter(key=key)
                .order_by("-page_id")
                .values_list("page_id", "weight")[:limit]
            )
            for key in sorted(keys)
        }


class MemoryIndex:
    """The whole index in memory, for a full rebuild: one read, then no queries per page."""

    def __init__(self):
        self.total = RelatedState.objects.count()
        self.features = defaultdict(dict)
        self.posting_lists = defaultdict(list)
        rows = RelatedFeature.objects.values_list("page_id", "key", "weight").iterator(
            chunk_size=20000
        )
        for page_id, key, weight in rows:
            self.features[page_id][key] = weight
            self.posting_lists[key].append((page_id, weight))

    def total_pages(self):
        return self.total

    def features_of(self, page_ids):
        return {page_id: self.features[page_id] for page_id in page_ids if page_id in self.features}

    def document_frequency(self, keys):
        return {key: len(self.posting_lists[key]) for key in keys}

    def postings(self, keys):
        return {key: self.posting_lists[key] for key in keys}

    def newest_postings(self, keys, limit):
        newest = self.__dict__.setdefault("_newest", {})
        for key in keys - newest.keys():
            newest[key] = heapq.nlargest(limit, self.posting_lists[key])
        return {key: newest[key] for key in keys}


def score_candidates(page_ids, index, keep=None):
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


def eligible_ids(page_ids):
    """The pages among these a reader may be shown: live explainers outside private sections."""
    return set(
        ExplainerPage.objects.live()
        .public()
        .filter(pk__in=list(page_ids))
        .values_list("pk", flat=True)
    )


@dataclasses.dataclass
class Choice:
    """One story chosen for a widget, with its score (see ``new_score``)."""

    page_id: int
    score: list
    pinned: bool = False


def choose_stories(page_ids, scores, eligible=None):
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


# Storing results -----------------------------------------------------------------------


def snapshots(pages):
    """Title, URL and standfirst of each page (a queryset), copied into the rows showing it."""
    roots = Site.get_site_root_paths()
    prefix = reverse("wagtail_serve", args=("x/",))[: -len("x/")]
    rows = pages.values_list("pk", "title", "url_path", "standfirst")
    return {
        pk: {"title": title, "url": page_url(url_path, roots, prefix), "standfirst": standfirst}
        for pk, title, url_path, standfirst in rows
    }


def page_url(url_path, roots, prefix):
    """What ``Page.get_url()`` returns, without a query or URL resolution per page."""
    for root in roots:
        if url_path.startswith(root.root_path):
            path = prefix + iri_to_uri(url_path[len(root.root_path) :])
            return path if len(roots) == 1 else root.root_url + path
    return ""


def store_stories(chosen, generations, seen=None):
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


def clear_stale(generations):
    # One update per generation value: few, as pages marked together share one.
    by_generation = defaultdict(list)
    for page_id, generation in generations.items():
        by_generation[generation].append(page_id)
    now = timezone.now()
    for generation, page_ids in by_generation.items():
        RelatedState.objects.filter(page_id__in=page_ids, generation=generation).update(
            stale=False, stale_since=None, computed_at=now
        )


# Regeneration --------------------------------------------------------------------------


def regenerate_related(page_ids, index=None):
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
    return len(live)


def forget_pages(page_ids):
    """Take pages readers may no longer see out of the index and out of every widget."""
    RelatedFeature.objects.filter(page_id__in=page_ids).delete()
    RelatedStory.objects.filter(Q(page_id__in=page_ids) | Q(related_page_id__in=page_ids)).delete()
    RelatedState.objects.filter(page_id__in=page_ids).delete()


def sweep_stale(older_than=None):
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


def rebuild_all(progress=None):
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


def tidy_index():
    """After a rebuild rewrote the index, let PostgreSQL see it (VACUUM sets the visibility
    map that index-only counts need; ANALYZE the row estimates the planner uses), rather
    than wait for autovacuum. Only outside a transaction, where VACUUM may run."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (RelatedFeature, RelatedStory, RelatedState):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Marking stale and scheduling -----------------------------------------------------------


def mark_stale(page_ids):
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


def mark_all_stale(live):
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


def schedule_regeneration(page_ids):
    """After the caller's transaction commits, send the stale widgets to Celery."""
    page_ids = sorted(set(page_ids))
    if page_ids:
        transaction.on_commit(partial(enqueue_regeneration, page_ids))


def enqueue_regeneration(page_ids):
    """Send one coalesced task for these widgets: pages already queued within the last
    ``RELATED_STORIES_QUEUE_TTL`` seconds are left to the task already on its way. If the
    broker is down, log it and leave the stale markers to the sweeper. Returns the ids sent."""
    from explainers.tasks import regenerate_related as task

    now = timezone.now()
    expired = now - timedelta(seconds=settings.RELATED_STORIES_QUEUE_TTL)
    free = RelatedState.objects.filter(page_id__in=list(page_ids), stale=True).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=expired)
    )
    to_send = sorted(free.values_list("pk", flat=True))
    if not to_send:
        return []
    RelatedState.objects.filter(page_id__in=to_send).update(queued_at=now)
    delay = settings.RELATED_STORIES_DELAY
    try:
        for start in range(0, len(to_send), BATCH_SIZE):
            task.apply_async(
                (to_send[start : start + BATCH_SIZE],), countdown=delay, retry_policy=PUBLISH_RETRY
            )
    except BROKER_ERRORS as error:
        logger.warning(
            "Broker unavailable (%s): %d related-stories widgets stay stale for the sweeper",
            error,
            len(to_send),
        )
        RelatedState.objects.filter(page_id__in=to_send, queued_at=now).update(queued_at=None)
        return []
    except Exception:
        if not task.app.conf.task_always_eager:
            raise
        # In-process (no broker), the task runs here, after the change has committed: a
        # failure must not turn the editor's successful publish into an error page.
        logger.exception("Regenerating related stories failed; %s stay stale", to_send)
        RelatedState.objects.filter(page_id__in=to_send, queued_at=now).update(queued_at=None)
        return []
    return to_send


PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def _broker_errors():
    from kombu.exceptions import OperationalError

    errors = [OperationalError, ConnectionError, TimeoutError]
    try:
        import redis.exceptions

        errors.append(redis.exceptions.RedisError)
    except ImportError:  # pragma: no cover - redis is a dependency through celery[redis]
        pass
    return tuple(errors)


BROKER_ERRORS = _broker_errors()


# What a change affects ------------------------------------------------------------------


def refresh_pages(page_ids):
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


def pages_showing(page_ids):
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


def pages_to_enter(scores):
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


def pages_citing(kind, value):
    """Indexed pages holding a feature: e.g. the explainers citing a claim."""
    key = feature_key(kind, value)
    return set(RelatedFeature.objects.filter(key=key).values_list("page_id", flat=True))


def explainers_within(page):
    """The explainers at or below a page in the tree (a moved or restricted section)."""
    return set(
        ExplainerPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )


def widget_stories(page):
    """The stories a page's widget shows, in one query."""
    return list(
        RelatedStory.objects.filter(page_id=page.pk, related_page__live=True).order_by("rank")
    )

"""The inverted index as stored (``RelatedFeature``): written for the pages a change touches,
and read for ranking either a few pages at a time from the database or, for a full rebuild,
all at once into memory."""

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from django.db import connection
from django.db.models import Count, Model

from explainers.models import RelatedFeature, RelatedState


def write_features(features: Mapping[int, Mapping[str, float]]) -> None:
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


def bulk_insert(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
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


class DatabaseIndex:
    """The inverted index as stored: what ranking a few pages at a time reads."""

    def total_pages(self) -> int:
        # Every indexed page has a marker; counting those is cheap where counting the
        # index's distinct pages is not.
        return RelatedState.objects.count()

    def features_of(self, page_ids: Iterable[int]) -> dict[int, dict[str, float]]:
        found = defaultdict(dict)
        rows = RelatedFeature.objects.filter(page_id__in=list(page_ids))
        for page_id, key, weight in rows.values_list("page_id", "key", "weight"):
            found[page_id][key] = weight
        return found

    def document_frequency(self, keys: Iterable[str]) -> dict[str, int]:
        # Counting page ids, which the (key, page) index holds, lets PostgreSQL answer from
        # the index alone: a big outlet's key is held by a good part of a large site.
        rows = (
            RelatedFeature.objects.filter(key__in=list(keys))
            .values("key")
            .annotate(n=Count("page_id"))
        )
        return {row["key"]: row["n"] for row in rows}

    def postings(self, keys: Iterable[str]) -> dict[str, list[tuple[int, float]]]:
        found = defaultdict(list)
        rows = RelatedFeature.objects.filter(key__in=list(keys))
        for key, page_id, weight in rows.values_list("key", "page_id", "weight"):
            found[key].append((page_id, weight))
        return found

    def newest_postings(
        self, keys: Iterable[str], limit: int
    ) -> dict[str, list[tuple[int, float]]]:
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

    def __init__(self) -> None:
        self.total = RelatedState.objects.count()
        self.features = defaultdict(dict)
        self.posting_lists = defaultdict(list)
        rows = RelatedFeature.objects.values_list("page_id", "key", "weight").iterator(
            chunk_size=20000
        )
        for page_id, key, weight in rows:
            self.features[page_id][key] = weight
            self.posting_lists[key].append((page_id, weight))

    def total_pages(self) -> int:
        return self.total

    def features_of(self, page_ids: Iterable[int]) -> dict[int, dict[str, float]]:
        return {page_id: self.features[page_id] for page_id in page_ids if page_id in self.features}

    def document_frequency(self, keys: Iterable[str]) -> dict[str, int]:
        return {key: len(self.posting_lists[key]) for key in keys}

    def postings(self, keys: Iterable[str]) -> dict[str, list[tuple[int, float]]]:
        return {key: self.posting_lists[key] for key in keys}

    def newest_postings(
        self, keys: AbstractSet[str], limit: int
    ) -> dict[str, list[tuple[int, float]]]:
        newest = self.__dict__.setdefault("_newest", {})
        for key in keys - newest.keys():
            newest[key] = heapq.nlargest(limit, self.posting_lists[key])
        return {key: newest[key] for key in keys}

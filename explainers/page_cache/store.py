"""The origin's store of whole reader responses, in the "pages" cache alias.

Each entry is kept with its surrogate keys and the moment its request began. A purge
records, per key, the moment it happened; an entry is served only if none of its keys was
purged after its request began (a request that began before a change was committed may
have read the old rows, so its answer is dropped). Purge records have no expiry, and an
epoch written with the first entry guards against a cache emptied under them: entries made
under another epoch are never served. In production the cache is Redis with an eviction
policy that evicts only keys with an expiry (`volatile-lru`), so purge records stay.

Each process also holds the entries it served last in memory (PAGE_CACHE_LOCAL_ENTRIES), so a
hit costs one small round trip to the cache (the purge records), not the whole page: the
records are read on every hit, so a purge from any process still ends the copy at once.
"""

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode

from explainers.query_params import reader_query

PAGE_CACHE = "pages"
EPOCH = "page-cache:epoch"


def page_cache() -> BaseCache:
    return caches[PAGE_CACHE]


def purged_key(key: str) -> str:
    return f"page-cache:purged:{key}"


def entry_key(request: HttpRequest) -> str:
    """One entry per scheme, host, path and reader parameters, in canonical form
    (explainers.query_params.reader_query): every other parameter is ignored, so no made-up
    query string adds an entry. HEAD shares GET's."""
    query = urlencode(sorted(reader_query(request.GET).items()))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return "page-cache:entry:" + hashlib.sha256(address.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A kept response: what the reader is sent, and what decides whether it still may be."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    keys: frozenset[str]
    began_at: float
    epoch: str

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


class LocalEntries:
    """The entries this process used last, at most PAGE_CACHE_LOCAL_ENTRIES of them."""

    def __init__(self):
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> "Entry | None":
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: "Entry") -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > settings.PAGE_CACHE_LOCAL_ENTRIES:
                self.entries.popitem(last=False)

    def forget(self, key: str) -> None:
        with self.lock:
            self.entries.pop(key, None)


local_entries = LocalEntries()


def current_epoch() -> str:
    cache = page_cache()
    epoch = cache.get(EPOCH)
    if epoch is None:
        cache.add(EPOCH, uuid.uuid4().hex, timeout=None)
        epoch = cache.get(EPOCH)
    return epoch


def fetch(request: HttpRequest) -> Entry | None:
    """The kept response for this request, if there is one no purge has touched since."""
    cache = page_cache()
    key = entry_key(request)
    entry = local_entries.get(key)
    if entry is None or entry.began_at + settings.PAGE_CACHE_SECONDS < time.time():
        entry = cache.get(key)
        if entry is None:
            return None
        local_entries.put(key, entry)
    records = cache.get_many([EPOCH, *(purged_key(name) for name in entry.keys)])
    if records.get(EPOCH) != entry.epoch or any(
        records.get(purged_key(name), 0) >= entry.began_at for name in entry.keys
    ):
        local_entries.forget(key)
        return None
    return entry


def keep(request: HttpRequest, response: HttpResponse, keys: set[str], began_at: float) -> None:
    """Keep a response made for a request that began at `began_at`."""
    headers = tuple((name, value) for name, value in response.headers.items())
    entry = Entry(
        status=response.status_code,
        headers=headers,
        content=response.content,
        keys=frozenset(keys),
        began_at=began_at,
        epoch=current_epoch(),
    )
    key = entry_key(request)
    page_cache().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    local_entries.put(key, entry)


def purge(keys: set[str]) -> None:
    """Stop serving every kept response labelled with any of `keys`."""
    now = time.time()
    page_cache().set_many({purged_key(key): now for key in keys}, timeout=None)

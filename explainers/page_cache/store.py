"""The origin's store of whole reader responses, in the "pages" cache alias.

Each entry is kept with its surrogate keys and the moment its request began. A purge
records, per key, the moment it happened; an entry is served only if none of its keys was
purged after its request began (a request that began before a change was committed may
have read the old rows, so its answer is dropped). Purge records have no expiry, and an
epoch written with the first entry guards against a cache emptied under them: entries made
under another epoch are never served. In production the cache is Redis with an eviction
policy that evicts only keys with an expiry (`volatile-lru`), so purge records stay.
"""

import hashlib
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest, HttpResponse

PAGE_CACHE = "pages"
EPOCH = "page-cache:epoch"


def page_cache() -> BaseCache:
    return caches[PAGE_CACHE]


def purged_key(key: str) -> str:
    return f"page-cache:purged:{key}"


def entry_key(request: HttpRequest) -> str:
    """One entry per scheme, host, path and query string (parameters in a fixed order);
    HEAD shares GET's."""
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
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
    entry = cache.get(entry_key(request))
    if entry is None:
        return None
    records = cache.get_many([EPOCH, *(purged_key(key) for key in entry.keys)])
    if records.get(EPOCH) != entry.epoch:
        return None
    if any(records.get(purged_key(key), 0) >= entry.began_at for key in entry.keys):
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
    page_cache().set(entry_key(request), entry, timeout=settings.PAGE_CACHE_SECONDS)


def purge(keys: set[str]) -> None:
    """Stop serving every kept response labelled with any of `keys`."""
    now = time.time()
    page_cache().set_many({purged_key(key): now for key in keys}, timeout=None)

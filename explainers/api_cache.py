"""Which answers of the read API are cached, and under what key.

A request is answered in its canonical form: the parameters its endpoint reads, in a fixed
order, each value written the one way the endpoint reads it ("05", " 5" and "5" are one
page). Equivalent URLs therefore share one cached answer, and that answer, next-page links
included, is the same whichever of them came first. Parameters an endpoint ignores (and
cache-busters) are dropped; those it refuses are kept, so that it refuses them. Answers
that depend on free text or chance (a search, a random order) are never cached.

Answers live in a cache alias of their own ("api", see settings), so that no number of
distinct API URLs can evict what readers' pages keep in the default cache.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest, QueryDict

from explainers.query_params import clean_search

if TYPE_CHECKING:
    from rest_framework.pagination import PageNumberPagination

API_CACHE = "api"

# Wagtail's pages endpoint: the parameters whose answers may be cached, for a detail and
# for the listing (whose offset or limit a detail ignores, so they must not split its key);
# and the integers it reads.
PAGES_DETAIL_CACHEABLE = frozenset(["fields", "rich_text_format"])
PAGES_LISTING_CACHEABLE = PAGES_DETAIL_CACHEABLE | {
    "type",
    "order",
    "limit",
    "offset",
    "child_of",
    "descendant_of",
    "ancestor_of",
}
PAGES_INTEGERS = frozenset(["offset", "limit", "child_of", "descendant_of", "ancestor_of"])


def api_cache() -> BaseCache:
    return caches[API_CACHE]


@dataclass(frozen=True)
class CanonicalQuery:
    """A request's query as its endpoint reads it, and whether the answer may be cached."""

    params: dict
    cacheable: bool

    @property
    def query_string(self) -> str:
        query = QueryDict(mutable=True)
        for name, value in self.params.items():
            query[name] = value
        return query.urlencode()


def as_int(value: str | int | None) -> int | None:
    """What Python's int() reads in `value`, as DRF and Wagtail read numbers; else None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def claims_query(
    params: Mapping[str, str], detail: bool, paginator: "PageNumberPagination"
) -> CanonicalQuery:
    """/api/claims/: a detail reads no parameter; the list reads only `page` and
    `page_size` (DRF's page-number pagination), and ignores the rest. Its answers are
    bounded (a page past the last is a 404), so all may be cached."""
    if detail:
        return CanonicalQuery({}, cacheable=True)
    canonical = {}
    page = (params.get("page") or "").strip()
    number = as_int(page)
    if number is not None and number > 0:
        page = str(number)
    if page and page != "1":
        canonical["page"] = page
    size = as_int(params.get(paginator.page_size_query_param))
    # DRF falls back to the default size for a size it cannot use, and caps the rest.
    if size is not None and size > 0:
        size = min(size, paginator.max_page_size)
        if size != paginator.page_size:
            canonical[paginator.page_size_query_param] = str(size)
    return CanonicalQuery(dict(sorted(canonical.items())), cacheable=True)


def default_pages_limit() -> int:
    limit_max = settings.WAGTAILAPI_LIMIT_MAX
    return 20 if not limit_max else min(20, limit_max)


def read_by_nobody(name: str, value: str | None) -> bool:
    """jQuery's cache-buster, whatever its value, and the one format the API renders."""
    return name == "_" or (name == "format" and value == "json")


def pages_query(params: Mapping[str, str], detail: bool) -> CanonicalQuery:
    """/api/v2/pages/: Wagtail reads the last value of each parameter, and refuses those it
    does not know or ignores them (a detail does), so they are kept, and their answers not
    cached; nor are a search's or a random order's. A search is read as its words
    (explainers.query_params.clean_search)."""
    cacheable_params = PAGES_DETAIL_CACHEABLE if detail else PAGES_LISTING_CACHEABLE
    # The values that mean the same as leaving the parameter out.
    defaults = {"offset": 0, "limit": default_pages_limit()}
    canonical, cacheable = {}, True
    for name in sorted(params):
        value = params.get(name)
        if read_by_nobody(name, value):
            continue
        if name == "search":
            value = clean_search(value)
        number = as_int(value) if name in PAGES_INTEGERS else None
        if number is not None and number >= 0:
            if number == defaults.get(name):
                continue
            value = str(number)
        if name not in cacheable_params or (name == "order" and value.strip() == "random"):
            cacheable = False
        canonical[name] = value
    return CanonicalQuery(canonical, cacheable)


def answer_canonical(request: HttpRequest, canonical: CanonicalQuery) -> None:
    """Make the request ask exactly its canonical query, for the view and the links it
    builds from the request's URL."""
    request.GET = QueryDict(canonical.query_string)
    request.META["QUERY_STRING"] = canonical.query_string

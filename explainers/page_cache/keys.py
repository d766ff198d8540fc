"""Surrogate keys: names for what a reader's response shows, attached to the request while
it is answered, and sent with the response (the `xkey` header Varnish's xkey module reads).

A response showing an explainer carries `page-<id>`, each claim it cites `claim-<id>`, each
source `source-<id>`, its related-stories widget `related-<id>` and `page-<id>` of each
story in it; listings carry `index` or `tag-<slug>`; the feeds `feeds`, the corrections
`corrections`, the sitemap `sitemap`, robots.txt `robots`, the read API `api`."""

import functools
from collections.abc import Iterable

from django.http import HttpRequest

INDEX = "index"
FEEDS = "feeds"
CORRECTIONS = "corrections"
SITEMAP = "sitemap"
ROBOTS = "robots"
API = "api"

# What the origin cache and Varnish read: a space-separated list, as xkey expects.
HEADER = "xkey"


def page_key(page_id: int) -> str:
    return f"page-{page_id}"


def claim_key(claim_id: int) -> str:
    return f"claim-{claim_id}"


def source_key(source_id: int) -> str:
    return f"source-{source_id}"


def related_key(page_id: int) -> str:
    return f"related-{page_id}"


def tag_key(slug: str) -> str:
    return f"tag-{slug}"


def add_keys(request: HttpRequest | None, keys: Iterable[str]) -> None:
    """Label the response being made for `request` with `keys` (nothing without a request,
    e.g. a page rendered by a command)."""
    if request is None:
        return
    if not hasattr(request, "surrogate_keys"):
        request.surrogate_keys = set()
    request.surrogate_keys.update(keys)


def refuse_caching(request: HttpRequest) -> None:
    """Keep the response made for `request` out of every shared cache (a private page)."""
    request.page_cache_refused = True


def edge_only(request: HttpRequest) -> None:
    """Label the response for shared caches at the edge, but keep it out of the origin store:
    for the read API, which has an origin cache of its own (explainers.api)."""
    request.page_cache_edge_only = True


def kept_at_origin(request: HttpRequest) -> bool:
    return not getattr(request, "page_cache_edge_only", False)


def request_keys(request: HttpRequest) -> set[str]:
    """The keys the response made for `request` was labelled with; none if it may not be
    kept."""
    if getattr(request, "page_cache_refused", False):
        return set()
    return set(getattr(request, "surrogate_keys", ()))


def with_keys(*keys: str):
    """A view decorator: the view's responses carry `keys`."""

    def decorate(view):
        @functools.wraps(view)
        def view_with_keys(request, *args, **kwargs):
            add_keys(request, keys)
            return view(request, *args, **kwargs)

        return view_with_keys

    return decorate

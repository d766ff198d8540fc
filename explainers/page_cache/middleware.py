"""The whole-response cache in front of the site, and the Cache-Control every answer gets.

An anonymous reader's GET or HEAD (no session, messages or Authorization) is answered from
the origin store (unless PAGE_CACHE_SECONDS is 0) when it holds a response no purge has
touched since (store.py), without reaching the session, the database or a view, so without
a transaction. Otherwise the view answers; its response is kept, and marked public for
shared caches, only if the view labelled it with surrogate keys (keys.py), it is a 200, it
sets no cookie, it varies on nothing but Cookie and Accept-Encoding, nobody refused it
(a private page), and its view read every reader parameter of the query (query.py): the
store keys on those alone, so a made-up query string is the same page. Shared responses
get a strong ETag and a Last-Modified, and conditional requests a 304.

Admin pages, previews and every answer to a logged-in user are `private, no-store`.
"""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    get_max_age,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe

from explainers.page_cache import store
from explainers.page_cache.keys import HEADER, kept_at_origin, request_keys
from explainers.page_cache.query import unread

SHAREABLE_METHODS = ("GET", "HEAD")
SHAREABLE_VARY = {"cookie", "accept-encoding"}
# Whether the origin store answered ("hit") or kept the answer ("miss").
OUTCOME = "X-Page-Cache"


def bypass_cookies() -> tuple[str, ...]:
    """Cookies whose holder may be shown something of their own: a session (a login, a page
    password) or messages waiting to be shown."""
    return (settings.SESSION_COOKIE_NAME, "messages")


def is_admin_path(path: str) -> bool:
    return path.startswith(settings.PAGE_CACHE_PRIVATE_PATHS)


def may_share(request: HttpRequest) -> bool:
    """Whether the answer to this request may come from, or go into, a shared cache."""
    return (
        request.method in SHAREABLE_METHODS
        and not is_admin_path(request.path)
        and "HTTP_AUTHORIZATION" not in request.META
        and not any(name in request.COOKIES for name in bypass_cookies())
    )


def shareable(response: HttpResponse) -> bool:
    """Whether a response made for an anonymous reader is the same for every reader."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control:
        return False
    vary = {field.strip().lower() for field in cc_delim_re.split(response.get("Vary", ""))}
    return vary - {""} <= SHAREABLE_VARY


def label(response: HttpResponse, keys: set[str], began_at: float) -> None:
    """The headers of a response every reader may share: its surrogate keys, how long
    browsers and shared caches keep it, a strong ETag and when it was made."""
    response[HEADER] = " ".join(sorted(keys))
    # A view that chose how long browsers keep its answer (the API) keeps its choice.
    max_age = get_max_age(response)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_BROWSER_SECONDS if max_age is None else max_age,
        s_maxage=settings.PAGE_CACHE_SHARED_SECONDS,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["Last-Modified"] = http_date(int(began_at))


def keep_private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Admin pages, previews and answers to a logged-in user are kept by nobody."""
    user = getattr(request, "user", None)
    if (
        is_admin_path(request.path)
        or getattr(request, "is_preview", False)
        or (user is not None and user.is_authenticated)
    ):
        patch_cache_control(response, private=True, no_store=True)
        response.headers.pop(HEADER, None)
    return response


def answer(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The kept response, or 304 if the reader's copy is the same."""
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=last_modified and parse_http_date_safe(last_modified),
        response=response,
    )


class ReaderPageCacheMiddleware:
    """Serves anonymous readers from the origin store and keeps what they may share."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_share(request):
            return keep_private(request, self.get_response(request))
        storing = bool(settings.PAGE_CACHE_SECONDS)
        try:
            kept = store.fetch(request) if storing else None
        except DisallowedHost:
            return self.get_response(request)
        if kept is not None:
            response = kept.response()
            response[OUTCOME] = "hit"
            return answer(request, response)
        began_at = time.time()
        response = self.get_response(request)
        keys = request_keys(request)
        # The API keys its own answers on what it reads (explainers.api_cache).
        if kept_at_origin(request) and unread(request):
            keys = set()
        if not keys or not shareable(response):
            response.headers.pop(HEADER, None)
            return keep_private(request, response)
        label(response, keys, began_at)
        if storing and kept_at_origin(request):
            store.keep(request, response, keys, began_at)
            response[OUTCOME] = "miss"
        return answer(request, response)

"""Which query parameters a reader's response depends on.

The page cache keys a request on its reader parameters alone (explainers.query_params
READER_PARAMS, in canonical form). A view declares which of them it reads; an answer to a
request carrying one its view did not read (`?page=2` on an explainer) is kept by no cache,
so no made-up query string can add copies of a page. A listing asked for a page number it
did not show (past the last) is not kept either: it shows the last page, kept once under
its own number.
"""

import functools

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from explainers.page_cache.keys import refuse_caching
from explainers.query_params import reader_query


def reads(request: HttpRequest, *names: str) -> None:
    """The response being made for `request` depends on the query parameters `names`."""
    if not hasattr(request, "page_cache_reads"):
        request.page_cache_reads = set()
    request.page_cache_reads.update(names)


def reading(*names: str):
    """A view decorator: the view's responses depend on the query parameters `names`."""

    def decorate(view):
        @functools.wraps(view)
        def view_reading(request, *args, **kwargs):
            reads(request, *names)
            return view(request, *args, **kwargs)

        return view_reading

    return decorate


def unread(request: HttpRequest) -> set[str]:
    """The reader parameters of the request's query that its view did not read."""
    return set(reader_query(request.GET)) - getattr(request, "page_cache_reads", set())


def listing_page(request: HttpRequest, paginator: Paginator) -> Page:
    """The page of a listing the reader asked for (`page`), as Paginator.get_page reads it.
    An answer showing another page than the one asked is kept by no cache."""
    reads(request, "page")
    asked = reader_query(request.GET).get("page", "1")
    page = paginator.get_page(request.GET.get("page"))
    if str(page.number) != asked:
        refuse_caching(request)
    return page

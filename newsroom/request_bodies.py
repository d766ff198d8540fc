"""How large a request body each path may send, refused (413) before anything reads it.

Readers' paths take no body at all: a reader's page, a search or a feed is asked with a GET,
so a body there (a POST to /search/, a GET carrying one) is refused unread, whatever its
size. Only the admin and the small forms under /_util/ (the login, page passwords) and
Wagtail's document-password form take one, each up to its budget (`body_budgets`). There, a
body of unknown length (chunked) is refused with 411, as Django reads only what
Content-Length announces; elsewhere with 413, as any body is. Varnish enforces the same
budgets at the edge (deploy/varnish/default.vcl, held to them by
tests/security/test_request_bodies.py), and buffers a body whole before gunicorn sees it,
so a slow upload holds a Varnish thread, not one of gunicorn's few workers.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOO_LARGE = 413
LENGTH_REQUIRED = 411
# The import form's other fields (its URLs) and the multipart framing around its files.
IMPORT_FORM_MARGIN = 1024 * 1024


def import_allowance() -> int:
    """The largest body the admin's Import sources page takes: as many files as it imports
    at once, each as large as it imports, and the rest of its form."""
    return (
        settings.NEWSROOM_IMPORT_MAX_FILES * settings.NEWSROOM_IMPORT_MAX_BYTES + IMPORT_FORM_MARGIN
    )


def body_budgets() -> tuple[tuple[str, int], ...]:
    """The path prefixes that take a body, and the most bytes each takes; every other path
    takes none."""
    return (
        ("/admin/", import_allowance()),
        ("/_util/", settings.NEWSROOM_FORM_MAX_BODY_BYTES),
        ("/documents/authenticate_with_password/", settings.NEWSROOM_FORM_MAX_BODY_BYTES),
    )


def body_budget(path: str) -> int:
    return next((budget for prefix, budget in body_budgets() if path.startswith(prefix)), 0)


def announced_length(request: HttpRequest) -> int | None:
    """The body's length as Content-Length announces it; None if it does not (chunked)."""
    if "HTTP_TRANSFER_ENCODING" in request.META:
        return None
    length = request.META.get("CONTENT_LENGTH") or "0"
    return int(length) if length.isascii() and length.isdigit() else None


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The answer to a body this path does not take, or None if it takes it."""
    budget = body_budget(request.path_info)
    length = announced_length(request)
    if length is None and budget:
        return HttpResponse(
            "A request body here needs a Content-Length.\n",
            status=LENGTH_REQUIRED,
            content_type="text/plain",
        )
    if length is None or length > budget:
        message = (
            f"At most {budget} bytes of request body here.\n"
            if budget
            else ("This address takes no request body.\n")
        )
        return HttpResponse(message, status=TOO_LARGE, content_type="text/plain")
    return None


class RequestBodyBudgetMiddleware:
    """Refuses, unread, a request body larger than its path's budget."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return refusal(request) or self.get_response(request)

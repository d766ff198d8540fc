"""One transaction per write request, and a "try again" page when the database stays busy.

`WriteTransactionMiddleware` wraps only requests that may write (POST, PUT, PATCH,
DELETE), rolled back whole when they fail, as ATOMIC_REQUESTS would; readers' GETs open no
transaction. On SQLite that matters most: it takes its write lock when a transaction
begins (IMMEDIATE, see newsroom/settings/base.py), so wrapping a reader's GET in one would
make it wait for, and hold up, every save; reads run in autocommit and, in WAL mode, never
wait for a writer. On PostgreSQL a reader's GET costs no BEGIN and COMMIT. A save that
still finds the database locked once the busy timeout has passed gets a 503 saying nothing
was saved and to try again, never a 500. (Where a database still sets ATOMIC_REQUESTS,
Django wraps its requests itself and this middleware leaves them alone.)
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
BUSY_STATUS = 503
# Seconds a browser or client is told to wait before sending the save again.
RETRY_AFTER = 5


def is_database_locked(error: BaseException) -> bool:
    """Whether `error` is SQLite's "database is locked" (or "busy"): a save that could not
    get the write lock, not a fault in the data."""
    if not isinstance(error, OperationalError):
        return False
    message = str(error).lower()
    return "database is locked" in message or "database is busy" in message


def busy_response(request: HttpRequest) -> HttpResponse:
    """The page a save gets when another one held the database too long."""
    response = render(request, "database_busy.html", status=BUSY_STATUS)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def wraps_its_own_requests() -> bool:
    """Whether the database wraps each request itself (ATOMIC_REQUESTS, as on PostgreSQL)."""
    return connections[DEFAULT_DB_ALIAS].settings_dict.get("ATOMIC_REQUESTS", False)


class WriteTransactionMiddleware:
    """Runs each write request in one transaction (unless ATOMIC_REQUESTS does), and answers
    "database is locked" with the busy page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or wraps_its_own_requests():
            return self.get_response(request)
        try:
            with transaction.atomic():
                request.newsroom_write_transaction = True
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
        except OperationalError as error:
            if not is_database_locked(error):
                raise
            return busy_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view that raised leaves nothing of its request saved; a locked database gets the
        busy page rather than a 500."""
        if getattr(request, "newsroom_write_transaction", False):
            transaction.set_rollback(True)
        if is_database_locked(exception):
            return busy_response(request)
        return None

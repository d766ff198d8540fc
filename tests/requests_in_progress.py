"""How many requests the test process is answering (the live server's threads included), so
a browser test's teardown can wait for them before the database is flushed.

A page's scripts (Wagtail's editing-session pings, a chooser's search) may still be asking
the live server for something when a test ends, even after its browser closed. On
PostgreSQL the request's transaction then holds a read lock while the flush's TRUNCATE
waits for it, and the next read deadlocks the two: the flush fails. The test settings put
this middleware first, and tests/browser/conftest.py waits on it."""

import threading

_idle = threading.Condition()
_in_progress = 0


class CountRequestsInProgress:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _in_progress
        with _idle:
            _in_progress += 1
        try:
            return self.get_response(request)
        finally:
            with _idle:
                _in_progress -= 1
                _idle.notify_all()


def wait_until_idle(timeout: float = 15) -> bool:
    """Block until no request is being answered (True), or `timeout` seconds (False)."""
    with _idle:
        return _idle.wait_for(lambda: _in_progress == 0, timeout=timeout)

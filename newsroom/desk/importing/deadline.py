"""One wall-clock deadline for a whole fetch: name lookup, connect, TLS, headers, body and
every redirect hop together.

httpx bounds each socket operation (connect, each read), never the whole exchange, so a
server sending a byte just inside the read timeout holds a fetch for as long as it likes.
A watchdog timer shuts down, at the deadline, every socket the fetch opened (each one
learnt through httpx's documented `trace` extension as it connects): a read blocked on it
returns at once and the fetch ends. Connections are never kept alive between fetches
(fetching.fetch_all), so every socket a fetch uses is one it opened.
"""

import contextlib
import socket
import threading
import time


class DeadlinePassed(Exception):
    """The fetch took longer than its deadline."""


class Deadline:
    """The deadline of one fetch, `seconds` from now; close() it when the fetch ends."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.passed = False
        self._sockets = []
        self._closed = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    @property
    def over(self) -> bool:
        """Whether the deadline has come: a read timed out, once its timeout was cut to the
        time left, timed out on the deadline."""
        return self.passed or time.monotonic() >= self.ends

    def remaining(self) -> float:
        """Seconds left; DeadlinePassed when none are."""
        left = self.ends - time.monotonic()
        if left <= 0 or self.passed:
            raise DeadlinePassed
        return left

    def trace(self, event: str, info: dict) -> None:
        """httpx's `trace` extension: keeps each socket the fetch connects."""
        if event != "connection.connect_tcp.complete":
            return
        sock = info["return_value"].get_extra_info("socket")
        with self._lock:
            self._sockets.append(sock)
            late = self.passed
        if late:
            _shut(sock)

    def resolve(self, host: str, port: int) -> list:
        """socket.getaddrinfo within the time left: the lookup runs in a thread of its own,
        left to finish by itself if the deadline comes first."""
        answers = {}

        def look_up():
            try:
                answers["ok"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except Exception as error:  # handed to the fetching thread below
                answers["error"] = error

        lookup = threading.Thread(target=look_up, daemon=True)
        lookup.start()
        lookup.join(self.remaining())
        if lookup.is_alive():
            raise DeadlinePassed
        if "error" in answers:
            raise answers["error"]
        return answers["ok"]

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._timer.cancel()

    def _expire(self):
        with self._lock:
            if self._closed:
                return
            self.passed = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock):
    # Shutdown, not close: the fetching thread still owns the socket and closes it itself;
    # shutdown wakes its blocked read. The socket may be closed already.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)

"""The edge for real (Varnish with deploy/varnish/default.vcl in front of gunicorn's two sync
workers, on PostgreSQL): bodies are refused or buffered there, slow uploads leave gunicorn
free for readers, made-up query strings are one object, and password guesses are counted
per client address, which no client can forge."""

import re
import socket
import threading
import time
import uuid

import pytest
import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from wagtail.models import PageViewRestriction

from newsroom.throttling.models import FailedGuesses
from tests.explainers import test_varnish
from tests.factories import explainer_page

pytestmark = [
    pytest.mark.postgres,
    # Skipped before the database is set up: gunicorn needs one another process can open.
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="gunicorn needs a database another process can open (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
MIB = 1024 * 1024
start_edge = test_varnish.start_edge
LIMIT = settings.AXES_FAILURE_LIMIT


def address(url):
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def raw_request(url, head, body_start=b"", source="127.0.0.1"):
    """Send `head` and the start of a body, and read the status line the server answers
    with, without sending the rest of the body; returns it and the seconds it took."""
    started = time.monotonic()
    with socket.create_connection(address(url), timeout=10, source_address=(source, 0)) as raw:
        raw.sendall(head.encode() + body_start)
        status = raw.recv(200).split(b"\r\n")[0].decode()
    return status, time.monotonic() - started


def post_head(path, length):
    return f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {length}\r\n\r\n"


def test_oversized_and_unwanted_bodies_are_refused_at_the_edge_at_once(start_edge):
    edge = start_edge()
    # 30 MB posted to a reader's path: no body is taken there.
    status, took = raw_request(edge.url, post_head("/search/", 30 * MIB), b"x" * MIB)
    assert status == "HTTP/1.1 413 This address takes no request body"
    assert took < 1
    # A GET carrying a body.
    get = "GET /search/?q=x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n"
    assert raw_request(edge.url, get, b"hello")[0].startswith("HTTP/1.1 413")
    # Past the budgets where bodies are taken: one byte past each.
    for path, budget in (("/admin/login/", 101 * MIB), ("/_util/login/", 64 * 1024)):
        status, took = raw_request(edge.url, post_head(path, budget + 1), b"x" * 1024)
        assert status == "HTTP/1.1 413 Request body too large", path
        assert took < 1


def test_a_body_at_the_budget_reaches_the_form(start_edge):
    edge = start_edge()
    body = b"username=x&password=" + b"y" * (64 * 1024 - 20)
    assert len(body) == 64 * 1024
    response = requests.post(
        edge.url + "/_util/login/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert response.status_code == 403  # Django's CSRF check: the form read it


def slow_upload(url, stop, path="/_util/login/"):
    """A client sending a form's body one byte a second until `stop` is set."""
    with socket.create_connection(address(url), timeout=30) as raw:
        raw.sendall(post_head(path, 1000).encode())
        while not stop.wait(1):
            raw.sendall(b"x")


def test_slow_uploads_do_not_hold_gunicorns_workers_from_readers(start_edge):
    edge = start_edge()
    page = explainer_page("Are they talking?")
    stop = threading.Event()
    uploads = [threading.Thread(target=slow_upload, args=(edge.url, stop)) for _ in range(2)]
    for upload in uploads:
        upload.start()
    try:
        time.sleep(1)
        for number in range(6):
            for path in (f"/search/?q=talk{number}", f"{page.url}?utm_x={number}"):
                started = time.monotonic()
                response = edge.get(path)
                assert response.status_code == 200, path
                assert time.monotonic() - started < 2, path
            time.sleep(0.5)
    finally:
        stop.set()
        for upload in uploads:
            upload.join()


def test_made_up_query_strings_are_one_object_at_the_edge(start_edge):
    edge = start_edge()
    page = explainer_page("Are they talking?")
    assert edge.get(page.url).headers["X-Cache"] == "miss"
    for _ in range(50):
        response = edge.get(f"{page.url}?utm_x={uuid.uuid4()}&utm_y=1")
        assert response.headers["X-Cache"] == "hit"


class FromAddress(HTTPAdapter):
    """Connections from one loopback address: one client."""

    def __init__(self, source):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client_at(source):
    session = requests.Session()
    session.mount("http://", FromAddress(source))
    return session


def guess(session, url, page, password, **headers):
    form = session.get(url + page.url, timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    action = re.search(r'action="(/_util/authenticate_with_password/[^"]+)"', form).group(1)
    data = {"csrfmiddlewaretoken": token, "password": password, "return_url": page.url}
    return session.post(url + action, data=data, headers=headers, timeout=10, allow_redirects=False)


def test_guesses_are_counted_per_client_and_no_client_can_forge_whose(start_edge):
    edge = start_edge()
    page = explainer_page("Internal memo")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    guesser, reader = client_at("127.0.0.2"), client_at("127.0.0.3")
    for number in range(LIMIT):
        # Half of them claiming to be the reader.
        forged = {"X-Forwarded-For": "127.0.0.3"} if number % 2 else {}
        response = guess(guesser, edge.url, page, "wrong", **forged)
        assert response.status_code == (429 if number == LIMIT - 1 else 200)
    assert guess(guesser, edge.url, page, "s3cret").status_code == 429
    assert list(FailedGuesses.objects.values_list("address", "failures")) == [("127.0.0.2", LIMIT)]
    response = guess(reader, edge.url, page, "s3cret")
    assert response.status_code == 302
    assert "Internal memo" in reader.get(edge.url + page.url, timeout=10).text
    # Straight to gunicorn, from an address it does not trust: the header is ignored too.
    direct = client_at("127.0.0.4")
    guess(direct, edge.origin, page, "wrong", **{"X-Forwarded-For": "127.0.0.3"})
    assert FailedGuesses.objects.filter(address="127.0.0.4").get().failures == 1
    assert not FailedGuesses.objects.filter(address="127.0.0.3").exists()

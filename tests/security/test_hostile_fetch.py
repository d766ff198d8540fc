"""Fetching from a site that turned hostile (tests/security/hostile_web.py, on loopback):
compression bombs, stacked and unknown codings, an endless body, headers and bodies that
drip, charsets naming codecs that are no text encoding. Each ends within its budget with one
clear line for that URL, writes nothing for it, and leaves the other URLs of the import to
import. Budgets are tested at the figure and just past it."""

import gzip
import time
import zlib

import pytest

from newsroom.desk.importing import fetching
from newsroom.desk.importing.fetching import FetchedPage, FetchRefused, fetch_all
from newsroom.desk.importing.runs import run_import, start_import
from newsroom.desk.models import ImportRun, Outlet, Source, SourceCapture
from tests.security.hostile_web import HOSTILE_CHARSETS, STACKED, UNDECODED
from tests.web_pages import GRAIN_PARAGRAPHS

pytestmark = pytest.mark.django_db

TOO_LARGE_INFLATED = "too large: over the 5.0 MB limit once decompressed"
TOO_SLOW = "took longer than 3 s in all (connecting, redirects, headers and body together)"
STACKED_CODINGS = {
    "/bomb/gzip-gzip": "gzip, gzip",
    "/bomb/gzip-deflate": "gzip, deflate",
    "/bomb/deflate-gzip": "deflate, gzip",
    "/bomb/gzip-identity-gzip": "gzip, gzip",
    "/bomb/gzip-br": "gzip, br",
    "/bomb/two-headers": "gzip, gzip",
}
HOSTILE_ANSWERS = [
    ("/bomb/gzip", TOO_LARGE_INFLATED),
    ("/bomb/x-gzip", TOO_LARGE_INFLATED),
    ("/bomb/deflate", TOO_LARGE_INFLATED),
    ("/bomb/raw-deflate", TOO_LARGE_INFLATED),
    *[
        (
            path,
            f"refused: compressed 2 times over ({codings}); a page compressed more than "
            "once is not read",
        )
        for path, codings in STACKED_CODINGS.items()
    ],
    *[
        (
            f"/bomb/{coding}",
            f"refused: compressed as “{coding}”, which the newsroom does "
            "not decompress (only gzip and deflate)",
        )
        for coding in UNDECODED
    ],
    (
        "/bomb/not-gzip",
        "could not be decompressed: not valid gzip (Error -3 while decompressing data: "
        "incorrect header check)",
    ),
    ("/endless", "too large: over the 5.0 MB limit"),
    ("/drip/headers", TOO_SLOW),
    ("/drip/body", TOO_SLOW),
    ("/drip/body-for/6", TOO_SLOW),
    ("/drip/redirect/1", TOO_SLOW),
]
# Wall-clock bound of each answer: the 3 s deadline and a margin for a busy machine; bombs
# and refusals come far sooner.
BUDGET = {"/drip": 3.0 + 1.5}
QUICK = 2.5


def test_the_table_covers_every_hostile_shape_served():
    assert set(STACKED) | {"/bomb/two-headers"} == set(STACKED_CODINGS)
    assert {path for path, _ in HOSTILE_ANSWERS} >= {f"/bomb/{coding}" for coding in UNDECODED}


@pytest.mark.parametrize(
    ("path", "reason"), HOSTILE_ANSWERS, ids=[path for path, _ in HOSTILE_ANSWERS]
)
def test_each_hostile_answer_is_one_clear_line_within_its_budget(
    run_import, hostile_site, path, reason
):
    url = f"{hostile_site.url}{path}"
    started = time.monotonic()
    status, out, err = run_import(url)
    elapsed = time.monotonic() - started

    assert status == 1
    assert err.splitlines()[0] == f"{url}: failed: {reason}"
    budget = BUDGET["/drip"] if path.startswith("/drip") else QUICK
    assert elapsed < budget, f"{path} took {elapsed:.1f} s"
    if reason == TOO_SLOW:
        assert elapsed > 2.9, "the deadline is the whole exchange's, not a read's"
    assert not Source.objects.exists()
    assert not SourceCapture.objects.exists()
    assert not Outlet.objects.exists()


def test_the_fetcher_asks_for_one_coding_at_most(run_import, hostile_site):
    seen = {}

    def record(handler):
        seen.update(handler.headers)
        handler.wfile.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")

    hostile_site.responders["/headers"] = record
    run_import(f"{hostile_site.url}/headers")

    assert seen["Accept-Encoding"] == "gzip, deflate;q=0.5, identity;q=0.1"


@pytest.mark.parametrize("path", ["/gzipped", "/deflated", "/drip/body-for/1"])
def test_a_page_compressed_once_or_sent_slowly_within_the_deadline_imports(
    run_import, hostile_site, path
):
    status, out, err = run_import(f"{hostile_site.url}{path}")

    assert (status, err) == (0, "")
    source = Source.objects.get()
    for paragraph in GRAIN_PARAGRAPHS:
        assert paragraph in source.body
    served = grain_bytes()
    assert bytes(source.captures.get().content) == served, "the copy kept is the page inflated"


def grain_bytes():
    from tests.security.hostile_web import grain_page

    return grain_page().encode()


def fetch_one(url):
    [result] = fetch_all([url])
    return result


# Budgets at their figure and one past it, with a 100,000-byte cap so pages stay small.
CAP = 100_000


def served_at(site, path, size, coding=None, announced=True):
    """A text page of exactly `size` bytes (once inflated), under `coding`."""
    body = b"<p>" + b"a" * (size - 3)
    headers = {}
    if coding == "gzip":
        body, headers = gzip.compress(body), {"Content-Encoding": "gzip"}
    elif coding == "deflate":
        body, headers = zlib.compress(body), {"Content-Encoding": "deflate"}
    if not announced:
        headers["Connection"] = "close"  # no Content-Length: the reader counts alone
    site.page(path, body, content_type="text/html; charset=utf-8", **headers)
    return f"{site.url}{path}"


@pytest.mark.parametrize("announced", [True, False], ids=["with a length", "without"])
def test_a_page_of_exactly_the_cap_is_read_and_one_byte_more_is_not(
    hostile_site, settings, announced
):
    settings.NEWSROOM_IMPORT_MAX_BYTES = CAP

    at = fetch_one(served_at(hostile_site, "/at", CAP, announced=announced))
    past = fetch_one(served_at(hostile_site, "/past", CAP + 1, announced=announced))

    assert isinstance(at, FetchedPage) and len(at.content) == CAP
    assert isinstance(past, FetchRefused)
    assert str(past) == "too large: over the 100000 bytes limit"


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_a_page_inflating_to_exactly_the_cap_is_read_and_one_byte_more_is_not(
    hostile_site, settings, coding
):
    settings.NEWSROOM_IMPORT_MAX_BYTES = CAP

    at = fetch_one(served_at(hostile_site, "/at", CAP, coding))
    past = fetch_one(served_at(hostile_site, "/past", CAP + 1, coding))

    assert isinstance(at, FetchedPage) and at.content == b"<p>" + b"a" * (CAP - 3)
    assert isinstance(past, FetchRefused)
    assert str(past) == "too large: over the 100000 bytes limit once decompressed"


def test_a_page_arriving_within_the_deadline_is_read_and_one_arriving_after_is_not(
    hostile_site,
):
    """Deadline 3 s: a body dripped over 2 s is read; one dripped over 4 s ends at 3 s."""
    within = fetch_one(f"{hostile_site.url}/drip/body-for/2")
    assert isinstance(within, FetchedPage), within
    assert within.content == grain_bytes()

    started = time.monotonic()
    past = fetch_one(f"{hostile_site.url}/drip/body-for/4")
    elapsed = time.monotonic() - started
    assert str(past) == TOO_SLOW
    assert 2.9 < elapsed < 4.0


def test_the_deadline_is_one_for_every_redirect_hop(hostile_site, settings):
    """Five hops of 0.8 s each: none past the 1 s read timeout, together past 3 s."""
    settings.NEWSROOM_FETCH_DEADLINE = 6.0
    assert isinstance(fetch_one(f"{hostile_site.url}/drip/redirect/1"), FetchedPage)

    settings.NEWSROOM_FETCH_DEADLINE = 3.0
    assert str(fetch_one(f"{hostile_site.url}/drip/redirect/1")) == TOO_SLOW


CHARSET_PLACES = ["header", "meta", "http-equiv"]


def test_a_hostile_charset_is_ignored_and_the_page_decoded_by_sniffing(hostile_site):
    paths = [f"/charset/{place}/{label}" for label in HOSTILE_CHARSETS for place in CHARSET_PLACES]

    pages = fetch_all(f"{hostile_site.url}{path}" for path in paths)

    for path, page in zip(paths, pages, strict=True):
        assert isinstance(page, FetchedPage), (path, page)
        text = page.text()
        assert text.encoding == "utf-8", path
        assert GRAIN_PARAGRAPHS[0] in text.text, path


@pytest.mark.parametrize(
    "path", ["/charset/header/rot13", "/charset/meta/zlib", "/charset/http-equiv/base64"]
)
def test_a_page_with_a_hostile_charset_imports(run_import, hostile_site, path):
    status, out, err = run_import(f"{hostile_site.url}{path}")

    assert (status, err) == (0, "")
    assert GRAIN_PARAGRAPHS[1] in Source.objects.get().body


def admin_import(editor, urls):
    """An import as the admin's Import sources page runs it."""
    run = start_import(editor, [], urls)
    run_import(run.pk)
    return {item.name: (item.outcome, item.message) for item in run.items.all()}


@pytest.mark.parametrize("hostile", ["/bomb/gzip-gzip", "/bomb/gzip", "/drip/headers"])
def test_an_admin_import_of_three_urls_with_one_hostile_imports_the_other_two(
    hostile_site, editor, hostile
):
    good = [f"{hostile_site.url}/news/grain-exports", f"{hostile_site.url}/news/cereales"]
    bad = f"{hostile_site.url}{hostile}"

    outcomes = admin_import(editor, [good[0], bad, good[1]])

    assert outcomes[bad][0] == "failed"
    assert outcomes[bad][1] == dict(HOSTILE_ANSWERS)[hostile]
    assert [outcomes[url][0] for url in good] == ["imported", "imported"]
    assert set(Source.objects.values_list("url", flat=True)) == set(good)
    assert ImportRun.objects.get().summary.startswith(
        "2 imported, 0 updated, 0 unchanged, 1 failed"
    )


def test_three_urls_one_declaring_rot13_all_import(hostile_site, editor):
    urls = [
        f"{hostile_site.url}/news/grain-exports",
        f"{hostile_site.url}/charset/header/rot13",
        f"{hostile_site.url}/news/cereales",
    ]
    outcomes = admin_import(editor, urls)

    assert [outcomes[url][0] for url in urls] == ["imported"] * 3


@pytest.mark.parametrize(
    ("target", "attribute", "message"),
    [
        (fetching, "_follow", "could not be fetched: RuntimeError: the fetcher broke"),
        (fetching.FetchedPage, "text", "could not be read: RuntimeError: the fetcher broke"),
        ("importer", "page_facts", "could not be read: RuntimeError: the fetcher broke"),
        ("source_capture", "from_page", "could not be saved: RuntimeError: the fetcher broke"),
    ],
    ids=["fetching", "decoding", "extracting", "saving"],
)
def test_any_error_on_one_url_fails_that_url_alone(
    hostile_site, editor, monkeypatch, target, attribute, message
):
    """Whatever goes wrong with one page, even a bug, is that page's line."""
    from newsroom.desk.importing import importer

    target = {"importer": importer, "source_capture": SourceCapture}.get(target, target)
    original = getattr(target, attribute)
    bad = f"{hostile_site.url}/news/zerno"

    def broken(*args, **kwargs):
        if any("zerno" in str(getattr(arg, "final_url", arg)) for arg in args):
            raise RuntimeError("the fetcher broke")
        return original(*args, **kwargs)

    if isinstance(target, type) and attribute == "from_page":
        monkeypatch.setattr(target, attribute, staticmethod(broken))
    else:
        monkeypatch.setattr(target, attribute, broken)
    good = [f"{hostile_site.url}/news/grain-exports", f"{hostile_site.url}/news/cereales"]

    outcomes = admin_import(editor, [good[0], bad, good[1]])

    assert outcomes[bad] == ("failed", message)
    assert [outcomes[url][0] for url in good] == ["imported", "imported"]

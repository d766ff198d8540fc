"""Hostile answers for the loopback news site (tests/web_pages.py): what a site that turned
against the newsroom can send a fetcher. Compression bombs (one gzip or deflate coding,
stacked codings, codings the newsroom does not decode), an endless body, headers and a
body that drip a byte or a line at a time, and charsets that name a Python codec which is
no text encoding, in the header and in a <meta> tag.

Every loop here is bounded in count and time, and stops when the fetcher hangs up."""

import functools
import gzip
import time
import zlib

from tests.web_pages import GRAIN_PARAGRAPHS, news_page

GIB = 1024**3
MIB = 1024**2
#: One gzip member of this many zero bytes; a bomb is many of them back to back.
MEMBER = 64 * MIB
#: Seconds between two bytes (or header lines) of a dripping answer: well inside the
#: fetcher's per-read timeout in the tests (1 s), so only the whole-fetch deadline ends it.
DRIP_SECONDS = 0.25
#: How long a dripping answer goes on at most, whoever listens.
DRIP_FOR_AT_MOST = 60.0
REDIRECT_HOPS = 5

# Python codecs that are no text encoding (and text encodings no browser knows): a page
# declaring one is decoded by sniffing, as if it declared nothing.
HOSTILE_CHARSETS = [
    "rot13",
    "rot_13",
    "zlib",
    "zlib_codec",
    "base64",
    "base64_codec",
    "punycode",
    "uu",
    "uu_codec",
    "hex",
    "hex_codec",
    "bz2",
    "bz2_codec",
    "quopri",
    "idna",
    "unicode_escape",
    "raw_unicode_escape",
    "undefined",
    "utf-7",
    "iso-2022-kr",
]


@functools.cache
def zero_member():
    """gzip of MEMBER zero bytes (about 65 KB), built a MiB at a time."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(MIB)
    parts = [compressor.compress(chunk) for _ in range(MEMBER // MIB)]
    return b"".join(parts) + compressor.flush()


@functools.cache
def gzip_bomb(inflated=4 * GIB):
    """A gzip body inflating to `inflated` zero bytes: members back to back, as gzip allows.
    4 GiB is about 4.2 MB on the wire, under the 5 MB cap."""
    return zero_member() * (inflated // MEMBER)


@functools.cache
def stacked_gzip_bomb():
    """`gzip, gzip`: the 4 GiB bomb gzipped again, about 9 KB on the wire."""
    return gzip.compress(gzip_bomb(), 9)


@functools.cache
def raw_deflate_bomb():
    """Raw deflate of MEMBER zero bytes: the gzip member without its header and trailer."""
    return zero_member()[10:-8]


@functools.cache
def zlib_deflate_bomb():
    """Deflate as HTTP means it (zlib-wrapped) of MEMBER zero bytes."""
    adler = 1
    for _ in range(MEMBER // MIB):
        adler = zlib.adler32(bytes(MIB), adler)
    return b"\x78\xda" + raw_deflate_bomb() + adler.to_bytes(4, "big")


def grain_page():
    return news_page("Grain exports reach a record", GRAIN_PARAGRAPHS)


def fill_compression_bombs(site):
    """/bomb/...: one coding inflating past every cap, stacked codings, codings never
    decoded, and a body that is not what its coding says."""
    site.page("/bomb/gzip", gzip_bomb(), **{"Content-Encoding": "gzip"})
    site.page("/bomb/x-gzip", gzip_bomb(), **{"Content-Encoding": "x-gzip"})
    site.page("/bomb/deflate", zlib_deflate_bomb(), **{"Content-Encoding": "deflate"})
    site.page("/bomb/raw-deflate", raw_deflate_bomb(), **{"Content-Encoding": "deflate"})
    for path, coding in STACKED.items():
        site.page(path, stacked_gzip_bomb(), **{"Content-Encoding": coding})
    site.responders["/bomb/two-headers"] = two_coding_headers
    for coding in UNDECODED:
        site.page(f"/bomb/{coding}", stacked_gzip_bomb(), **{"Content-Encoding": coding})
    site.page("/bomb/not-gzip", grain_page(), **{"Content-Encoding": "gzip"})
    site.page("/gzipped", gzip.compress(grain_page().encode()), **{"Content-Encoding": "gzip"})
    site.page("/deflated", zlib.compress(grain_page().encode()), **{"Content-Encoding": "deflate"})


STACKED = {
    "/bomb/gzip-gzip": "gzip, gzip",
    "/bomb/gzip-deflate": "gzip, deflate",
    "/bomb/deflate-gzip": "deflate,gzip",
    "/bomb/gzip-identity-gzip": "gzip, identity, gzip",
    "/bomb/gzip-br": "gzip, br",
}
UNDECODED = ["br", "zstd", "compress", "x-compress", "exi", "bomb"]


def two_coding_headers(handler):
    """Two Content-Encoding headers, each naming gzip: stacked codings all the same."""
    body = stacked_gzip_bomb()
    handler.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        b"Content-Encoding: gzip\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )


def fill_endless_and_dripping(site):
    """/endless streams zeros for ever (until 64 MiB); /drip/... answers a line or a byte
    every DRIP_SECONDS; /drip/body-for/<seconds> drips a whole page over that long;
    /drip/redirect/1 redirects REDIRECT_HOPS - 1 times, each hop 0.8 s late."""
    site.responders["/endless"] = endless_body
    site.responders["/drip/headers"] = dripping_headers
    site.responders["/drip/body"] = dripping_body
    for seconds in (1, 2, 3, 4, 5, 6):
        site.responders[f"/drip/body-for/{seconds}"] = functools.partial(
            page_dripped_over, seconds=seconds
        )
    for hop in range(1, REDIRECT_HOPS + 1):
        site.responders[f"/drip/redirect/{hop}"] = functools.partial(
            slow_redirect, hop=hop, hops=REDIRECT_HOPS
        )


def endless_body(handler):
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
    chunk = b"<p>" + b"a" * (64 * 1024 - 3)
    for _ in range(1024):
        handler.wfile.write(chunk)


def dripping_headers(handler):
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    started = time.monotonic()
    line = 0
    while time.monotonic() - started < DRIP_FOR_AT_MOST:
        time.sleep(DRIP_SECONDS)
        line += 1
        handler.wfile.write(f"X-Drip-{line}: {line}\r\n".encode())


def dripping_body(handler):
    handler.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n"
    )
    started = time.monotonic()
    while time.monotonic() - started < DRIP_FOR_AT_MOST:
        handler.wfile.write(b"a")
        time.sleep(DRIP_SECONDS)


def page_dripped_over(handler, seconds):
    """The grain page, its headers at once, its body in pieces spread over `seconds`."""
    body = grain_page().encode()
    handler.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    pieces = max(1, int(seconds / DRIP_SECONDS))
    size = -(-len(body) // pieces)
    for start in range(0, len(body), size):
        time.sleep(DRIP_SECONDS)
        handler.wfile.write(body[start : start + size])


def fill_hostile_charsets(site):
    """/charset/header/<label> and /charset/meta/<label>: the grain page in UTF-8, declaring
    a hostile charset in its Content-Type header, or in a <meta> tag (both forms)."""
    page = grain_page()
    for label in HOSTILE_CHARSETS:
        site.page(
            f"/charset/header/{label}",
            page.replace('<meta charset="utf-8">', ""),
            content_type=f"text/html; charset={label}",
        )
        site.page(
            f"/charset/meta/{label}",
            page.replace('<meta charset="utf-8">', f'<meta charset="{label}">'),
            content_type="text/html",
        )
        site.page(
            f"/charset/http-equiv/{label}",
            page.replace(
                '<meta charset="utf-8">',
                f'<meta http-equiv="Content-Type" content="text/html; charset={label}">',
            ),
            content_type="text/html",
        )


def fill_hostile_site(site):
    fill_compression_bombs(site)
    fill_endless_and_dripping(site)
    fill_hostile_charsets(site)


def slow_redirect(handler, hop, hops):
    """Hop `hop` of `hops`: each waits a little under the per-read timeout, then redirects
    to the next; the last serves the grain page."""
    time.sleep(0.8)
    if hop < hops:
        handler.wfile.write(
            f"HTTP/1.1 302 Found\r\nLocation: /drip/redirect/{hop + 1}\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
        return
    body = grain_page().encode()
    handler.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )

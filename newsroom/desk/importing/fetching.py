"""Fetching a web page as a source, safely: only public addresses, bounded in time, size,
redirects and concurrency, and only pages that are text.

The guard against server-side request forgery resolves each host itself, refuses any
address that is not public (addresses.py), then connects to the very address it checked, so
a second DNS answer cannot swap it (DNS rebinding). Redirects are followed by hand, each hop
checked the same way before any connection is made.

Every fetch has one wall-clock deadline for the whole exchange (deadline.py), reads at most
NEWSROOM_IMPORT_MAX_BYTES off the wire and at most as much once decompressed, inflating the
body itself (codings.py), and reads a charset only from the labels browsers know
(charsets.py). Anything that goes wrong with one page is that page's refusal, never the
end of the others.
"""

import hashlib
import ipaddress
import re
import socket
import unicodedata
import zlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import httpx
from django.conf import settings
from django.utils import timezone

from newsroom.desk.importing.addresses import refusal
from newsroom.desk.importing.charsets import declared_encoding, decode_as
from newsroom.desk.importing.codings import (
    ACCEPT_ENCODING,
    CodingRefused,
    InflatedTooLarge,
    Inflater,
    content_coding,
)
from newsroom.desk.importing.deadline import Deadline, DeadlinePassed
from newsroom.desk.importing.reading import SourceText, decode, format_size

SCHEMES = ("http", "https")
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECTS = (301, 302, 303, 307, 308)


class FetchRefused(Exception):
    """A URL that cannot become a source; the message says why, for the editor."""


@dataclass(frozen=True)
class FetchedPage:
    """A page as fetched: the captured copy a source keeps."""

    requested_url: str
    final_url: str
    status: int
    content_type: str
    content: bytes
    fetched_at: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def host(self) -> str:
        return httpx.URL(self.final_url).host.removeprefix("www.")

    def text(self) -> SourceText:
        """The page decoded: by the charset its headers declare, else the one its markup
        declares, else as a file is (BOM, UTF-8, then the usual legacy encodings). A label
        no browser knows (rot13, base64, zlib...) declares nothing."""
        declared = declared_encoding(self.content_type, self.content)
        text = decode_as(self.content, declared) if declared else None
        if text is not None and text.strip():
            crlf = "\r" in text
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            bom = text.startswith("\ufeff")
            return SourceText(
                unicodedata.normalize("NFC", text.lstrip("\ufeff")),
                declared.codec_info.name,
                bom,
                crlf,
            )
        return decode(self.content)


@dataclass(frozen=True)
class FetchLimits:
    """How far a fetch may go, from the settings (NEWSROOM_FETCH_*)."""

    timeout: float
    max_bytes: int
    max_redirects: int
    allowed_networks: tuple
    user_agent: str
    #: Seconds for the whole exchange, redirects included (NEWSROOM_FETCH_DEADLINE).
    deadline: float = 20.0

    @classmethod
    def from_settings(cls) -> "FetchLimits":
        return cls(
            timeout=settings.NEWSROOM_FETCH_TIMEOUT,
            max_bytes=settings.NEWSROOM_IMPORT_MAX_BYTES,
            max_redirects=settings.NEWSROOM_FETCH_MAX_REDIRECTS,
            allowed_networks=tuple(
                ipaddress.ip_network(network)
                for network in settings.NEWSROOM_FETCH_ALLOWED_NETWORKS
            ),
            user_agent=(
                f"NewsroomBot/1.0 (+{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/; "
                "fetches pages editors cite)"
            ),
            deadline=settings.NEWSROOM_FETCH_DEADLINE,
        )


def is_web_url(value: str) -> bool:
    return bool(re.match(r"^https?://", value.strip(), re.I))


def checked_address(url: httpx.URL, limits: FetchLimits, deadline: Deadline | None = None) -> str:
    """The address to connect to for `url`: its host resolved (within `deadline`), every
    address it resolves to checked (one bad answer among good ones refuses it all)."""
    if url.scheme not in SCHEMES:
        raise FetchRefused(f"refused: only http and https are fetched, not {url.scheme or '?'}:")
    if not url.host:
        raise FetchRefused("refused: the URL has no host")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        if deadline:
            answers = deadline.resolve(url.host, port)
        else:
            answers = socket.getaddrinfo(url.host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(f"no such host: {url.host}") from error
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    for address in addresses:
        problem = refusal(address, limits)
        if problem:
            named = f"{address} is" if url.host == address else f"{url.host} resolves to {address},"
            raise FetchRefused(f"refused: {named} {problem}; only public addresses are fetched")
    return addresses[0]


def fetch(url: str, client: httpx.Client, limits: FetchLimits) -> FetchedPage:
    """Fetch one page, or raise FetchRefused saying why not."""
    try:
        current = httpx.URL(url.strip())
    except httpx.InvalidURL as error:
        raise FetchRefused(f"not a valid URL: {error}") from error
    with Deadline(limits.deadline) as deadline:
        try:
            return _follow(current, url, client, limits, deadline)
        except DeadlinePassed as error:
            raise _too_slow(limits) from error
        except httpx.HTTPError as error:
            # The watchdog ends a fetch by shutting its socket: httpx sees a dropped line.
            if deadline.over:
                raise _too_slow(limits) from error
            if isinstance(error, httpx.TimeoutException):
                raise FetchRefused(f"timed out after {limits.timeout:g} s") from error
            raise FetchRefused(f"could not be fetched: {error or type(error).__name__}") from error


def _too_slow(limits):
    return FetchRefused(
        f"took longer than {limits.deadline:g} s in all (connecting, redirects, headers and "
        "body together)"
    )


def _follow(current, requested, client, limits, deadline):
    for _hop in range(limits.max_redirects + 1):
        address = checked_address(current, limits, deadline)
        page = _get(current, address, client, limits, deadline, requested)
        if isinstance(page, FetchedPage):
            return page
        current = page
    raise FetchRefused(f"too many redirects: more than {limits.max_redirects}")


def _get(url, address, client, limits, deadline, requested):
    """One request to `address` standing for `url`'s host: the page, or the URL a redirect
    points to."""
    target = url.copy_with(host=address)
    headers = {
        "Host": url.netloc.decode("ascii"),
        "User-Agent": limits.user_agent,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    extensions = {"trace": deadline.trace}
    if url.scheme == "https":
        extensions["sni_hostname"] = url.host
        # Connections are pooled by address: one made for another host (its TLS name
        # checked for that host) must not carry this request.
        headers["Connection"] = "close"
    request = client.build_request(
        "GET",
        target,
        headers=headers,
        extensions=extensions,
        timeout=httpx.Timeout(min(limits.timeout, deadline.remaining())),
    )
    response = client.send(request, stream=True)
    try:
        if response.status_code in REDIRECTS and "location" in response.headers:
            try:
                return url.join(response.headers["location"])
            except httpx.InvalidURL as error:
                raise FetchRefused(f"redirects to an invalid URL: {error}") from error
        if not response.is_success:
            raise FetchRefused(f"answered {response.status_code} {response.reason_phrase}")
        content_type = response.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() not in TEXT_TYPES:
            raise FetchRefused(
                f"not a web page or text: its content type is {content_type or 'not given'}"
            )
        content = _read_capped(response, limits, deadline)
    finally:
        response.close()
    return FetchedPage(
        requested_url=requested,
        final_url=str(url),
        status=response.status_code,
        content_type=content_type,
        content=content,
        fetched_at=timezone.now(),
    )


def _read_capped(response, limits, deadline):
    """The body, read raw and inflated here: at most `max_bytes` off the wire, and at most
    `max_bytes` once decompressed, whatever the server claims."""
    limit = format_size(limits.max_bytes)
    try:
        coding = content_coding(response.headers.get_list("content-encoding"))
    except CodingRefused as error:
        raise FetchRefused(str(error)) from error
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchRefused(f"too large: over the {limit} limit")
    inflater, chunks, size = Inflater(coding, limits.max_bytes), [], 0
    try:
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchRefused(f"too large: over the {limit} limit")
            deadline.remaining()
            chunks.append(inflater.feed(chunk))
    except InflatedTooLarge as error:
        raise FetchRefused(f"too large: over the {limit} limit once decompressed") from error
    except zlib.error as error:
        raise FetchRefused(f"could not be decompressed: not valid {coding} ({error})") from error
    # A body that ends with the connection ends early when the watchdog shuts it.
    if deadline.passed:
        raise DeadlinePassed
    return b"".join(chunks)


def fetch_all(urls: Iterable[str]) -> list[FetchedPage | FetchRefused]:
    """Fetch every URL, NEWSROOM_FETCH_CONCURRENCY at a time; for each, in order, the page
    or why it was refused."""
    urls = list(urls)
    limits = FetchLimits.from_settings()
    timeout = httpx.Timeout(limits.timeout)
    workers = max(1, settings.NEWSROOM_FETCH_CONCURRENCY)
    # No connection kept alive: each fetch's deadline watches the sockets it opened, so a
    # fetch must never be handed a socket another one opened.
    pool_limits = httpx.Limits(max_connections=workers, max_keepalive_connections=0)
    # trust_env off: a proxy from the environment would connect for us, unchecked.
    with httpx.Client(timeout=timeout, limits=pool_limits, trust_env=False) as client:

        def one(url):
            try:
                return fetch(url, client, limits)
            except FetchRefused as error:
                return error
            except Exception as error:  # whatever breaks on one page fails that page alone
                return FetchRefused(f"could not be fetched: {type(error).__name__}: {error}")

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, urls))

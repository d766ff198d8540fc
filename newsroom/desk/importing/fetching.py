"""Fetching a web page as a source, safely: only public addresses, bounded in time, size,
redirects and concurrency, and only pages that are text.

The guard against server-side request forgery resolves each host itself, refuses any
address that is not public (private, loopback, link-local, multicast, reserved,
unspecified, IPv4-mapped IPv6 of those, IPv6 included), then connects to the very address
it checked, so a second DNS answer cannot swap it (DNS rebinding). Redirects are followed
by hand, each hop checked the same way before any connection is made.
"""

import codecs
import hashlib
import ipaddress
import re
import socket
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import httpx
from django.conf import settings
from django.utils import timezone

from newsroom.desk.importing.reading import SourceText, decode, format_size

SCHEMES = ("http", "https")
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECTS = (301, 302, 303, 307, 308)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# What browsers (and the HTML standard) take these labels to mean.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}


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
        declares, else as a file is (BOM, UTF-8, then the usual legacy encodings)."""
        declared = _charset(self.content_type) or _meta_charset(self.content)
        if declared:
            try:
                text = self.content.decode(declared)
            except UnicodeDecodeError:
                text = None
            if text is not None and text.strip():
                crlf = "\r" in text
                text = text.replace("\r\n", "\n").replace("\r", "\n")
                bom = text.startswith("\ufeff")
                return SourceText(
                    unicodedata.normalize("NFC", text.lstrip("\ufeff")), declared, bom, crlf
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
        )


def is_web_url(value: str) -> bool:
    return bool(re.match(r"^https?://", value.strip(), re.I))


def refusal(address: str, limits: FetchLimits) -> str:
    """Why the newsroom will not connect to `address`, or "" when it may."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in network for network in limits.allowed_networks):
        return ""
    for kind, test in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if test:
            return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address"
    return "" if ip.is_global else "not a public address"


def checked_address(url: httpx.URL, limits: FetchLimits) -> str:
    """The address to connect to for `url`: its host resolved, every address it resolves to
    checked (one bad answer among good ones refuses it all)."""
    if url.scheme not in SCHEMES:
        raise FetchRefused(f"refused: only http and https are fetched, not {url.scheme or '?'}:")
    if not url.host:
        raise FetchRefused("refused: the URL has no host")
    try:
        answers = socket.getaddrinfo(
            url.host, url.port or (443 if url.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
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
    deadline = time.monotonic() + limits.timeout * 2
    for _hop in range(limits.max_redirects + 1):
        address = checked_address(current, limits)
        try:
            page = _get(current, address, client, limits, deadline, url)
        except httpx.TimeoutException as error:
            raise FetchRefused(f"timed out after {limits.timeout:g} s") from error
        except httpx.HTTPError as error:
            raise FetchRefused(f"could not be fetched: {error or type(error).__name__}") from error
        if isinstance(page, FetchedPage):
            return page
        current = page
    raise FetchRefused(f"too many redirects: more than {limits.max_redirects}")


def _get(url, address, client, limits, deadline, requested):
    """One request to `address` standing for `url`'s host: the page, or the URL a redirect
    points to."""
    target = url.copy_with(host=address)
    headers = {"Host": url.netloc.decode("ascii"), "User-Agent": limits.user_agent}
    extensions = {}
    if url.scheme == "https":
        extensions["sni_hostname"] = url.host
        # Connections are pooled by address: one made for another host (its TLS name
        # checked for that host) must not carry this request.
        headers["Connection"] = "close"
    request = client.build_request("GET", target, headers=headers, extensions=extensions)
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
    too_large = FetchRefused(f"too large: over the {format_size(limits.max_bytes)} limit")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_large
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise too_large
        if time.monotonic() > deadline:
            raise FetchRefused(f"timed out after {limits.timeout * 2:g} s downloading")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_all(urls: Iterable[str]) -> list[FetchedPage | FetchRefused]:
    """Fetch every URL, NEWSROOM_FETCH_CONCURRENCY at a time; for each, in order, the page
    or why it was refused."""
    urls = list(urls)
    limits = FetchLimits.from_settings()
    timeout = httpx.Timeout(limits.timeout)
    workers = max(1, settings.NEWSROOM_FETCH_CONCURRENCY)
    pool_limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    # trust_env off: a proxy from the environment would connect for us, unchecked.
    with httpx.Client(timeout=timeout, limits=pool_limits, trust_env=False) as client:

        def one(url):
            try:
                return fetch(url, client, limits)
            except FetchRefused as error:
                return error

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, urls))


def _charset(content_type):
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    return _known_codec(match.group(1)) if match else ""


def _meta_charset(content):
    match = _META_CHARSET.search(content[:4096])
    return _known_codec(match.group(1).decode("ascii", "ignore")) if match else ""


def _known_codec(label):
    label = label.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""

"""What a fetched web page says about itself, beyond what the importer reads from any text:
its canonical URL, author, site name and language (through trafilatura's metadata), and
the outlet behind it, found through outlet names, aliases and domains so one publisher is
one outlet however the page spells it.

A page is the source of the URL it was fetched from, after redirects: redirects are the
server's word, which the fetcher followed and checked hop by hop. Its canonical link is
only the page's word (any page may name any URL), so it is recorded and may flag a
possible duplicate, but never decides which source the page is."""

import re
from dataclasses import dataclass, field
from html import unescape as html_unescape

import httpx
import trafilatura

from newsroom.desk.importing.fetching import FetchedPage
from newsroom.desk.importing.parsing import ParsedSource, is_html
from newsroom.desk.models import Outlet, Source

CANONICAL_MAX_LENGTH = Source._meta.get_field("canonical_url").max_length
HEAD_CHARS = 256 * 1024
_LINK_TAG = re.compile(r"<link\b([^<>]*)>", re.I)
_ATTRIBUTE = re.compile(r"""(?<![\w:-])([\w:-]{1,40})\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>]+)""")
_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.I)


@dataclass
class PageFacts:
    """A fetched page's provenance: the URL its source goes by (where it was fetched, after
    redirects), the canonical URL it names ("" if none), its author, and the names its
    outlet may go by, best first, with its domain."""

    url: str
    canonical_url: str = ""
    author: str = ""
    outlet_names: list = field(default_factory=list)
    domain: str = ""


def page_facts(page: FetchedPage, text: str, parsed: ParsedSource) -> PageFacts:
    facts = PageFacts(url=page.final_url, domain=page.host)
    # The date is the importer's business (parsing reads it): the fast date search here.
    metadata = (
        trafilatura.extract_metadata(text, default_url=page.final_url, extensive=False)
        if is_html(text)
        else None
    )
    if metadata is not None:
        facts.canonical_url = canonical_link(text, page.final_url)
        facts.author = (metadata.author or "").strip()[:300]
        facts.outlet_names.append((metadata.sitename or "").strip())
        if not parsed.language:
            match = _HTML_LANG.search(text[:4096])
            parsed.language = match.group(1).lower() if match else ""
    facts.outlet_names += [parsed.outlet_name, page.host]
    facts.outlet_names = [name for name in dict.fromkeys(facts.outlet_names) if name]
    return facts


def page_outlet(facts: PageFacts) -> Outlet:
    """The outlet the page is from: the first of its names (site name, the name the text
    gives, domain) that an outlet goes by, else a new outlet under the first, with the
    page's domain, so later pages from the site find it whatever their site name says."""
    for name in facts.outlet_names:
        outlet = Outlet.objects.matching(name)
        if outlet:
            return outlet
    return Outlet.objects.create(name=facts.outlet_names[0][:200], domain=facts.domain)


def canonical_link(html: str, page_url: str) -> str:
    """The URL the page's first <link rel="canonical"> names (relative to `page_url`), if it
    is an http(s) URL that fits the field, else "". Only the head is read (the first
    HEAD_CHARS characters at most), with patterns that never backtrack far."""
    head = html[:HEAD_CHARS]
    end = head.lower().find("</head")
    for tag in _LINK_TAG.finditer(head if end < 0 else head[:end]):
        attributes = {
            name.lower(): value.strip("\"'") for name, value in _ATTRIBUTE.findall(tag.group(1))
        }
        if "canonical" in attributes.get("rel", "").lower().split():
            return _web_url(attributes.get("href", ""), page_url)
    return ""


def _web_url(url, page_url):
    """`url` (resolved against `page_url`) if it is an http(s) URL that fits, else ""."""
    if not url.strip():
        return ""
    try:
        parsed = httpx.URL(page_url).join(html_unescape(url.strip()))
    except (httpx.InvalidURL, ValueError):
        return ""
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return ""
    text = str(parsed)
    return text if len(text) <= CANONICAL_MAX_LENGTH else ""

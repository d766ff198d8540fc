"""What a fetched web page says about itself, beyond what the importer reads from any text:
its canonical URL, author, site name and language (through trafilatura's metadata), and
the outlet behind it, found through outlet names, aliases and domains so one publisher is
one outlet however the page spells it."""

import re
from dataclasses import dataclass, field

import httpx
import trafilatura

from newsroom.desk.importing.fetching import FetchedPage
from newsroom.desk.importing.parsing import ParsedSource, is_html
from newsroom.desk.models import Outlet

_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.I)


@dataclass
class PageFacts:
    """A fetched page's provenance: the URL its source goes by (the canonical one when the
    page names one on its own site, else the URL it was found at), its author, and the
    names its outlet may go by, best first, with its domain."""

    url: str
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
        facts.url = _same_site(metadata.url, page) or page.final_url
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


def _same_site(url, page):
    """`url` if it is an http(s) URL on the page's own host: a canonical URL elsewhere could
    claim another source's URL."""
    if not url:
        return ""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return ""
    if parsed.scheme not in ("http", "https") or parsed.host.removeprefix("www.") != page.host:
        return ""
    return str(parsed)

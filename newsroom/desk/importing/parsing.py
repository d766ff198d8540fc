"""From decoded text to everything a Source holds: cleaned body, title and metadata."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import trafilatura

from newsroom.desk.importing.body import assemble_body
from newsroom.desk.importing.captions import caption_format, caption_transcript
from newsroom.desk.importing.cleaning import clean, split_lines, without_cut_parts
from newsroom.desk.importing.metadata import (
    detect_language,
    infer_date,
    infer_kind,
    infer_outlet,
    parse_date,
)

_HTML = re.compile(r"^\s*(?:<!doctype html|<html\b)|<body\b", re.I)


@dataclass
class ParsedSource:
    title: str
    body: str
    segments: list
    set_aside: list
    kind: str
    language: str
    outlet_name: str = ""
    url: str = ""
    published: object = None  # a PublicationDate
    notes: list = field(default_factory=list)
    # Whether the text says what kind it is (timestamps make a transcript); "article" is
    # only what a text is taken for when it says nothing.
    kind_stated: bool = False


def is_html(text: str) -> bool:
    return bool(_HTML.search(text[:4096]))


def readable_text(original_text: str) -> str:
    """The text the importer reads line by line: an HTML page's main content (through
    trafilatura, which drops navigation, footers and comments), a caption file's cues as
    timed lines, else the text itself."""
    if caption_format(original_text):
        return caption_transcript(original_text)
    if not is_html(original_text):
        return original_text
    return trafilatura.extract(original_text, include_comments=False, include_tables=True) or ""


def _stated_transcript(original_text):
    """True for captions, which are timed however few their cues; else None: the text's
    shape tells."""
    return True if caption_format(original_text) else None


def parse_source(original_text: str) -> ParsedSource:
    text = readable_text(original_text)
    cleaning = clean(text, _stated_transcript(original_text))
    body, segments = assemble_body(cleaning.lines, cleaning.excluded, cleaning.transcript)
    parsed = ParsedSource(
        title=cleaning.title,
        body=body,
        segments=segments,
        set_aside=cleaning.set_aside,
        kind=infer_kind(cleaning.transcript),
        kind_stated=cleaning.transcript,
        language=detect_language(body),
        outlet_name=infer_outlet(text),
        published=infer_date(text),
    )
    if is_html(original_text):
        _apply_html_metadata(parsed, original_text)
    return parsed


def rebuild_body(
    original_text: str, set_aside: Iterable[dict[str, Any]]
) -> tuple[str, list[dict[str, Any]]]:
    """Body and segments again from the text, keeping out only the lines still set aside
    (used when an editor restores a line)."""
    text = readable_text(original_text)
    set_aside = list(set_aside)
    lines = without_cut_parts(split_lines(text, _stated_transcript(original_text)), set_aside)
    transcript = any(line.timestamp for line in lines)
    excluded = {entry["line"] for entry in set_aside if not entry.get("part")}
    return assemble_body(lines, excluded, transcript)


def _apply_html_metadata(parsed, html):
    metadata = trafilatura.extract_metadata(html)
    if metadata is None:
        return
    parsed.title = (metadata.title or "").strip() or parsed.title
    parsed.outlet_name = parsed.outlet_name or (metadata.sitename or "").strip()
    if metadata.date and not parsed.published:
        parsed.published = parse_date(metadata.date)

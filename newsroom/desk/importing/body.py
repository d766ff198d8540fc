"""The body of a source from the lines of its text that the importer kept."""

import re
from collections.abc import Container, Iterable
from typing import TYPE_CHECKING, Any

from newsroom.desk.importing.transcripts import assemble_transcript

if TYPE_CHECKING:
    from newsroom.desk.importing.cleaning import Line

_OPEN_SENTENCE = re.compile(r"[^.!?:;\"”’)\]]$")
_ROW = re.compile(r"^(?:[-*•–]\s+|\d+[.)]\s+|\|)")


def assemble_body(
    lines: Iterable["Line"], excluded: Container[int], transcript: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """Join the kept lines into the body: blank lines and one-paragraph-per-line text make
    paragraphs, list items and table rows stay one per line, and hard-wrapped lines are
    rejoined. Returns (body, segments): a transcript's timed segments, or a paged
    document's pages ("p. 3" and where the page's text is in the body)."""
    kept = [line for line in lines if line.blank or line.number not in excluded]
    if transcript:
        return assemble_transcript(kept)
    blocks, block = [], []
    for line in kept:
        if line.blank:
            if block:
                blocks.append(block)
            block = []
        else:
            block.append(line)
    if block:
        blocks.append(block)
    body, placed = "", []  # placed: (line, start, end) of each kept line's text in the body
    for block in blocks:
        if body:
            body += "\n\n"
        body = _join_block(block, body, placed)
    return body, _page_segments(placed)


def _join_block(block, body, placed):
    for index, line in enumerate(block):
        if index:
            previous = block[index - 1].content
            if _ROW.match(previous) and _ROW.match(line.content):
                body += "\n"
            elif _OPEN_SENTENCE.search(previous) and line.content[:1].islower():
                body += " "
            else:
                body += "\n\n"
        placed.append((line, len(body), len(body) + len(line.content)))
        body += line.content
    return body


def _page_segments(placed):
    pages = {}
    for line, start, end in placed:
        if line.page:
            first, _ = pages.get(line.page, (start, end))
            pages[line.page] = (first, end)
    return [
        {"page": page, "label": f"p. {page}", "start_offset": start, "end_offset": end}
        for page, (start, end) in sorted(pages.items())
    ]


def body_passages(body: str, segments: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """The body in the pieces the importer made of it, for reading: a transcript's timed
    segments or a document's pages (label and text), else its paragraphs (unlabelled)."""
    segments = list(segments)
    if segments:
        return [
            {
                "label": segment.get("label", ""),
                "text": body[segment["start_offset"] : segment["end_offset"]],
            }
            for segment in segments
        ]
    return [
        {"label": "", "text": paragraph} for paragraph in body.split("\n\n") if paragraph.strip()
    ]

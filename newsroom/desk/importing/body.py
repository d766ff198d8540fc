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
    # The body is built as a list of parts and joined once: adding to one string passed
    # between functions copies it whole each time, quadratic in a text of many paragraphs.
    parts, placed = [], []  # placed: (line, start, end) of each kept line's text in the body
    length = 0
    for block in blocks:
        if parts:
            parts.append("\n\n")
            length += 2
        length = _join_block(block, parts, length, placed)
    return "".join(parts), _page_segments(placed)


def _join_block(block, parts, length, placed):
    """Add a block's lines to `parts` (the body so far, `length` long); return the length."""
    for index, line in enumerate(block):
        if index:
            previous = block[index - 1].content
            if _ROW.match(previous) and _ROW.match(line.content):
                joint = "\n"
            elif _OPEN_SENTENCE.search(previous) and line.content[:1].islower():
                joint = " "
            else:
                joint = "\n\n"
            parts.append(joint)
            length += len(joint)
        placed.append((line, length, length + len(line.content)))
        parts.append(line.content)
        length += len(line.content)
    return length


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

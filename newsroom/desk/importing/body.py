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
    rejoined. Returns (body, segments)."""
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
            block.append(line.content)
    if block:
        blocks.append(block)
    return "\n\n".join(_join_block(block) for block in blocks), []


def _join_block(block):
    text = block[0]
    for previous, line in zip(block, block[1:], strict=False):
        if _ROW.match(previous) and _ROW.match(line):
            separator = "\n"
        elif _OPEN_SENTENCE.search(previous) and line[:1].islower():
            separator = " "
        else:
            separator = "\n\n"
        text += separator + line
    return text


def body_passages(body: str, segments: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """The body in the pieces the importer made of it, for reading: a transcript's timed
    segments (label and text), else its paragraphs (unlabelled)."""
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

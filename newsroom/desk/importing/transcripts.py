"""Video transcripts: timestamps become segments, the words become prose.

Captured transcripts prefix each caption line with its time ("00:26dialogue with
Russia…"), cutting sentences mid-way. The body joins the fragments back into sentences and
paragraphs; `segments` keeps each fragment's time and its offsets into the body, so
evidence quoted from the body can be cited at 01:42.
"""

import re
from collections.abc import Iterable
from typing import Any, Protocol

TIMESTAMP = re.compile(r"^(?P<stamp>(?:\d{1,2}:)?[0-5]?\d:[0-5]\d)(?!:)\s*(?=\S)")

# A paragraph ends at the first sentence end after this many characters.
PARAGRAPH_CHARS = 600
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]?$")


class TimedLine(Protocol):
    """A line as the cleaner splits it (newsroom.desk.importing.cleaning.Line, which this
    module cannot import: the cleaner imports it)."""

    @property
    def content(self) -> str: ...

    @property
    def timestamp(self) -> str: ...

    @property
    def blank(self) -> bool: ...


def parse_timestamp(stamp: str) -> int:
    """Seconds from the start for "01:42" or "1:02:03"."""
    seconds = 0
    for part in stamp.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def assemble_transcript(lines: Iterable[TimedLine]) -> tuple[str, list[dict[str, Any]]]:
    """Body and segments from kept transcript lines (blank lines are paragraph breaks)."""
    paragraphs, current, segments = [], [], []
    offset = 0

    def close_paragraph():
        nonlocal offset, current
        if current:
            text = " ".join(current)
            paragraphs.append(text)
            offset += len(text) + 2
            current = []

    for line in lines:
        if line.blank:
            close_paragraph()
            continue
        start = offset + sum(len(part) + 1 for part in current)
        if line.timestamp:
            segments.append(
                {
                    "start": parse_timestamp(line.timestamp),
                    "label": line.timestamp,
                    "start_offset": start,
                    "end_offset": start + len(line.content),
                }
            )
        current.append(line.content)
        if _SENTENCE_END.search(line.content) and len(" ".join(current)) >= PARAGRAPH_CHARS:
            close_paragraph()
    close_paragraph()
    return "\n\n".join(paragraphs), segments

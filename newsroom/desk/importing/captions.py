"""Caption files (SRT, WebVTT) as a transcript the importer reads like any other.

Each cue becomes one timed line ("01:42 what is said"), so captions are cleaned, assembled
and restored by the same rules as a transcript written out by hand. Captions repeat
themselves: roll-up captions show the line before with each new one, and YouTube's
automatic captions repeat a cue's words in the next cue and grow a line word by word. A
caption line shown already is left out, and a line that grows keeps only its new words, at
the time they first appear. Styling tags, karaoke timings (`<00:00:01.000>`, `<c>`) and
entities (`&amp;`) are taken off.
"""

import html
import re
from collections import deque
from collections.abc import Iterator

import srt
import webvtt
from django.conf import settings
from webvtt.errors import MalformedFileError

from newsroom.desk.importing.reading import UnreadableSource
from newsroom.desk.importing.transcripts import format_timestamp

# Possessive, with the spaces before the first line end kept apart from the blank lines
# after it: `\s*\n\s*` tried every split of "1" and 100,000 blank lines (issue #25).
_SRT_START = re.compile(r"^\s*+\d++[^\S\n]*+\n\s*+\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*+-->")
_VTT_TIMING = re.compile(
    r"^\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d+:)?\d{2}:\d{2}\.\d{3}(?:\s|$)"
)
_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_RECENT_LINES = 4


def caption_format(text: str) -> str:
    """ "srt" or "vtt" when the text is a caption file, else ""."""
    text = text.lstrip("\ufeff")
    if text.startswith("WEBVTT"):
        return "vtt"
    if _SRT_START.match(text):
        return "srt"
    return ""


def check_captions(text: str, expected: str) -> int:
    """The number of cues of a caption file that claims (by its name) to be `expected`
    ("srt" or "vtt"), or UnreadableSource saying why it is not one."""
    name = {"srt": "SRT", "vtt": "WebVTT"}[expected]
    if caption_format(text) != expected:
        opening = "WEBVTT" if expected == "vtt" else "a numbered cue and its times"
        raise UnreadableSource(f"not a valid {name} caption file: it does not begin with {opening}")
    cues = list(_cues(text, expected))
    if not any(words for _, words in cues):
        raise UnreadableSource(f"{name} caption file with no captions in it")
    return len(cues)


def caption_transcript(text: str) -> str:
    """The caption file as timed lines, one per cue, repeated caption lines left out."""
    timed, shown = [], deque(maxlen=_RECENT_LINES)
    for seconds, lines in _cues(text, caption_format(text)):
        words = []
        for line in lines:
            if line in shown:
                continue
            if shown and line.startswith(shown[-1] + " "):
                words.append(line[len(shown[-1]) :].strip())
                shown[-1] = line
            else:
                words.append(line)
                shown.append(line)
        if words:
            timed.append(f"{format_timestamp(seconds)} {' '.join(words)}")
    return "\n".join(timed)


def _cues(text, kind) -> Iterator[tuple[float, list[str]]]:
    """(start in seconds, the cue's lines as plain text) for each cue of the file, or
    UnreadableSource past NEWSROOM_CAPTION_MAX_CUES cues (issue #25)."""
    limit = settings.NEWSROOM_CAPTION_MAX_CUES
    for number, cue in enumerate(_all_cues(text, kind), start=1):
        if number > limit:
            raise UnreadableSource(f"too many captions: over the limit of {limit:,} cues")
        yield cue


def _all_cues(text, kind):
    if kind == "srt":
        try:
            # srt.parse is lazy: a file past the cap is refused without reading it all.
            for subtitle in srt.parse(text.lstrip("\ufeff")):
                yield subtitle.start.total_seconds(), _plain_lines(subtitle.content)
        except srt.SRTParseError as error:
            line = text.count("\n", 0, error.expected_start) + 1
            raise UnreadableSource(
                f"not a valid SRT caption file: unreadable from line {line}"
            ) from error
        return
    # webvtt-py passes over a cue whose timing it cannot read; a file is read whole or not.
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" in line and not _VTT_TIMING.match(line):
            raise UnreadableSource(
                f"not a valid WebVTT caption file: unreadable cue timing at line {number}"
            )
    try:
        captions = webvtt.from_string(text.lstrip("\ufeff"))
    except MalformedFileError as error:
        raise UnreadableSource(f"not a valid WebVTT caption file: {error}") from error
    for caption in captions:
        lines = _plain_lines(caption.raw_text)
        if caption.voice and lines:
            lines[0] = f"{caption.voice}: {lines[0]}"  # <v Name>: who speaks
        yield caption.start_time.in_milliseconds() / 1000, lines


def _plain_lines(content):
    lines = []
    for raw in content.split("\n"):
        line = " ".join(html.unescape(_TAG.sub("", raw)).split())
        if line:
            lines.append(line)
    return lines

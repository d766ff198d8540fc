"""Video transcripts: timestamps become segments, the words become prose.

Transcripts write each caption line's time in one of a few ways: "00:26", "[00:26]",
"(0:26)", "00:00:26", "1:02:03", with or without milliseconds ("00:00:26.500", ",500") or
an end time ("[00:26 - 00:31]"), with a speaker before or after it ("JOHN SMITH: [00:26]",
"[00:26] >> JOHN SMITH:", "Speaker 1 (00:26):", or a name alone on the line above), at the
start of its line, glued to the words ("00:26dialogue with Russia…") or alone on its line
above them. The body joins the
fragments back into sentences and paragraphs, a new paragraph for each new speaker;
`segments` keeps each fragment's time and the offsets of its words in the body, so evidence
quoted from the body can be cited at 01:42.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

_CLOCK = r"(?:\d{1,2}:)?\d{1,2}:[0-5]\d(?:[.,]\d{1,3})?"
_UNTIL = rf"(?:\s*(?:-->|->|-|–|—|to)\s*{_CLOCK})?"
STAMP = re.compile(
    rf"\[\s*(?P<bracketed>{_CLOCK}){_UNTIL}\s*\]"
    rf"|\(\s*(?P<parenthesised>{_CLOCK}){_UNTIL}\s*\)"
    rf"|(?P<bare>{_CLOCK}){_UNTIL}(?!:\d)"
)
# A speaker's name as transcripts print it: "JOHN SMITH", "Speaker 1", "Dr. Jane Doe",
# "Ursula von der Leyen"; at most five words, so a sentence is never taken for one.
_NAME = (
    r"[A-Z][\w.'’-]*(?:[ ](?:[A-Z0-9][\w.'’-]*|de|da|di|du|von|van|der|den|del|la|le|al|"
    r"bin|ibn|el)){0,4}"
)
_TURN = re.compile(r"^(?:>>|&gt;&gt;)>?\s*")
_SPEAKER_BEFORE = re.compile(rf"^(?P<name>{_NAME})(?:\s*:\s*|\s+)(?=[\[(]?\d)")
_SPEAKER_AFTER = re.compile(rf"^(?P<name>{_NAME})\s*:(?:\s+|$)")
_HEADINGS = {
    "transcript",
    "captions",
    "subtitles",
    "description",
    "summary",
    "notes",
    "chapters",
    "video",
    "audio",
    "source",
}
_AFTER_STAMP = re.compile(r"^\s*(?:[:|–—-]+(?=\s|$))?\s*")

# A paragraph ends at the first sentence end after this many characters.
PARAGRAPH_CHARS = 600
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]?$")


@dataclass(frozen=True)
class Cue:
    """One timed line of a transcript: its time as labelled, who speaks (if it says), whether
    it marks a change of speaker (">>"), and what is said."""

    label: str
    speaker: str = ""
    turn: bool = False
    speech: str = ""

    def said(self, text: str) -> "Cue":
        """This cue's time and speaker for words on the next line (a time alone on its line)."""
        turn, speaker, speech = read_speech(text)
        return replace(self, speaker=speaker or self.speaker, turn=turn or self.turn, speech=speech)


class TimedLine(Protocol):
    """A line as the cleaner splits it (newsroom.desk.importing.cleaning.Line, which this
    module cannot import: the cleaner imports it)."""

    @property
    def content(self) -> str: ...

    @property
    def timestamp(self) -> str: ...

    @property
    def speaker(self) -> str: ...

    @property
    def turn(self) -> bool: ...

    @property
    def blank(self) -> bool: ...


def read_cue(line: str) -> Cue | None:
    """The cue a transcript line starts with, or None when it starts with no time."""
    text = line.strip()
    turn_mark = _TURN.match(text)
    if turn_mark:
        text = text[turn_mark.end() :]
    speaker = _SPEAKER_BEFORE.match(text)
    stamp = STAMP.match(text, speaker.end()) if speaker else None
    if stamp is None:
        speaker, stamp = None, STAMP.match(text)
    if stamp is None:
        return None
    clock = stamp.group("bracketed") or stamp.group("parenthesised") or stamp.group("bare")
    rest = _AFTER_STAMP.sub("", text[stamp.end() :], count=1)
    turn, named, speech = read_speech(rest)
    return Cue(
        label=re.sub(r"[.,]\d+$", "", clock),
        speaker=speaker.group("name") if speaker else named,
        turn=bool(turn_mark) or turn,
        speech=speech,
    )


def read_speaker(line: str) -> str:
    """The speaker a line names and nothing else ("JOHN SMITH:", ">> Anchor:"), or "" (also
    for a heading such as "Transcript:", which names no one)."""
    _, speaker, speech = read_speech(line)
    return "" if speech or speaker.lower() in _HEADINGS else speaker


def read_speech(text: str) -> tuple[bool, str, str]:
    """(a change of speaker is marked, the speaker named, the words) of a line's text."""
    text = text.strip()
    turn_mark = _TURN.match(text)
    if turn_mark:
        text = text[turn_mark.end() :]
    speaker = _SPEAKER_AFTER.match(text)
    if speaker:
        return bool(turn_mark), speaker.group("name"), text[speaker.end() :].strip()
    return bool(turn_mark), "", text


def parse_timestamp(stamp: str) -> int:
    """Whole seconds from the start for "01:42", "1:02:03" or "00:01:42.500"."""
    seconds = 0
    for part in re.sub(r"[.,]\d+$", "", stamp).split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def format_timestamp(seconds: float) -> str:
    """The label for a time given in seconds: "01:42", or "1:02:03" past the first hour."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def assemble_transcript(lines: Iterable[TimedLine]) -> tuple[str, list[dict[str, Any]]]:
    """Body and segments from kept transcript lines. A new speaker starts a paragraph, and
    so does a blank line after a sentence's end (a blank line inside a sentence only
    spaces out the cues). A segment's offsets cover the words said, not the speaker's
    name."""
    paragraphs, current, segments = [], [], []
    # The length of " ".join(current) plus one, kept as lines are added: summing `current`
    # per line made 30,000 cues of one speaker quadratic (issue #25).
    offset, speaker, current_length = 0, "", 0

    def close_paragraph():
        nonlocal offset, current, current_length
        if current:
            text = " ".join(current)
            paragraphs.append(text)
            offset += len(text) + 2
            current, current_length = [], 0

    for line in lines:
        if line.blank:
            if current and _SENTENCE_END.search(current[-1]):
                close_paragraph()
            continue
        prefix = ""
        if line.turn or (line.speaker and line.speaker != speaker):
            close_paragraph()
            speaker = line.speaker
            prefix = f"{speaker}: " if speaker else ""
        start = offset + current_length + len(prefix)
        if line.timestamp:
            segments.append(
                {
                    "start": parse_timestamp(line.timestamp),
                    "label": line.timestamp,
                    "start_offset": start,
                    "end_offset": start + len(line.content),
                }
            )
        current.append(prefix + line.content)
        current_length += len(current[-1]) + 1
        if _SENTENCE_END.search(line.content) and current_length - 1 >= PARAGRAPH_CHARS:
            close_paragraph()
    close_paragraph()
    return "\n\n".join(paragraphs), segments

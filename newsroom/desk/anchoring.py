"""Where a quote stands in a source's body: word for word, or after harmless folding.

Evidence is an exact quote, so a quote anchors only where the body has it word for word,
or differs from it only in whitespace, curly or straight quote marks, dashes and case. A
near-match is never an anchor: "Putin is not ready" is 93% like "Putin is ready". The
closest passage is only a hint for the editor, shown when a quote is refused.

A quote also anchors only on word boundaries: "willing to talk" is not in "unwilling to
talk", nor "it will not" in "it will note". Apostrophes and hyphens inside a word belong to
it ("won't", "non-binding"), and so do a number's separators ("1,500").

Offsets are always into the body as stored, so the admin and readers can show the
quote in its surrounding text, and a re-import can tell whether it still stands there.

Text in, text out: nothing here reads a model or the database, so the models use it to
anchor a quote (Evidence.reanchor()), and the write paths in actions/ to re-anchor
stored quotes when a source or claim changes.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz

_TRANSLATE = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u00a0": " ",
}

# Between two word characters these make one word of them: "won't", "Franco–Russian". The
# invisible ones (soft hyphen, zero-width joiners) stand inside words in imported text.
_JOINERS = frozenset(
    {"'", "-", "\u00ad", "\u200c", "\u200d", "\u2060"}
    | {char for char, folded in _TRANSLATE.items() if folded in {"'", "-"}}
)
# Between two digits these make one number of them: "1,500", "2.5".
_NUMBER_SEPARATORS = frozenset(".,")
# Every character this does not match is a word character (a letter or a number).
_NOT_ALPHANUMERIC = re.compile(r"[\W_]")
# What differing_words() leaves off a word's ends: the comma after "Macron" where a quote stops.
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


class QuotedText(Protocol):
    """What a refusal names of a source: its title, and the body the quote was sought in.
    (A Source; this module reads no models, so the models can use it.)"""

    title: str
    body: str


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # "exact" or "normalised"
    score: float


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold whitespace, quote marks, dashes and case; return the folded text and, for
    each of its characters, the index of the character it came from."""
    chars, origin = [], []
    previous_space = True
    for index, char in enumerate(text):
        char = _TRANSLATE.get(char, char)
        if char.isspace():
            if previous_space:
                continue
            chars.append(" ")
            origin.append(index)
            previous_space = True
            continue
        previous_space = False
        for folded in char.lower():
            chars.append(folded)
            origin.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


def anchor_quote(body: str, quote: str) -> Anchor | None:
    """Locate `quote` in `body` word for word (exactly, or after normalise()) and on word
    boundaries, or return None. An occurrence inside a word is passed over for a later one."""
    quote = quote.strip()
    if not quote or not body:
        return None
    span = _first_on_word_boundaries(body, body, quote, lambda index: index)
    if span:
        return Anchor(*span, "exact", 100.0)

    folded_body, origin = normalise(body)
    folded_quote, _ = normalise(quote)
    if not folded_quote:
        return None
    # Boundaries are checked on the body as stored, so folding cannot hide a letter.
    span = _first_on_word_boundaries(body, folded_body, folded_quote, origin.__getitem__)
    if span:
        return Anchor(*span, "normalised", 100.0)
    return None


def _first_on_word_boundaries(body, text, part, body_index):
    """The (start, end) in `body` of the first occurrence of `part` in `text` (the body or
    its folded form, whose index i is body_index(i) in the body) on word boundaries."""
    index = text.find(part)
    while index >= 0:
        start = body_index(index)
        end = body_index(index + len(part) - 1) + 1
        if on_word_boundaries(body, start, end):
            return start, end
        resume = index + 1
        if _word_goes_on(body, start, -1):
            # Any later occurrence that starts before this word ends starts inside it too;
            # skipping them keeps a body like "PutinPutinPutin…" from costing a loop each.
            gap = _NOT_ALPHANUMERIC.search(text, index + 1)
            if gap is None:
                return None
            resume = gap.start()
        index = text.find(part, resume)
    return None


def on_word_boundaries(body: str, start: int, end: int) -> bool:
    """Whether body[start:end] is a non-empty span of `body` that neither begins nor ends
    inside a word. A span beginning (or ending) with a character that is not a word
    character, such as a quote mark or a full stop, is on a boundary on that side."""
    if not 0 <= start < end <= len(body):
        return False
    return not _word_goes_on(body, start, -1) and not _word_goes_on(body, end - 1, 1)


def _word_goes_on(body, edge, step):
    """Whether the word holding body[edge] goes on past it in direction `step` (-1 or 1),
    directly or across a joiner such as the apostrophe of "won't"."""
    if not _is_word_character(body[edge]):
        return False
    beyond, after = edge + step, edge + 2 * step
    if not 0 <= beyond < len(body):
        return False
    if _is_word_character(body[beyond]):
        return True
    if not 0 <= after < len(body):
        return False
    if body[beyond] in _JOINERS:
        return _is_word_character(body[after])
    if body[beyond] in _NUMBER_SEPARATORS:
        return body[edge].isdecimal() and body[after].isdecimal()
    return False


def _is_word_character(char):
    """A letter, number or combining mark, in any script."""
    return unicodedata.category(char)[0] in "LNM"


def refusal_message(source: QuotedText, quote: str) -> str:
    """Why a quote is refused, with the source's closest passage as a hint for the editor."""
    passage = closest_passage(source.body, quote)
    message = f"This quote is not in “{source.title}” word for word."
    return f"{message} The closest passage is: “{passage}”" if passage else message


def closest_passage(body: str, quote: str) -> str:
    """The body's passage most like `quote`, for a refusal message; widened to whole words."""
    folded_body, origin = normalise(body)
    folded_quote, _ = normalise(quote)
    if not folded_body or not folded_quote:
        return ""
    alignment = fuzz.partial_ratio_alignment(folded_quote, folded_body)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return ""
    start, end = origin[alignment.dest_start], origin[alignment.dest_end - 1] + 1
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    while end < len(body) and not body[end].isspace():
        end += 1
    return body[start:end].strip()


@dataclass(frozen=True)
class Words:
    """A run of `text` (its words and the whitespace between them, as written) that a
    comparison found the same as the other text, or differing from it."""

    text: str
    differs: bool


def differing_words(text: str, other: str) -> list[Words]:
    """`text` cut into runs of words, each saying whether it differs from `other`: the words
    `other` lacks, or has in other words. Words are compared after normalise() and without
    the punctuation at their ends, so a quote mark, dash, case or the comma after a word
    where a quote stops is no difference. The runs join back into `text` exactly, so the
    editor sees the passage as the source has it."""
    words = list(re.finditer(r"\S+", text))
    ours = [_compared(word.group()) for word in words]
    matcher = difflib.SequenceMatcher(
        None, ours, [_compared(word) for word in other.split()], autojunk=False
    )
    runs, done = [], 0
    for tag, first, last, _, _ in matcher.get_opcodes():
        if first == last:
            continue
        start, end = words[first].start(), words[last - 1].end()
        if done < start:
            runs.append(Words(text[done:start], False))
        runs.append(Words(text[start:end], tag != "equal"))
        done = end
    if done < len(text):
        runs.append(Words(text[done:], False))
    return runs


def _compared(word):
    """A word as differing_words() compares it."""
    return _EDGE_PUNCTUATION.sub("", normalise(word)[0])

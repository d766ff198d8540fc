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

Work stays bounded whatever is posted: a quote longer than MAX_QUOTE_LENGTH is refused
before any search, and the closest passage is sought only where the quote's rarest words
stand in the body, so its cost grows linearly with the body's length.
"""

import difflib
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from statistics import median
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
# Longer than any quote an editor cites (the demo's longest is about 320 characters): a
# longer one is refused before it is sought in a source.
MAX_QUOTE_LENGTH = 2000
# str.lower() of a whole text makes a capital sigma ending a word final ("ς"), where one
# character at a time it is "σ": folded first, it stays "σ" as normalise_by_character has it.
_TRANSLATION = str.maketrans({**_TRANSLATE, "\u03a3": "\u03c3"})
# What normalise() folds to one space: a run of whitespace, or one that is not a space.
_FOLDED_SPACE = re.compile(r"[^\S ]\s*| \s+")
_WORD = re.compile(r"\w+")
# The closest-passage search: how many of the quote's longest words it counts in the body,
# how many of the rarest of those it looks for, how many of their places in the body it
# weighs, how many windows it compares, and up to which quote length a window is searched
# for the best alignment (beyond, a window as long as the quote is compared by its first
# COMPARED_LENGTH characters).
RARE_WORDS = 12
WEIGHED_WORDS = 24
MAX_PLACES = 4000
CANDIDATE_WINDOWS = 8
ALIGNED_QUOTE_LENGTH = 500
COMPARED_LENGTH = 2000
# A body short enough to search whole for a quote sharing no word with it (a typo).
WHOLE_BODY_SEARCH = 50_000
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
    stretched = _stretches(text)
    if stretched is None:
        return normalise_by_character(text)
    folded, starts, origins = stretched
    origin = []
    for start, next_start, text_start in zip(
        starts, [*starts[1:], len(folded)], origins, strict=True
    ):
        origin.extend(range(text_start, text_start + next_start - start))
    return folded, origin


def fold(text: str) -> tuple[str, Callable[[int], int]]:
    """normalise(), with the way back as a function from an index of the folded text to
    that of the character it came from: for a long text, cheaper than a list as long."""
    stretched = _stretches(text)
    if stretched is None:
        folded, origin = normalise_by_character(text)
        return folded, origin.__getitem__
    folded, starts, origins = stretched

    def origin_of(index):
        stretch = bisect_right(starts, index) - 1
        return origins[stretch] + index - starts[stretch]

    return folded, origin_of


def _stretches(text):
    """The folded text and where each of its stretches begins, in it and in `text` (within
    a stretch both run on together; a folded space is a stretch of its own); None for a text
    whose lower case changes its length (a letter such as "İ"), which is folded otherwise."""
    lowered = text.translate(_TRANSLATION).lower()
    if len(lowered) != len(text):
        return None
    start, end = len(lowered) - len(lowered.lstrip()), len(lowered.rstrip())
    chars, starts, origins, length = [], [], [], 0
    for space in _FOLDED_SPACE.finditer(lowered, start, end):
        starts += [length, length + space.start() - start]
        origins += [start, space.start()]
        chars += [lowered[start : space.start()], " "]
        length += space.start() - start + 1
        start = space.end()
    starts.append(length)
    origins.append(start)
    chars.append(lowered[start:end])
    return "".join(chars), starts, origins


def normalise_by_character(text: str) -> tuple[str, list[int]]:
    """normalise(), one character at a time: for text whose lower case changes its length."""
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

    folded_body, origin = fold(body)
    folded_quote, _ = fold(quote)
    if not folded_quote:
        return None
    # Boundaries are checked on the body as stored, so folding cannot hide a letter.
    span = _first_on_word_boundaries(body, folded_body, folded_quote, origin)
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


def quote_length_problem(quote: str) -> str:
    """Why a quote is too long to cite, or "" if it is not."""
    if len(quote.strip()) <= MAX_QUOTE_LENGTH:
        return ""
    return (
        f"This quote is longer than {MAX_QUOTE_LENGTH:,} characters: "
        "cite the words that bear on the claim, in one or more shorter quotes."
    )


def refusal_message(source: QuotedText, quote: str) -> str:
    """Why a quote is refused, with the source's closest passage as a hint for the editor
    (none for a quote too long to cite, which is refused for its length)."""
    too_long = quote_length_problem(quote)
    if too_long:
        return too_long
    passage = closest_passage(source.body, quote)
    message = f"This quote is not in “{source.title}” word for word."
    return f"{message} The closest passage is: “{passage}”" if passage else message


def closest_passage(body: str, quote: str) -> str:
    """The body's passage most like `quote`, for a refusal message; widened to whole words."""
    folded_body, origin = fold(body)
    folded_quote, _ = fold(quote)
    if not folded_body or not folded_quote:
        return ""
    span = _closest_span(folded_body, folded_quote)
    if span is None:
        return ""
    start, end = origin(span[0]), origin(span[1] - 1) + 1
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    while end < len(body) and not body[end].isspace():
        end += 1
    return body[start:end].strip()


def _closest_span(body, quote):
    """(start, end) in the folded `body` of the passage most like the folded `quote`. Only
    windows where the quote's rarest words stand are compared, so the cost grows with the
    body's length, not with the product of both lengths."""
    starts = _candidate_starts(body, quote)
    if not starts:
        if len(body) > WHOLE_BODY_SEARCH or len(quote) > ALIGNED_QUOTE_LENGTH:
            return None
        return _aligned_span(body, quote, 0)
    best, best_score = None, -1.0
    for start in sorted(starts):
        if len(quote) <= ALIGNED_QUOTE_LENGTH:
            window_start = max(0, start - len(quote))
            window = body[window_start : start + 2 * len(quote)]
            found = _aligned_span(window, quote, window_start)
            span, score = (found[:2], found[2]) if found else (None, -1.0)
        else:
            span = (max(0, start), min(len(body), max(0, start) + len(quote)))
            compared = min(len(quote), COMPARED_LENGTH)
            score = fuzz.ratio(quote[:compared], body[span[0] : span[0] + compared])
        if span and span[1] > span[0] and score > best_score:
            best, best_score = span, score
    return (
        _to_whole_words(body, quote, best) if best and len(quote) <= ALIGNED_QUOTE_LENGTH else best
    )


def _to_whole_words(body, quote, span):
    """The span, moved by up to two words at either edge where that makes it more like the
    quote: an alignment can stop short of a first or last word the quote shares."""
    starts = [span[0]]
    for _ in range(2):
        previous = body.rfind(" ", 0, max(0, starts[-1] - 1))
        starts.append(previous + 1)
    ends = [span[1]]
    for _ in range(2):
        following = body.find(" ", ends[-1] + 1)
        ends.append(len(body) if following < 0 else following)
    return max(
        ((start, end) for start in starts for end in ends if end > start),
        key=lambda candidate: fuzz.ratio(quote, body[candidate[0] : candidate[1]]),
    )


def _aligned_span(text, quote, offset):
    """(start, end, score) of rapidfuzz's best alignment of `quote` in `text`, shifted by
    `offset`; None if there is none."""
    alignment = fuzz.partial_ratio_alignment(quote, text)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    return offset + alignment.dest_start, offset + alignment.dest_end, alignment.score


def _candidate_starts(body, quote):
    """Where in `body` the quote would start, as its rarest shared words place it: each
    place of such a word votes for a start, and the starts of the best-voted stretches
    (each a median of its votes) are returned, up to CANDIDATE_WINDOWS of them."""
    in_quote = {}
    for word in _WORD.finditer(quote):
        in_quote.setdefault(word.group(), []).append(word.start())
    # The longest words are likeliest to be rare; str.count bounds how often each stands.
    weighed = sorted(in_quote, key=len, reverse=True)[:WEIGHED_WORDS]
    frequency = {word: body.count(word) for word in weighed}
    rare, places = [], 0
    for word in sorted(filter(frequency.get, weighed), key=frequency.get):
        if len(rare) == RARE_WORDS or places + frequency[word] > MAX_PLACES:
            break
        rare.append(word)
        places += frequency[word]
    stretch = max(64, len(quote) // 2)
    votes, starts = Counter(), {}
    for word in rare:
        for place in _places(body, word):
            # A word the quote has more than once votes once for each of its first places.
            for offset in in_quote[word][:4]:
                start = place - offset
                votes[start // stretch] += 1 / frequency[word]
                starts.setdefault(start // stretch, []).append(start)
    return [int(median(starts[key])) for key, _ in votes.most_common(CANDIDATE_WINDOWS)]


def _places(text, word):
    """Where `word` stands in `text` as a whole word."""
    index = text.find(word)
    while index >= 0:
        end = index + len(word)
        if not (index and _is_word(text[index - 1])) and not (
            end < len(text) and _is_word(text[end])
        ):
            yield index
        index = text.find(word, index + 1)


def _is_word(char):
    """Whether `char` is part of a word as the closest-passage search reads words."""
    return char.isalnum() or char == "_"


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

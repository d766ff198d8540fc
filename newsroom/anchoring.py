"""Where a quote stands in a source's body: exact first, then normalised, then fuzzy.

Offsets are always into the body as stored, so the admin and readers can show the
quote in its surrounding text, and a re-import can tell whether it still stands there.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

FUZZY_THRESHOLD = 90.0

_TRANSLATE = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
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


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # "exact", "normalised" or "fuzzy"
    score: float


def normalise(text):
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


def anchor_quote(body, quote, threshold=FUZZY_THRESHOLD):
    """Locate `quote` in `body`, or return None when no passage is close enough."""
    quote = quote.strip()
    if not quote or not body:
        return None
    start = body.find(quote)
    if start >= 0:
        return Anchor(start, start + len(quote), "exact", 100.0)

    folded_body, origin = normalise(body)
    folded_quote, _ = normalise(quote)
    if not folded_quote:
        return None
    start = folded_body.find(folded_quote)
    if start >= 0:
        end = start + len(folded_quote) - 1
        return Anchor(origin[start], origin[end] + 1, "normalised", 100.0)

    alignment = fuzz.partial_ratio_alignment(folded_quote, folded_body)
    if alignment is None or alignment.score < threshold:
        return None
    return Anchor(
        origin[alignment.dest_start],
        origin[alignment.dest_end - 1] + 1,
        "fuzzy",
        round(alignment.score, 1),
    )


def closest_passage(body, quote):
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

"""Where a quote stands in a source's body: word for word, or after harmless folding.

Evidence is an exact quote, so a quote anchors only where the body has it word for word,
or differs from it only in whitespace, curly or straight quote marks, dashes and case. A
near-match is never an anchor: "Putin is not ready" is 93% like "Putin is ready". The
closest passage is only a hint for the editor, shown when a quote is refused.

Offsets are always into the body as stored, so the admin and readers can show the
quote in its surrounding text, and a re-import can tell whether it still stands there.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

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
    method: str  # "exact" or "normalised"
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


def anchor_quote(body, quote):
    """Locate `quote` in `body` word for word (exactly, or after normalise()), or return None."""
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
    if start < 0:
        return None
    end = start + len(folded_quote) - 1
    return Anchor(origin[start], origin[end] + 1, "normalised", 100.0)


def refusal_message(source, quote):
    """Why a quote is refused, with the source's closest passage as a hint for the editor."""
    passage = closest_passage(source.body, quote)
    message = f"This quote is not in “{source.title}” word for word."
    return f"{message} The closest passage is: “{passage}”" if passage else message


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


def reanchor_source(source, user=None):
    """Anchor every quote from `source` again in its current body, after its text changed.

    A quote still found word for word stays anchored at its new offsets; one that is not
    (its words changed, or are gone) is "lost", however close a passage the body now has.
    Claims citing a lost quote need re-checking: each is set to "needs re-check", with a
    history row and an audit log entry (by `user`, if an editor's action caused it), and
    saved so that what shows the claim's status refreshes. Returns those claims.
    """
    from newsroom.models import Evidence
    from newsroom.verification import flag_for_recheck

    lost_by_claim = {}
    changed = []
    for evidence in Evidence.objects.filter(source=source).order_by("pk"):
        anchor = anchor_quote(source.body, evidence.quote)
        if anchor is None:
            evidence.start_offset = evidence.end_offset = None
            evidence.anchor_method, evidence.anchor_score = "", None
            evidence.anchor_status = Evidence.AnchorStatus.LOST
            lost_by_claim.setdefault(evidence.claim_id, []).append(evidence.quote)
        else:
            evidence.apply_anchor(anchor)
        changed.append(evidence)
    Evidence.objects.bulk_update(
        changed,
        ["start_offset", "end_offset", "anchor_method", "anchor_score", "anchor_status"],
    )
    flagged = []
    for claim_id in sorted(lost_by_claim):
        quotes = "; ".join(f"“{quote[:80]}”" for quote in lost_by_claim[claim_id])
        note = f"“{source.title}” changed and no longer has word for word: {quotes}"
        flagged.append(flag_for_recheck(claim_id, note, user=user))
    return flagged

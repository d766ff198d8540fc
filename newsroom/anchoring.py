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


def reanchor_source(source, previous_body=None):
    """Anchor every quote from `source` again in its current body, after its text changed.

    A quote found word for word (exactly or after folding quotes, dashes and case) stays
    anchored at its new offsets. A quote found only fuzzily now, at a passage whose words
    differ from those it was anchored to in `previous_body`, is "moved"; a quote no longer
    found is "lost". Claims citing a moved or lost quote need re-checking: they are set to
    "needs re-check" and returned.
    """
    from newsroom.models import Claim, Evidence

    flagged_claim_ids = set()
    changed = []
    for evidence in Evidence.objects.filter(source=source).order_by("pk"):
        old_passage = _passage(previous_body, evidence.start_offset, evidence.end_offset)
        anchor = anchor_quote(source.body, evidence.quote)
        if anchor is None:
            evidence.start_offset = evidence.end_offset = None
            evidence.anchor_method, evidence.anchor_score = "", None
            evidence.anchor_status = Evidence.AnchorStatus.LOST
        else:
            evidence.apply_anchor(anchor)
            same_words = source.body[anchor.start : anchor.end] == old_passage
            if anchor.method == "fuzzy" and not same_words:
                evidence.anchor_status = Evidence.AnchorStatus.MOVED
        if evidence.anchor_status != Evidence.AnchorStatus.ANCHORED:
            flagged_claim_ids.add(evidence.claim_id)
        changed.append(evidence)
    Evidence.objects.bulk_update(
        changed,
        ["start_offset", "end_offset", "anchor_method", "anchor_score", "anchor_status"],
    )
    claims = list(Claim.objects.filter(pk__in=flagged_claim_ids).order_by("pk"))
    Claim.objects.filter(pk__in=flagged_claim_ids).update(status=Claim.Status.NEEDS_RECHECK)
    for claim in claims:
        claim.status = Claim.Status.NEEDS_RECHECK
    return claims


def _passage(body, start, end):
    if body is None or start is None or end is None:
        return None
    return body[start:end]

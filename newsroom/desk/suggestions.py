"""Passages from other sources that probably support or contradict a claim.

How an editor finds corroboration across outlets quickly: the database first narrows the
sources to those sharing the claim's significant terms, then each sentence of those is
scored by term overlap weighted by rarity (TF-IDF-like, over the candidate sentences),
blended with rapidfuzz's token-set similarity. A sentence that negates where the claim
does not (or the reverse) is suggested as disputing.

The admin views ask cached_suggestions(), which computes them once per change to what they
depend on (the claim's statement, the sources it cites, any source added, changed or
deleted) and keeps them in Django's cache, so a view costs a few queries, not a search.
"""

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add

from django.core.cache import cache
from django.db.models import Case, Count, Max, Q, Value, When
from rapidfuzz import fuzz

from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.text import STOPWORDS

STEM_LENGTH = 5
MAX_TERMS = 12
CANDIDATE_SOURCES = 40
PER_SOURCE = 2
MIN_SCORE = 0.35
MIN_SENTENCE, MAX_SENTENCE = 25, 600
# Long enough to spare a busy desk the search; a change to a source or the claim makes a
# new key at once, so this only bounds how long an unused entry stays.
CACHE_SECONDS = 60 * 60 * 24

_NEGATION_CUES = """not no never nor neither none nobody nothing without deny denies denied denial
    reject rejects rejected refuse refuses refused refusal false untrue dismiss dismissed
    dismisses unacceptable cannot"""
NEGATION_CUES = frozenset(_NEGATION_CUES.split())
# Unlike the subject words of newsroom.desk.text, a sentence's words here keep their numbers
# ("21 December") and contractions (a "n't" negates).
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
LAST_WORD = re.compile(r"(\S+)$")
# Words a full stop follows without ending a sentence ("Dec. 21", "Mr. Peskov", "U.S.").
_ABBREVIATIONS = (
    "mr mrs ms dr st jr sr gen col lt sen rep gov prof no vs etc jan feb mar apr jun jul aug "
    "sep sept oct nov dec u.s u.k e.g i.e"
)
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())


@dataclass(frozen=True)
class Suggestion:
    """A sentence of a source worth citing, where it stands, and the stance it seems to take
    (a guess from its negations, shown to the editor as a hint)."""

    source: Source
    quote: str
    start: int
    end: int
    stance: str
    score: float
    shared_terms: tuple


def words(text: str) -> list[str]:
    return [word.lower().replace("’", "'") for word in WORD.findall(text)]


def stem(word: str) -> str:
    return word[:STEM_LENGTH]


def significant_stems(text: str) -> list[str]:
    """The claim's content words, cut to a common stem (so "dialog" meets "dialogue")."""
    seen = []
    for word in words(text):
        if word in STOPWORDS or (len(word) < 3 and not word.isdigit()):
            continue
        if stem(word) not in seen:
            seen.append(stem(word))
    return seen[:MAX_TERMS]


def is_negated(text: str) -> bool:
    """Whether a sentence says no: an odd number of negations, so "Moscow does not refuse
    dialogue" agrees with "Moscow is open to dialogue" while "Moscow refuses it" does not.
    Only a hint for the editor, who picks the stance."""
    cues = sum(word in NEGATION_CUES or word.endswith("n't") for word in words(text))
    return cues % 2 == 1


def sentences(source: Source) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of the body. A line break ends a sentence in prose
    (headlines, list items); in a transcript only a blank line does, as its lines run on."""
    body = source.body
    paragraph_break = r"\n\s*\n" if source.kind == Source.Kind.TRANSCRIPT else r"\n"
    paragraph_start = 0
    for found in [*re.finditer(paragraph_break, body), None]:
        paragraph_end = found.start() if found else len(body)
        yield from _sentences_in(body, paragraph_start, paragraph_end)
        paragraph_start = found.end() if found else len(body)


def _sentences_in(body, start, end):
    for boundary in SENTENCE_END.finditer(body, start, end):
        word = LAST_WORD.search(body, start, boundary.start() + 1)
        following = body[boundary.end() : end].lstrip()[:1]
        if (word and _is_abbreviation(word.group())) or following.islower():
            continue
        yield from _trimmed(body, start, boundary.end())
        start = boundary.end()
    yield from _trimmed(body, start, end)


def _is_abbreviation(word):
    word = word.lower().rstrip(".")
    return word in ABBREVIATIONS or len(word) == 1


def _trimmed(body, start, end):
    text = body[start:end]
    start += len(text) - len(text.lstrip())
    end -= len(text) - len(text.rstrip())
    if MIN_SENTENCE <= end - start <= MAX_SENTENCE:
        yield start, end


def candidate_sources(claim: Claim, stems: Sequence[str], exclude: Iterable[int]) -> list[Source]:
    """Sources sharing the most significant terms with the claim, found by the database."""
    if not stems:
        return []
    shared = reduce(
        add,
        [Case(When(body__icontains=term, then=Value(1)), default=Value(0)) for term in stems],
    )
    needed = min(2, len(stems))
    return list(
        Source.objects.exclude(pk__in=exclude)
        .filter(reduce(lambda left, right: left | right, [Q(body__icontains=t) for t in stems]))
        .annotate(shared_terms=shared)
        .filter(shared_terms__gte=needed)
        .select_related("outlet")
        .order_by("-shared_terms", "pk")
        .only("pk", "title", "body", "kind", "segments", "outlet__name")[:CANDIDATE_SOURCES]
    )


def suggest_evidence(claim: Claim, limit: int = 10) -> list[Suggestion]:
    """Up to `limit` sentences from sources the claim doesn't cite yet, best first."""
    stems = significant_stems(claim.statement)
    cited = {evidence.source_id for evidence in claim.evidence.all()}
    passages = []
    for source in candidate_sources(claim, stems, cited):
        for start, end in sentences(source):
            text = source.body[start:end]
            present = set(stems) & {stem(word) for word in words(text)}
            if len(present) >= min(2, len(stems)):
                passages.append((source, start, end, present))
    if not passages:
        return []

    document_frequency = Counter(term for *_, present in passages for term in present)
    weight = {
        term: math.log((len(passages) + 1) / (document_frequency[term] + 1)) + 1 for term in stems
    }
    total = sum(weight.values())
    claim_negated = is_negated(claim.statement)
    scored = []
    for source, start, end, present in passages:
        text = source.body[start:end]
        overlap = sum(weight[term] for term in present) / total
        similarity = fuzz.token_set_ratio(claim.statement.lower(), text.lower()) / 100
        score = round(0.75 * overlap + 0.25 * similarity, 3)
        if score < MIN_SCORE:
            continue
        stance = (
            Evidence.Stance.DISPUTES
            if is_negated(text) != claim_negated
            else Evidence.Stance.SUPPORTS
        )
        terms = tuple(term for term in stems if term in present)
        scored.append(Suggestion(source, text, start, end, stance, score, terms))
    scored.sort(key=lambda suggestion: (-suggestion.score, suggestion.source.pk, suggestion.start))
    return _spread(scored, limit)


def _spread(scored, limit):
    """At most PER_SOURCE passages from any one source, so other outlets get a look in."""
    chosen, per_source = [], Counter()
    for suggestion in scored:
        if per_source[suggestion.source.pk] >= PER_SOURCE:
            continue
        per_source[suggestion.source.pk] += 1
        chosen.append(suggestion)
        if len(chosen) == limit:
            break
    return chosen


def cached_suggestions(claim: Claim, limit: int = 10) -> list[Suggestion]:
    """suggest_evidence(), computed once per change to what it depends on and then read
    from the cache: the claim's statement, the sources it cites, and the sources at large
    (how many there are and when one last changed)."""
    key = _cache_key(claim, limit)
    stored = cache.get(key)
    if stored is None:
        found = suggest_evidence(claim, limit)
        cache.set(key, [_stored(suggestion) for suggestion in found], CACHE_SECONDS)
        return found
    sources = (
        Source.objects.select_related("outlet")
        .only("pk", "title", "kind", "outlet__name")
        .in_bulk({source_id for source_id, *_ in stored})
    )
    return [
        Suggestion(sources[source_id], *rest) for source_id, *rest in stored if source_id in sources
    ]


def _cache_key(claim, limit):
    sources = Source.objects.aggregate(count=Count("pk"), changed=Max("updated_at"))
    cited = sorted({evidence.source_id for evidence in claim.evidence.all()})
    depends_on = repr((claim.statement, cited, sources["count"], sources["changed"], limit))
    digest = hashlib.sha256(depends_on.encode()).hexdigest()
    return f"newsroom:suggestions:{claim.pk}:{digest}"


def _stored(suggestion):
    """A suggestion as the cache keeps it: its source by id, so no body is stored."""
    return (
        suggestion.source.pk,
        suggestion.quote,
        suggestion.start,
        suggestion.end,
        suggestion.stance,
        suggestion.score,
        suggestion.shared_terms,
    )

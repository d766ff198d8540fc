"""Claims that already say what a statement says, so the desk does not write a fact twice.

The database narrows the claims to a bounded set of candidates: on PostgreSQL, those holding
two of the statement's six rarest lexemes (three or four of words ANALYZE found common; as
it counted them for the full-text GIN index of migration 0009, which finds them), best pg_trgm
similarity first; on SQLite, those sharing the most of its rarest words. Either way the
candidates are then scored alike, by rapidfuzz's token-sort ratio of the normalised
statements, so a score means the same on both databases. A claim scoring
NEWSROOM_SIMILAR_SUGGESTED or more is listed beside the claim form; from
NEWSROOM_SIMILAR_CONFIRMED, saving warns of a near-duplicate. Exact duplicates (the same
words, whatever their case, spacing, punctuation and quote marks) share a statement hash
and always score 1.

A lookup costs a fixed number of queries, whatever the size of the desk: the candidates
(two: the rarest words, then the claims holding them), the listed claims with their
evidence counts, and the live explainers citing them (asked through the
desk's citations hook, as the desk knows nothing of pages).
"""

from dataclasses import dataclass
from functools import reduce
from itertools import combinations
from operator import add, and_, or_

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import Case, Count, Q, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from rapidfuzz import fuzz

from newsroom.desk.actions.claims import live_citations
from newsroom.desk.models import Claim
from newsroom.desk.text import content_words, normalised_statement, statement_hash

# How many claims the database hands over to be scored, at most.
CANDIDATES = 60
# On PostgreSQL: how many of the statement's rarest lexemes pick the candidates (enough
# that a clause added, with rare names of its own, leaves the original's rare words in).
RARE_LEXEMES = 6
# On SQLite: how many of the statement's words are counted, and how many of the rarest of
# them pick the candidates.
COUNTED_WORDS = 12
RARE_WORDS = 4
# The full-text index on the statement (migration 0009), whose lexeme frequencies ANALYZE keeps.
FULL_TEXT_INDEX = "claim_statement_fts"
# A statement longer than a claim's can be is no claim's (the endpoint refuses it).
MAX_STATEMENT = Claim._meta.get_field("statement").max_length


@dataclass(frozen=True)
class SimilarClaim:
    """An existing claim close to a statement: how close (0 to 1), whether it is the same
    statement, and what an editor weighs before writing another (status, evidence, which
    live explainers cite it)."""

    claim: Claim
    score: float
    exact: bool
    evidence_count: int
    citing: tuple[str, ...]

    @property
    def confirmed(self) -> bool:
        """Close enough to be the same claim reworded: saving warns of it."""
        return self.exact or self.score >= settings.NEWSROOM_SIMILAR_CONFIRMED


def similar_claims(statement: str, exclude: int | None = None, limit: int = 8) -> list:
    """Up to `limit` claims (drafts included) whose statements are like `statement`, as
    SimilarClaims, closest first; the claim `exclude` (the one being edited) is left out."""
    normalised = normalised_statement(statement)
    if not normalised:
        return []
    digest = statement_hash(statement)
    others = Claim.objects.exclude(pk=exclude) if exclude else Claim.objects.all()
    if connection.vendor == "postgresql":
        candidates = list(postgres_candidates(others, statement, digest))
    else:
        candidates = word_candidates(others, normalised, digest)
    scored = []
    for pk, text, candidate_hash in candidates:
        exact = candidate_hash == digest
        score = 1.0 if exact else fuzz.token_sort_ratio(normalised, normalised_statement(text))
        score = score if exact else round(score / 100, 3)
        if score >= settings.NEWSROOM_SIMILAR_SUGGESTED:
            scored.append((pk, score, exact))
    scored.sort(key=lambda found: (-found[1], found[0]))
    return described(scored[:limit])


def postgres_candidates(claims, statement, digest):
    """(pk, statement, hash) of the claims holding enough of the statement's rarest lexemes
    (English stemming), found through the full-text index, or with the same hash, ranked by
    pg_trgm similarity. A reworded claim keeps most of its rare words, and a pair of them is
    in few claims, so the index reads short lists (pg_trgm's own `%` would read the list of
    every trigram, common ones included). Words ANALYZE found common (the famous names a
    desk writes about every day, which come in pairs: "Kaja Kallas") count only by three or
    four."""
    rare = rarest_lexemes(statement)
    same = Q(statement_hash=digest)
    if rare:
        words = {lexeme: SearchQuery(lexeme, config="simple") for lexeme, _ in rare}
        common = {lexeme for lexeme, is_common in rare if is_common}
        # Three common words, or four when most are: "new sanctions on Russian oil" always
        # come together, and a famous claim is mostly such words.
        together = 4 if len(common) > len(words) - 2 else 3
        groups = [
            group
            for size in {2, together}
            for group in combinations(words, size)
            if (size == together) == common.issuperset(group)
        ]
        wanted = [reduce(and_, (words[lexeme] for lexeme in group)) for group in groups]
        same |= Q(matched=reduce(or_, wanted or words.values()))
    return (
        claims.annotate(matched=SearchVector("statement", config="english"))
        .filter(same)
        .annotate(similarity=TrigramSimilarity("statement", statement))
        .order_by("-similarity", "pk")
        .values_list("pk", "statement", "statement_hash")[:CANDIDATES]
    )


def rarest_lexemes(statement):
    """The statement's RARE_LEXEMES rarest lexemes, each with whether ANALYZE found it common
    (among the most common elements it keeps for the full-text index; the others are
    rarer), longest first among equals. A hyphenated word counts by its parts, which the
    index holds too, so "Johnson-Cunningham" is not three rare words."""
    with connection.cursor() as cursor:
        cursor.execute(RARITY, [FULL_TEXT_INDEX, statement, RARE_LEXEMES])
        return cursor.fetchall()


RARITY = """
    WITH stats AS MATERIALIZED (
        SELECT most_common_elems::text::text[] AS lexemes, most_common_elem_freqs AS freqs
        FROM pg_stats
        WHERE schemaname = current_schema() AND tablename = %s
    )
    SELECT word.lexeme, stats.freqs[array_position(stats.lexemes, word.lexeme)] IS NOT NULL
    FROM unnest(to_tsvector('english', %s)) AS word LEFT JOIN stats ON true
    WHERE word.lexeme NOT LIKE '%%-%%'
    ORDER BY stats.freqs[array_position(stats.lexemes, word.lexeme)] NULLS FIRST,
        length(word.lexeme) DESC, word.lexeme
    LIMIT %s
"""


def word_candidates(claims, normalised, digest):
    """(pk, statement, hash) of the claims sharing the most of the statement's rarest
    words (counted in one query, matched in another), or with the same hash."""
    words = list(dict.fromkeys(content_words(normalised)))[:COUNTED_WORDS]
    rare = []
    if words:
        counts = claims.aggregate(
            **{f"w{n}": Count("pk", filter=Q(statement__icontains=w)) for n, w in enumerate(words)}
        )
        present = [(counts[f"w{n}"], word) for n, word in enumerate(words) if counts[f"w{n}"]]
        rare = [word for _, word in sorted(present)[:RARE_WORDS]]
    same = Q(statement_hash=digest)
    if not rare:
        found = claims.filter(same)
    else:
        shared = reduce(
            add, [Case(When(statement__icontains=w, then=Value(1)), default=Value(0)) for w in rare]
        )
        found = (
            claims.filter(reduce(or_, [Q(statement__icontains=w) for w in rare], same))
            .annotate(shared=shared)
            .order_by("-shared", "-pk")
        )
    return list(found.values_list("pk", "statement", "statement_hash")[:CANDIDATES])


def described(scored):
    """The scored (pk, score, exact) as SimilarClaims, with their evidence counts and
    citing explainers, in two steps whatever their number."""
    if not scored:
        return []
    claims = Claim.objects.annotate(evidence_count=Count("evidence")).in_bulk(
        [pk for pk, *_ in scored]
    )
    citing = live_citations(list(claims))
    return [
        SimilarClaim(
            claim=claims[pk],
            score=score,
            exact=exact,
            evidence_count=claims[pk].evidence_count,
            citing=tuple(citing.get(pk, ())),
        )
        for pk, score, exact in scored
        if pk in claims
    ]


def near_duplicates(claim: Claim) -> list[SimilarClaim]:
    """The other claims close enough to `claim` to be the same claim reworded (or the very
    same words): saving it warns of them."""
    return [found for found in similar_claims(claim.statement, exclude=claim.pk) if found.confirmed]


def live_duplicate(statement: str, exclude: int | None = None) -> Claim | None:
    """A published claim with exactly this statement (by its hash), other than `exclude`:
    a new claim saying it is refused, as explainers should cite that one."""
    found = Claim.objects.filter(statement_hash=statement_hash(statement), live=True)
    if exclude:
        found = found.exclude(pk=exclude)
    return found.order_by("pk").first()


def claim_link(claim: Claim, edit_url_name: str) -> str:
    return format_html('<a href="{}">“{}”</a>', reverse(edit_url_name, args=[claim.pk]), claim)


def warning_about(duplicates: list[SimilarClaim], edit_url_name: str) -> str:
    """What saving a claim that others already say tells the editor, naming them with
    links (safe HTML: the statements are escaped)."""
    listed = format_html_join(
        "; ", "{} ({})", ((claim_link(d.claim, edit_url_name), kind(d)) for d in duplicates)
    )
    return format_html(
        "Saved, but the desk already has a claim saying this: {}. If it is the same fact, "
        "cite that claim instead and withdraw this one.",
        listed,
    )


def kind(duplicate: SimilarClaim) -> str:
    state = duplicate.claim.get_status_display().lower()
    if not duplicate.claim.live:
        state += ", draft"
    same = "same statement" if duplicate.exact else f"{duplicate.score:.0%} similar"
    return f"{same}, {state}"


def refusal_of(duplicate: Claim, edit_url_name: str) -> str:
    """Why a statement a published claim already makes, word for word, is refused."""
    return format_html(
        "A published claim already says this: {}. Cite that claim instead, or reword this one.",
        claim_link(duplicate, edit_url_name),
    )

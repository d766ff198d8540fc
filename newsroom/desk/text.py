"""Plain text, as the desk and the reader app both read it: which words say nothing about
what a text is about, which words might, and a count said in words. Pure Python, no Django,
so the importer's cleaning, evidence suggestions and related stories agree on what a word is.
"""

import hashlib
import re
import unicodedata
from collections.abc import Container

# Words too common to say what a text is about: English function words, the verbs news copy
# reports everything with, and the fillers of headlines.
_STOPWORD_TEXT = """
    a about above after again against all also am among an and any are as at be because been
    before being below between both but by can cannot could did do does doing down during each
    even ever few for from further had has have having he her here hers him his how i if in
    into is it its itself just least less like made make many more most much must my near
    never no nor not now of off on once only or other ought our out over own same she should
    since so some such than that the their theirs them then there these they this those
    through to too under until up upon very was we were what when where which while who whom
    whose why will with within without would you your yours
    according say said says stated tells told
    new
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# A word that can carry a subject: four letters or more, no digits ("2025" or "G7" say when
# or which, not what).
CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def content_words(text: str, stopwords: Container[str] = STOPWORDS) -> list[str]:
    """The words of a text that can say what it is about, case-folded, in order."""
    return [word for word in CONTENT_WORD.findall(text.casefold()) if word not in stopwords]


# A run of letters and digits: what is left of a statement once its punctuation, quote marks,
# dashes and spacing are set aside.
STATEMENT_WORD = re.compile(r"[^\W_]+")


def normalised_statement(text: str) -> str:
    """A statement reduced to its words: Unicode NFKC (full-width letters, ligatures),
    case-folded, with punctuation, quote marks and dashes dropped and spacing made single.
    Two statements that differ only in those are the same statement."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(STATEMENT_WORD.findall(folded))


def statement_hash(text: str) -> str:
    """The SHA-256 of normalised_statement(): exact duplicates share it."""
    return hashlib.sha256(normalised_statement(text).encode()).hexdigest()


def counted(number: int, noun: str) -> str:
    """A count and its noun, plural unless there is one: "1 source", "3 sources"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"

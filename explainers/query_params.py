"""What the public site and its read API accept in a query string, in one place.

A reader's query string is untrusted: it may carry NUL bytes, quotes a search backend
cannot parse, hundreds of terms, numbers past the database's integers or operators no
backend knows. Search text is cleaned (words only, capped in length and number of terms),
so any text searches; every other value a view reads is checked here, and a bad one is
refused with a short message (a 400), never left to fail deeper down as a server error.
"""

import re
from collections.abc import Mapping

from wagtail.api.v2.utils import BadRequestError

from newsroom.desk.ids import DATABASE_INT_MAX, parse_id

MAX_SEARCH_LENGTH = 200
MAX_SEARCH_TERMS = 20
# Longer than any value the API's parameters need (field lists included).
MAX_VALUE_LENGTH = 500

# A word, with inner apostrophes or hyphens ("Kremlin's", "cease-fire"): everything else
# (quotes, operators, brackets, control characters) is what search backends parse, or
# choke on, and means nothing to a reader's search.
SEARCH_WORD = re.compile(r"\w+(?:['’-]\w+)*")

SEARCH_OPERATORS = frozenset(["and", "or"])
# The pages endpoint's whole numbers: where they are counted from.
PAGES_COUNTS = {"offset": 0, "limit": 0}
PAGES_IDS = ("id", "child_of", "descendant_of", "ancestor_of")


def clean_search(text: str) -> str:
    """The words of a reader's search, at most MAX_SEARCH_TERMS of them, read from its first
    MAX_SEARCH_LENGTH characters; "" when there are none."""
    words = SEARCH_WORD.findall(text[:MAX_SEARCH_LENGTH])
    return " ".join(words[:MAX_SEARCH_TERMS])


def check_count(name: str, value: str, lowest: int) -> None:
    """BadRequestError unless `value` is a whole number from `lowest` to DATABASE_INT_MAX."""
    text = value.strip()
    if text.isascii() and text.isdigit() and lowest <= int(text) <= DATABASE_INT_MAX:
        return
    raise BadRequestError(f"{name} must be a whole number from {lowest} to {DATABASE_INT_MAX}")


def check_pages_params(params: Mapping[str, str]) -> None:
    """Refuse, with BadRequestError, a query to /api/v2/pages/ (listing, detail or find)
    that Wagtail would fail on: an over-long value or one holding a NUL, a number or page
    id out of range, an unknown search operator (the search itself is cleaned, not
    refused). Wagtail answers the rest, refusing unknown parameters."""
    for name in params:
        if name == "search":
            continue
        value = params.get(name) or ""
        if len(value) > MAX_VALUE_LENGTH:
            raise BadRequestError(f"{name} is longer than {MAX_VALUE_LENGTH} characters")
        # PostgreSQL refuses NUL in any text it is asked to compare (a path, a slug).
        if "\x00" in value:
            raise BadRequestError(f"{name} cannot contain a NUL character")
    for name, lowest in PAGES_COUNTS.items():
        if name in params:
            check_count(name, params[name], lowest)
    for name in PAGES_IDS:
        if name in params and parse_id(params[name]) is None:
            raise BadRequestError(f"{name} must be a page id from 1 to {DATABASE_INT_MAX}")
    operator = params.get("search_operator")
    if operator is not None and operator not in SEARCH_OPERATORS:
        raise BadRequestError("search_operator must be 'and' or 'or'")


def whole_number(value: str) -> str | None:
    """`value` written the one way int() reads it ("07", " 7" and "7" are "7"); else None."""
    try:
        return str(int(value))
    except ValueError:
        return None


def listing_page(value: str) -> str:
    """A listing's `page`, as Django's Paginator.get_page reads it: not a whole number is the
    first page, as is 1 ("" for both)."""
    number = whole_number(value)
    return "" if number in (None, "1") else number


def sitemap_page(value: str) -> str:
    """The sitemap's `p`, as Django's sitemap view reads it: 1 is the first page, a value
    that is not a whole number a 404 (kept as it came: a 404 is never cached)."""
    number = whole_number(value)
    if number is None:
        return value
    return "" if number == "1" else number


# Every query parameter a cached reader's page reads, and the one way each value is written.
# The page cache keys on these alone (explainers/page_cache/store.py), and Varnish drops
# every other parameter from reader paths before it looks for a copy
# (deploy/varnish/default.vcl, held to this list by tests/security/test_query_flood.py), so
# `?utm_x=<anything>` is the same page. A view declares which of them it reads
# (explainers.page_cache.query); an answer to a query holding a parameter its view did not
# read is kept by no cache. The read API keys its own answers (explainers.api_cache).
READER_PARAMS = {
    "page": listing_page,
    "p": sitemap_page,
    "q": clean_search,
}


def reader_query(params: Mapping[str, str]) -> dict[str, str]:
    """The reader parameters of a query, each in its canonical form; those whose canonical
    form is empty (the default) left out."""
    canonical = {}
    for name, canonical_form in READER_PARAMS.items():
        value = params.get(name)
        if value is not None and (value := canonical_form(value)):
            canonical[name] = value
    return canonical

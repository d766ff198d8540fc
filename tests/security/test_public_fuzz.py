"""Fuzzing the public surface: Hypothesis draws hostile query strings (Unicode, NUL bytes,
huge and negative numbers, repeated keys, very long values, the shapes that once made the
importer's cleaning quadratic, the parameters each endpoint reads and others) for every
reader URL and API endpoint, tag slugs in any script, made-up parameters (never a new copy
in the page cache) and request bodies of any method (refused unread with 413), and hostile
content codings and charsets for the fetcher. No answer may be a server error,
and each must come within a time bound: a guard against a request tying up a worker, not a
benchmark (issue #14, item 7; issue #25). It runs on SQLite and, with DATABASE_URL set, on
PostgreSQL."""

import gzip
import re
import time
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainers.models import Correction
from explainers.query_params import READER_PARAMS
from tests.factories import ClaimFactory, explainer_index, explainer_page
from tests.security.test_query_flood import entries as page_cache_entries

pytestmark = pytest.mark.django_db

TIME_BOUND = 2.0
EXAMPLES = 20

# The parameters the public views and APIs read, and a few they do not.
PARAMETER_NAMES = [
    "q",
    "page",
    "page_size",
    "search",
    "search_operator",
    "offset",
    "limit",
    "id",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "type",
    "fields",
    "order",
    "html_path",
    "locale",
    "translation_of",
    "slug",
    "title",
    "tags",
    "format",
    "_",
]

# The shapes that made the importer's cleaning quadratic (issue #25), as a reader could
# type them into a search box or a parameter: a word repeated, a timed line, long runs of
# spaces, blank lines or punctuation after a word, nested brackets, speaker labels.
ADVERSARIAL = [
    "comment " * 500,
    "00:01 " + "and " * 1000,
    "like" + " " * 4000 + "x",
    "1" + "\n" * 4000 + "x",
    "(" * 2000 + ")" * 2000,
    "JOHN SMITH: [00:01] " * 200,
    ", " * 2000,
]
huge_numbers = st.integers(min_value=-(2**80), max_value=2**80).map(str)
values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(
        lambda text: text * 400
    ),
    huge_numbers,
    st.text(max_size=20).map(lambda text: text + "\x00"),
    st.sampled_from(["\x00", '"x', "a OR b", "*", "-", "()", "NEAR(a b)", "and", "or", "xor"]),
    st.lists(st.text(max_size=6), min_size=100, max_size=700).map(" ".join),
    st.sampled_from(ADVERSARIAL),
)


@pytest.fixture
def public_site(db):
    """A published explainer citing a claim, with a tag and a correction; the URLs readers
    and apps can ask for."""
    page = explainer_page(title="Kremlin talks", tags=["Élysée", "Diplomacy"])
    Correction.objects.create(page=page, kind=Correction.Kind.values[0], text="A date was wrong.")
    claim = ClaimFactory()
    index = explainer_index()
    return {
        "home": "/",
        "index": index.url,
        "explainer": page.url,
        "tag": index.url + "tag/diplomacy/",
        "search": "/search/",
        "corrections": "/corrections/",
        "rss": "/feeds/explainers.rss",
        "atom": "/feeds/explainers.atom",
        "corrections rss": "/feeds/corrections.rss",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "pages api": "/api/v2/pages/",
        "page api": f"/api/v2/pages/{page.pk}/",
        "find api": "/api/v2/pages/find/",
        "claims api": "/api/claims/",
        "claim api": f"/api/claims/{claim.pk}/",
    }


PAGES_API = ["search", "search_operator", "offset", "limit", "type", "fields", "order"]
PAGES_API += ["child_of", "descendant_of", "ancestor_of", "id", "slug", "title", "locale"]
# Each public URL, and the parameters it reads: drawn more often than others.
SURFACE = {
    "home": [],
    "index": ["page"],
    "explainer": [],
    "tag": ["page"],
    "search": ["q", "page"],
    "corrections": ["page"],
    "rss": [],
    "atom": [],
    "corrections rss": [],
    "sitemap": ["p", "section"],
    "robots": [],
    "pages api": PAGES_API,
    "page api": ["fields", "rich_text_format"],
    "find api": ["id", "html_path"],
    "claims api": ["page", "page_size"],
    "claim api": [],
}


def query_strings(read):
    """Query strings of up to six pairs, keys repeated at will, mostly ones a URL reads."""
    names = st.one_of(
        *([st.sampled_from(read)] * 3 if read else []),
        st.sampled_from(PARAMETER_NAMES),
        st.text(max_size=12),
    )
    return st.lists(st.tuples(names, values), max_size=6).map(urlencode)


def assert_answers_promptly(client, url):
    started = time.monotonic()
    response = client.get(url)
    elapsed = time.monotonic() - started
    assert response.status_code < 500, (url, response.status_code)
    assert elapsed < TIME_BOUND, (url, elapsed)


@pytest.mark.parametrize("name", SURFACE)
def test_no_query_string_breaks_a_public_url(client, public_site, name):
    url = public_site[name]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query_strings(SURFACE[name]))
    def answers(query_string):
        assert_answers_promptly(client, f"{url}?{query_string}")

    answers()


# The reader URLs the page cache keeps (the API keeps its own canonical keys; a search's
# answers are never kept).
CACHED = [name for name in SURFACE if "api" not in name and name != "search"]
# Parameter names no reader page reads: they cannot be part of any cache key.
UNREAD_NAMES = st.one_of(
    st.sampled_from([name for name in PARAMETER_NAMES if name not in READER_PARAMS]),
    st.text(min_size=1, max_size=12).filter(lambda name: name not in READER_PARAMS),
)


@pytest.mark.parametrize("name", CACHED)
def test_no_made_up_parameter_adds_a_copy_to_the_page_cache(client, public_site, name):
    """Query strings of parameters no reader page reads, any values: each is answered from
    the one copy kept for the bare URL (issue #25, item 8)."""
    url = public_site[name]
    client.get(url)
    kept = page_cache_entries()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(st.tuples(UNREAD_NAMES, values), min_size=1, max_size=6).map(urlencode))
    def answers_from_the_copy(query_string):
        response = client.get(f"{url}?{query_string}")
        assert response.status_code == 200, (query_string, response.status_code)
        assert response["X-Page-Cache"] == "hit", query_string
        assert page_cache_entries() == kept

    answers_from_the_copy()


BODY_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json",
    "text/plain",
    "application/octet-stream",
]


@pytest.mark.parametrize("name", SURFACE)
def test_no_request_body_reaches_a_reader_url(client, public_site, name):
    """Any method carrying any body to a reader URL or API endpoint is refused with 413,
    unread, within the time bound (issue #25, item 10)."""
    url = public_site[name]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        method=st.sampled_from(BODY_METHODS),
        body=st.one_of(st.binary(min_size=1, max_size=2000), st.sampled_from(ADVERSARIAL)),
        content_type=st.sampled_from(CONTENT_TYPES),
    )
    def refused(method, body, content_type):
        started = time.monotonic()
        response = client.generic(method, url, body, content_type=content_type)
        assert time.monotonic() - started < TIME_BOUND
        assert response.status_code == 413, (method, response.status_code)

    refused()


def test_no_tag_slug_breaks_the_tag_route(client, public_site):
    index_url = public_site["index"]

    @settings(max_examples=EXAMPLES * 2, deadline=None)
    @given(st.text(min_size=1, max_size=300))
    def answers(slug):
        assert_answers_promptly(client, f"{index_url}tag/{quote(slug, safe='')}/")

    answers()


# The fetcher's surface, a page a hostile site serves: any Content-Encoding, any charset
# label in the header or in the markup, over any body, ends in a page or one refusal, never
# an exception, within the fetch deadline.
FETCH_TIME_BOUND = 5.0
UNEXPECTED = re.compile(r"could not be fetched: [A-Z]\w*(Error|Exception): ")
coding_values = st.one_of(
    st.sampled_from(["gzip", "x-gzip", "deflate", "identity", "br", "zstd", "compress"]),
    st.lists(st.sampled_from(["gzip", "deflate", "identity", "br", " ", ""]), max_size=4).map(
        ", ".join
    ),
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30),
)
charset_labels = st.one_of(
    st.sampled_from(["utf-8", "windows-1251", "iso-8859-1", "utf-16", "x-user-defined"]),
    st.sampled_from(
        ["rot13", "zlib", "base64", "punycode", "uu", "hex", "bz2", "undefined", "idna"]
    ),
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20),
)


def test_no_coding_or_charset_breaks_a_fetch(hostile_site):
    from newsroom.desk.importing.fetching import FetchedPage, FetchRefused, fetch_all
    from newsroom.desk.importing.reading import UnreadableSource
    from tests.security.hostile_web import grain_page, stacked_gzip_bomb

    page = grain_page().encode()
    bodies = {
        "plain": page,
        "gzipped": gzip.compress(page),
        "stacked bomb": stacked_gzip_bomb(),
        "junk": bytes(range(256)),
    }

    @settings(
        max_examples=EXAMPLES * 2,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        coding=coding_values,
        label=charset_labels,
        in_meta=st.booleans(),
        body=st.sampled_from(sorted(bodies)),
    )
    def fetches(coding, label, in_meta, body):
        data = bodies[body]
        if in_meta and body == "plain":
            data = data.replace(b'<meta charset="utf-8">', f'<meta charset="{label}">'.encode())
        content_type = "text/html" if in_meta else f"text/html; charset={label}"
        hostile_site.page("/fuzzed", data, content_type, **{"Content-Encoding": coding})
        started = time.monotonic()
        [result] = fetch_all([f"{hostile_site.url}/fuzzed"])
        assert time.monotonic() - started < FETCH_TIME_BOUND
        assert isinstance(result, FetchedPage | FetchRefused)
        if isinstance(result, FetchedPage):
            try:
                text = result.text()
            except UnreadableSource:  # the reader's own refusal (a binary body, say)
                return
            assert isinstance(text.text, str)
        else:
            # An exception the fetcher did not expect shows as "could not be fetched: Kind:".
            assert not UNEXPECTED.match(str(result)), result

    fetches()

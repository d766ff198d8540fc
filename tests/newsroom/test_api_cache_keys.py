"""The API's caches cannot be flooded: answers are keyed on the parameters each endpoint
reads, written one way, so junk, reordering and cache-busters add no entries; searches are
never cached; and API answers never share the cache with readers' pages."""

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.utils import make_template_fragment_key

from explainers.api_changes import CHANGE_KEY
from explainers.models import ExplainerPage
from tests.newsroom.test_api import verified_claim

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"
EXPLAINERS = f"{PAGES}?type=explainers.ExplainerPage&fields=standfirst"


@pytest.fixture
def stored(monkeypatch):
    """Every API answer stored from now on, as (cache alias, key), in any cache."""
    answers = []
    for alias in settings.CACHES:
        api_cache = caches[alias]

        def record(key, *args, _set=api_cache.set, _alias=alias, **kwargs):
            if key.startswith("newsroom-api:") and key != CHANGE_KEY:
                answers.append((_alias, key))
            return _set(key, *args, **kwargs)

        monkeypatch.setattr(api_cache, "set", record)
    return answers


@pytest.fixture
def claims():
    """Three verified claims, each cited by a live, public explainer."""
    return [verified_claim(statement=f"Claim {n} about the Kremlin.") for n in range(3)]


def outcome(response):
    assert response.status_code == 200, response.content
    return response["X-Newsroom-Cache"]


def test_junk_parameters_and_cache_busters_add_no_entries(client, claims, stored):
    claim, page = claims[0], ExplainerPage.objects.live().first()
    urls = [
        "/api/claims/?junk{n}={n}",
        "/api/claims/?page=1&utm_source={n}",
        "/api/claims/?page_size=2&x={n}",
        f"/api/claims/{claim.pk}/?x={{n}}",
        f"{PAGES}?_={{n}}",
        f"{PAGES}?format=json&_={{n}}",
        f"{PAGES}{page.pk}/?x={{n}}",
    ]
    answers = {url: set() for url in urls}
    for n in range(60):
        for url in urls:
            response = client.get(url.format(n=n))
            outcome(response)
            answers[url].add(response.content)

    # Four answers stored: the claims list, its pages of two, one claim, the pages listing.
    # (A page's detail with a parameter Wagtail ignores is answered, and not cached.)
    assert len({key for _, key in stored}) == 4
    assert all(len(contents) == 1 for contents in answers.values())


def test_equivalent_urls_share_one_entry(client, claims, stored):
    first = client.get("/api/claims/?page_size=2&x=1")
    assert outcome(first) == "miss"
    for url in [
        "/api/claims/?x=2&page_size=2",
        "/api/claims/?page_size=02&page=1",
        "/api/claims/?page_size=%202&utm_source=feed",
    ]:
        response = client.get(url)
        assert outcome(response) == "hit", url
        assert response.content == first.content
    # Links in the answer are built from the URL it answers: never from someone's junk.
    assert first.json()["next"] == "http://testserver/api/claims/?page=2&page_size=2"

    assert outcome(client.get("/api/claims/")) == "miss"
    assert outcome(client.get("/api/claims/?page=1&page_size=20")) == "hit"

    assert outcome(client.get(f"{EXPLAINERS}&limit=2")) == "miss"
    for url in [
        f"{PAGES}?limit=2&fields=standfirst&type=explainers.ExplainerPage",
        f"{EXPLAINERS}&limit=2&offset=0&_=1234",
        f"{EXPLAINERS}&limit=02",
    ]:
        assert outcome(client.get(url)) == "hit", url
    assert outcome(client.get(f"{EXPLAINERS}&limit=20")) == "miss"
    assert outcome(client.get(EXPLAINERS)) == "hit"

    # Wagtail's endpoint still refuses a parameter it does not know (and that is not cached).
    response = client.get(f"{EXPLAINERS}&limit=2&x=1")
    assert response.status_code == 400
    assert "x" in response.json()["message"]

    assert len(stored) == 4
    assert {alias for alias, _ in stored} == {"api"}


def test_searches_and_random_orders_are_never_cached(client, claims, stored):
    for _ in range(2):
        response = client.get(PAGES, {"search": "Kremlin", "type": "explainers.ExplainerPage"})
        assert outcome(response) == "bypass"
        assert response.json()["meta"]["total_count"] == 3
        assert outcome(client.get(PAGES, {"order": "random"})) == "bypass"
    assert stored == []


def test_an_offset_past_the_end_is_not_cached_and_one_out_of_range_is_refused(
    client, claims, stored
):
    response = client.get(PAGES, {"offset": 500})
    assert outcome(response) == "bypass"
    assert response.json()["items"] == []
    assert stored == []

    response = client.get(PAGES, {"offset": str(2**70)})
    assert response.status_code == 400
    assert "offset" in response.json()["message"]


def test_readers_cached_pages_survive_a_flood_of_api_urls(client, claims, stored):
    page = ExplainerPage.objects.live().first()
    assert client.get(page.url).status_code == 200
    fragment = make_template_fragment_key("explainer_article", [page.cache_key()])
    assert cache.get(fragment) is not None

    for n in range(3000):
        url = [
            f"/api/claims/?flood={n}",
            f"{PAGES}?offset={n % 3}&limit={n % 21}&_={n}",
            f"/api/claims/?page_size={n % 100 + 1}&utm_source={n}",
            f"{PAGES}?search=word{n}" if n % 40 == 3 else f"{PAGES}{page.pk}/?_={n}",
        ][n % 4]
        assert client.get(url).status_code == 200, url

    assert cache.get(fragment) is not None
    assert stored, "the flood stored answers (in the API's own cache)"
    assert {alias for alias, _ in stored} == {"api"}

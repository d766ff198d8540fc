"""A flood of made-up query strings adds no copy to the page cache (it keys on the
parameters readers' pages read, explainers.query_params.READER_PARAMS, and Varnish drops
the rest by the same list), and evicts no password-guess counter (they are in the
database)."""

import re
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from explainers.page_cache.store import PAGE_CACHE
from explainers.query_params import READER_PARAMS
from tests.explainers.test_varnish import VCL
from tests.factories import explainer_index, explainer_page

pytestmark = pytest.mark.django_db
FLOOD = 1000


@pytest.fixture
def explainer(db):
    return explainer_page(title="Are they talking?", tags=["diplomacy"])


def entries():
    """The responses the origin store holds (Django's memory cache, as in the tests)."""
    return sum("page-cache:entry:" in key for key in caches[PAGE_CACHE]._cache)


def test_varnish_keeps_exactly_the_parameters_readers_pages_read():
    kept = re.search(r'regsuball\(req\.url, "[^"]*\(\?!\(\?:([^)]*)\)=\)', VCL.read_text())
    assert kept, "keep_reader_params's filter is not in the VCL"
    assert sorted(kept.group(1).split("|")) == sorted(READER_PARAMS)


@pytest.mark.parametrize("url", ["page", "/", "/feeds/explainers.rss", "/sitemap.xml"])
def test_a_thousand_made_up_query_strings_add_no_copy(client, explainer, url):
    url = explainer.url if url == "page" else url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert entries() == 1
    for _ in range(FLOOD):
        response = client.get(url, {"utm_x": str(uuid.uuid4())})
        assert response["X-Page-Cache"] == "hit"
    assert entries() == 1


def test_a_reader_parameter_a_page_does_not_read_adds_no_copy(client, explainer):
    client.get(explainer.url)
    for number in range(2, 52):
        response = client.get(explainer.url, {"page": number})
        assert response.status_code == 200
        assert "xkey" not in response  # nor kept by Varnish
    assert entries() == 1


def test_page_numbers_are_kept_once_in_one_spelling_and_never_past_the_last(client, explainer):
    index = explainer_index().url
    client.get(index)
    for spelling in ("1", "01", " 1", "x", "", "1.0"):
        assert client.get(index, {"page": spelling})["X-Page-Cache"] == "hit", spelling
    for number in range(2, 52):
        response = client.get(index, {"page": number})  # the last (first) page again
        assert response.status_code == 200
        assert "xkey" not in response
    assert entries() == 1


def test_a_flood_does_not_touch_the_password_guess_counters(explainer):
    restriction = PageViewRestriction.objects.create(
        page=explainer, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, explainer.pk])
    guesser = Client(REMOTE_ADDR="10.0.0.1")
    data = {"password": "wrong", "return_url": explainer.url}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert guesser.post(url, data).status_code == 200
    reader = Client()
    for _ in range(FLOOD):
        reader.get("/", {"utm_x": str(uuid.uuid4())})
    # Worse than any eviction: every cache emptied.
    for cache in caches.all():
        cache.clear()
    assert guesser.post(url, data).status_code == 429
    assert guesser.post(url, {**data, "password": "s3cret"}).status_code == 429

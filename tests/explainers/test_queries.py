"""An explainer costs the same number of queries whether it cites 5 claims or 50."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from newsroom.desk.models import Claim
from tests.factories import (
    SourceFactory,
    cited_claim,
    cited_claim_block,
    claim_with_evidence,
    explainer_page,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 21  # one reads the corrections: the cache key needs them, the render reuses them


def explainer_citing(count, author, title):
    claims = [
        claim_with_evidence(author, stances=("supports",) * 3, statement=f"{title} claim {n}.")
        for n in range(count)
    ]
    Claim.objects.filter(pk__in=[claim.pk for claim in claims[::2]]).update(
        status=Claim.Status.VERIFIED
    )
    source = SourceFactory()
    body = [
        {"type": "heading", "value": "What happened"},
        {"type": "paragraph", "value": "<p>Some prose.</p>"},
        {
            "type": "key_facts",
            "value": {"heading": "Key facts", "facts": [cited_claim(claims[0], True)]},
        },
        {
            "type": "timeline",
            "value": {
                "heading": "Timeline",
                "events": [
                    {
                        "date": "2025-12-21",
                        "date_label": "",
                        "event": "Talks.",
                        "claims": [cited_claim(c, True) for c in claims[:2]],
                    }
                ],
            },
        },
        {
            "type": "pull_quote",
            "value": {"source": source.pk, "quote": "Putin was ready", "attribution": ""},
        },
        *(cited_claim_block(claim, show_as_unverified=True) for claim in claims),
    ]
    return explainer_page(title=title, body=body)


def cold_page_cache():
    """Forget rendered explainers, keeping Wagtail's site root paths as a warm process has."""
    cache.clear()
    Site.get_site_root_paths()


def queries_to_render(client, page):
    cold_page_cache()
    with CaptureQueriesContext(connection) as context:
        response = client.get(page.url)
    assert response.status_code == 200
    return len(context), response.content.decode()


def test_five_and_fifty_claims_render_in_the_same_number_of_queries(
    client, author, django_assert_max_num_queries
):
    small = explainer_citing(5, author, "Small")
    large = explainer_citing(50, author, "Large")
    client.get("/")  # a warm process: the first request of all loads a few things once
    small_count, small_html = queries_to_render(client, small)
    large_count, large_html = queries_to_render(client, large)

    assert small_html.count('class="quote ') == 5 * 3 + 3 * 3
    assert large_html.count('class="quote ') == 50 * 3 + 3 * 3
    assert large_html.count("<tr>") == 50 + 1
    assert small_count == large_count
    cold_page_cache()
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(large.url)


def test_a_cached_render_costs_fewer_queries(client, author):
    page = explainer_citing(5, author, "Cached")
    uncached, first = queries_to_render(client, page)
    with CaptureQueriesContext(connection) as context:
        second = client.get(page.url).content.decode()
    assert len(context) < uncached
    assert second == first

"""Rendered explainers are cached, keyed so that what changes shows at once: a claim's
status, a source's re-import, a new revision. Previews are never cached."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.desk.models import Source
from tests.explainers.test_publish_guard import edit_form_data
from tests.factories import cited_claim_block, explainer_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def explainer(verified_claim):
    return explainer_page(body=[cited_claim_block(verified_claim)])


def render(client, page):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(page.url).content.decode()
    return html, len(queries)


def test_the_second_render_comes_from_the_cache(client, explainer):
    first, cold = render(client, explainer)
    second, warm = render(client, explainer)
    assert second == first
    assert warm < cold


def test_a_source_reimport_shows_at_once(client, explainer, verified_claim):
    render(client, explainer)
    source = verified_claim.evidence.first().source
    # What a re-import does to a source: a new title and body, saved.
    source = Source.objects.get(pk=source.pk)
    source.title = "Retitled on re-import"
    source.save()
    html, _ = render(client, explainer)
    assert "Retitled on re-import" in html


def test_a_new_revision_shows_at_once(client, explainer):
    render(client, explainer)
    explainer.standfirst = "A new standfirst."
    explainer.save_revision().publish()
    html, _ = render(client, explainer)
    assert "A new standfirst." in html


def test_previews_are_never_cached(verifier_client, client, explainer, verified_claim):
    live_html, _ = render(client, explainer)
    explainer.standfirst = "Draft standfirst only editors see."
    data = edit_form_data(explainer, [verified_claim], action=None)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[explainer.pk])
    assert verifier_client.post(url, data).json()["is_valid"]
    preview = verifier_client.get(url).content.decode()
    assert "Draft standfirst only editors see." in preview
    assert "Draft standfirst only editors see." not in client.get(explainer.url).content.decode()

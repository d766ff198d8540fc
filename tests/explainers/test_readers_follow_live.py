"""Readers are served what is live, at once, whichever way it went live (issue #12, #4).

A reader who renders a live explainer while a newer draft waits caches the live article
under the page's current state; when that draft goes live (approved in Desk review, bulk
published, or at its scheduled time) the next reader sees it, never the article cached
before. An outlet renamed in the admin shows on the page at once, too."""

from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from explainers.models import ExplainerPage
from tests.explainers.test_publish_guard import edit_form_data, post_edit
from tests.explainers.test_publish_guard_paths import bulk_publish
from tests.explainers.test_workflow import approve, submit
from tests.factories import cited_claim_block, explainer_page, messages_of

pytestmark = pytest.mark.django_db

LIVE = "Where the talks stand, claim by claim."
REVISED = "Moscow and Paris have now named a date for talks."


@pytest.fixture
def explainer(verified_claim):
    return explainer_page(
        title="Are they talking?", body=[cited_claim_block(verified_claim)], standfirst=LIVE
    )


def article(client, page):
    """The article a reader is served: the cached part of the page."""
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("article.explainer")


def standfirst(client, page):
    return article(client, page).select_one(".standfirst").text


def revised(page):
    """The page as an editor has it in the edit form, with a new standfirst typed in."""
    page = ExplainerPage.objects.get(pk=page.pk)
    page.standfirst = REVISED
    return page


def assert_waiting_draft(page):
    """The newest revision is not the live one: readers must still see the live one."""
    page = ExplainerPage.objects.get(pk=page.pk)
    assert page.live
    assert page.has_unpublished_changes
    assert page.latest_revision_id != page.live_revision_id


@pytest.fixture
def draft_waiting(client, editor_client, explainer, verified_claim):
    """A reader has rendered the live article; an editor then saved a draft with a new
    standfirst, and a reader rendered the page again (the live article, cached anew)."""
    assert standfirst(client, explainer) == LIVE
    post_edit(editor_client, explainer, edit_form_data(revised(explainer), [verified_claim], None))
    assert_waiting_draft(explainer)
    assert standfirst(client, explainer) == LIVE
    return explainer


def test_a_revision_approved_in_desk_review_is_what_readers_see(
    client, editor_client, verifier_client, explainer, verified_claim
):
    assert standfirst(client, explainer) == LIVE
    # Submitting saves the edited page as the revision under review.
    state = submit(editor_client, revised(explainer), [verified_claim])
    assert_waiting_draft(explainer)
    assert standfirst(client, explainer) == LIVE

    response = approve(verifier_client, explainer, state)

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[explainer.pk])
    page = ExplainerPage.objects.get(pk=explainer.pk)
    assert page.live_revision_id == state.current_task_state.revision_id
    assert standfirst(client, page) == REVISED


def test_a_bulk_published_revision_is_what_readers_see(client, admin_client, draft_waiting):
    response = bulk_publish(admin_client, [draft_waiting])

    assert "has been published" in messages_of(response)
    page = ExplainerPage.objects.get(pk=draft_waiting.pk)
    assert not page.has_unpublished_changes
    assert standfirst(client, page) == REVISED


def test_a_revision_scheduled_to_go_live_is_what_readers_see(client, draft_waiting):
    revision = ExplainerPage.objects.get(pk=draft_waiting.pk).get_latest_revision()
    assert revision.content["standfirst"] == REVISED
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])

    call_command("publish_scheduled", stdout=StringIO())

    page = ExplainerPage.objects.get(pk=draft_waiting.pk)
    assert page.live_revision_id == revision.pk
    assert standfirst(client, page) == REVISED


def test_an_outlet_renamed_in_the_admin_shows_on_the_page_at_once(
    client, editor_client, explainer, verified_claim
):
    outlet = verified_claim.evidence.order_by("pk").first().source.outlet
    before = article(client, explainer).select_one(".source-list").text
    assert outlet.name in before

    url = reverse("wagtailsnippets_newsroom_outlet:edit", args=[outlet.pk])
    response = editor_client.post(
        url,
        {
            "name": "The Renamed Gazette",
            "homepage": outlet.homepage,
            "domain": outlet.domain,
            "country": outlet.country,
            "aliases": outlet.aliases,
            "notes": outlet.notes,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_newsroom_outlet:list")
    outlet.refresh_from_db()
    assert outlet.name == "The Renamed Gazette"
    sources = article(client, explainer).select_one(".source-list").text
    assert "The Renamed Gazette" in sources
    assert before != sources

"""The editor's side of related stories: why each story is there, and pins and excludes
chosen in the page editor, taking effect when the page is published."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from explainers.models import RelatedStoryChoice
from tests.explainers.related_site import widget

pytestmark = pytest.mark.django_db


def edit_form(page, choices):
    page = page.specific
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "standfirst": page.standfirst,
            "tags": ", ".join(tag.name for tag in page.tags.all()),
            "body": streamfield(
                [
                    (
                        "claim",
                        {"claim": pk, "show_as_unverified": "on", "framing": rich_text("")},
                    )
                    for pk in page.cited_claim_ids()
                ]
            ),
            "related_choices": inline_formset(
                [{"story": story.pk, "choice": choice} for story, choice in choices]
            ),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )


def test_the_editor_sees_why_each_story_is_related(site, admin_client):
    pages, _, _ = site
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[pages["main"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Related stories readers see now, and why" in html
    assert "2 shared claims" in html
    assert html.index("Elysee confirms the phone call") < html.index("Moscow stays cautious")


def test_pins_and_excludes_chosen_in_the_editor_apply_on_publish(
    site, admin_client, django_capture_on_commit_callbacks
):
    pages, _, _ = site
    url = reverse("wagtailadmin_pages:edit", args=[pages["main"].pk])
    choices = [
        (pages["budget"], RelatedStoryChoice.Choice.PIN),
        (pages["twin"], RelatedStoryChoice.Choice.EXCLUDE),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, edit_form(pages["main"], choices))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response.url == reverse("wagtailadmin_explore", args=[pages["main"].get_parent().pk])
    assert widget(pages["main"]) == [
        "Berlin votes its budget",
        "Ukraine wants a seat",
        "Moscow stays cautious",
    ]

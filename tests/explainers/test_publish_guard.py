"""The publish guard through the admin: an explainer citing unverified claims is refused
publication with a message naming them; drafts, previews and marked citations still work."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from explainers.guard import PublishRefused
from explainers.models import ExplainerPage
from newsroom.desk.models import Claim
from tests.factories import (
    cited_claim_block,
    claim_with_evidence,
    explainer_index,
    explainer_page,
    verified,
)

pytestmark = pytest.mark.django_db


def edit_form_data(page, claims, action="action-publish", show_as_unverified=()):
    """What the page editor posts: title, slug, standfirst, a body citing `claims`."""
    blocks = [
        (
            "claim",
            {
                "claim": str(claim.pk),
                "framing": rich_text(""),
                "show_as_unverified": "on" if claim in show_as_unverified else "",
            },
        )
        for claim in claims
    ]
    return page_form_data(page, blocks, action)


def page_form_data(page, blocks, action="action-publish"):
    """What the page editor posts: the page's fields and a body of `blocks`."""
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "standfirst": page.standfirst,
            "tags": "",
            "body": streamfield(blocks),
            # Every inline panel on the page (comments, related stories…), left empty.
            **{name: inline_formset([]) for name in page_formsets()},
        }
    )
    if action:
        data[action] = action
    return data


def page_formsets():
    form_class = ExplainerPage.get_edit_handler().get_form_class()
    return list(form_class.formsets)


def post_edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)


def error_messages(response):
    return [str(message) for message in response.context["messages"]]


def test_publishing_with_an_unverified_claim_is_refused_naming_it(
    verifier_client, draft, verified_claim, unverified_claim
):
    data = edit_form_data(draft, [verified_claim, unverified_claim])
    response = post_edit(verifier_client, draft, data)

    assert response.status_code == 200
    page = ExplainerPage.objects.get(pk=draft.pk)
    assert not page.live
    assert "The page could not be saved due to validation errors" in " ".join(
        error_messages(response)
    )
    errors = " ".join(response.context["form"].non_field_errors())
    assert unverified_claim.statement in errors
    assert verified_claim.statement not in errors
    assert "not verified" in errors
    assert unverified_claim.statement in response.content.decode()


@pytest.mark.parametrize("status", [Claim.Status.DISPUTED, Claim.Status.FALSE])
def test_disputed_and_false_claims_also_need_marking(
    verifier_client, draft, author, verifier, status
):
    claim = claim_with_evidence(author, stances=("supports", "disputes", "disputes"))
    verified(claim, verifier, status, note="Moscow's account is contradicted by Paris.")
    response = post_edit(verifier_client, draft, edit_form_data(draft, [claim]))
    assert claim.statement in " ".join(response.context["form"].non_field_errors())
    assert not ExplainerPage.objects.get(pk=draft.pk).live


def test_saving_a_draft_with_an_unverified_claim_works(verifier_client, draft, unverified_claim):
    data = edit_form_data(draft, [unverified_claim], action=None)
    response = post_edit(verifier_client, draft, data)

    assert response.status_code == 200
    page = ExplainerPage.objects.get(pk=draft.pk)
    assert not page.live
    latest = page.get_latest_revision_as_object()
    assert latest.cited_claim_ids() == [unverified_claim.pk]


def test_previewing_a_draft_with_an_unverified_claim_works(
    verifier_client, draft, unverified_claim
):
    data = edit_form_data(draft, [unverified_claim], action=None)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])
    assert verifier_client.post(url, data).json()["is_valid"] is True
    response = verifier_client.get(url)
    assert response.status_code == 200
    assert unverified_claim.statement in response.content.decode()
    assert "Not verified" in response.content.decode()


def test_publishing_with_only_verified_claims_works(verifier_client, draft, verified_claim):
    response = post_edit(verifier_client, draft, edit_form_data(draft, [verified_claim]))
    assert response.status_code == 200
    assert ExplainerPage.objects.get(pk=draft.pk).live


def test_a_claim_marked_show_as_unverified_may_be_published_and_is_labelled(
    verifier_client, client, draft, verified_claim, unverified_claim
):
    data = edit_form_data(
        draft, [verified_claim, unverified_claim], show_as_unverified=[unverified_claim]
    )
    post_edit(verifier_client, draft, data)
    page = ExplainerPage.objects.get(pk=draft.pk)
    assert page.live

    html = client.get(page.url).content.decode()
    assert "badge--unverified" in html
    assert "Not verified: we report this claim but have not confirmed it." in html


def test_an_editor_cannot_publish_at_all_and_saves_a_draft(editor_client, draft, verified_claim):
    response = post_edit(editor_client, draft, edit_form_data(draft, [verified_claim]))
    assert response.status_code == 200
    assert not ExplainerPage.objects.get(pk=draft.pk).live


def test_publishing_a_revision_in_code_is_refused_too(verifier, unverified_claim):
    page = explainer_page(body=[cited_claim_block(unverified_claim)], publish=False)
    with pytest.raises(PublishRefused, match="Macron will fly to Moscow"):
        page.get_latest_revision().publish(user=verifier)
    assert not ExplainerPage.objects.get(pk=page.pk).live


def test_scheduled_publishing_skips_an_explainer_that_fails_the_guard(
    unverified_claim, verified_claim
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    past = timezone.now() - timedelta(minutes=1)
    refused = explainer_page(
        title="Refused", body=[cited_claim_block(unverified_claim)], publish=False
    )
    refused.save_revision(approved_go_live_at=past)
    allowed = explainer_page(
        title="Allowed", body=[cited_claim_block(verified_claim)], publish=False
    )
    allowed.save_revision(approved_go_live_at=past)

    call_command("publish_scheduled")

    assert not Page.objects.get(pk=refused.pk).live
    assert not refused.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert Page.objects.get(pk=allowed.pk).live


def test_the_explainers_index_exists_under_the_home_page():
    index = explainer_index()
    assert index.get_parent().specific_class.__name__ == "HomePage"
    assert index.live

"""Claim status where explainers are written: saving or submitting an explainer warns the
editor, naming each cited claim in the way of publishing (and no other); the claim block's
chooser carries the claim's status; a verifier's approval is confirmed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from explainers.blocks import CitedClaimBlock
from explainers.models import ExplainerPage
from newsroom.desk.models import Claim
from tests.explainers.test_publish_guard import edit_form_data, post_edit
from tests.explainers.test_workflow import approve, approve_in_modal, submit
from tests.factories import (
    cited_claim_block,
    claim_with_evidence,
    explainer_index,
    messages_of,
    verified,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed_claim(author, verifier):
    claim = claim_with_evidence(
        author, stances=("disputes",), statement="Paris will recognise the annexation."
    )
    return verified(claim, verifier, Claim.Status.DISPUTED)


@pytest.fixture
def labelled_claim(author):
    return claim_with_evidence(
        author, stances=("supports",), statement="Talks may resume in the spring."
    )


def warnings_of(response):
    return [
        str(message) for message in response.context["messages"] if message.level_tag == "warning"
    ]


def test_saving_a_draft_warns_naming_exactly_the_claims_in_the_way(
    editor_client, draft, verified_claim, unverified_claim, disputed_claim, labelled_claim
):
    claims = [verified_claim, unverified_claim, disputed_claim, labelled_claim]
    data = edit_form_data(draft, claims, action=None, show_as_unverified=[labelled_claim])
    response = post_edit(editor_client, draft, data)

    assert response.status_code == 200
    assert ExplainerPage.objects.get(pk=draft.pk).get_latest_revision_as_object().body
    (warning,) = warnings_of(response)
    assert "“Macron will fly to Moscow in January.” (unverified)" in warning
    assert "“Paris will recognise the annexation.” (disputed)" in warning
    assert labelled_claim.statement not in warning
    assert verified_claim.statement not in warning
    assert "Show as not verified" in warning
    assert "has been updated" in messages_of(response)  # Wagtail's own message stays


def test_submitting_warns_too_and_the_review_still_starts(
    editor_client, draft, verified_claim, unverified_claim
):
    response = post_edit(
        editor_client,
        draft,
        edit_form_data(draft, [verified_claim, unverified_claim], "action-submit"),
    )
    (warning,) = warnings_of(response)
    assert unverified_claim.statement in warning
    assert verified_claim.statement not in warning
    assert "Desk review cannot approve it until then" in warning
    state = WorkflowState.objects.for_instance(draft).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_a_claim_never_published_is_named_even_when_labelled(editor_client, draft, author):
    claim = claim_with_evidence(author, stances=("supports",), statement="A draft claim.")
    claim.live = False
    claim.save()
    data = edit_form_data(draft, [claim], action=None, show_as_unverified=[claim])
    (warning,) = warnings_of(post_edit(editor_client, draft, data))
    assert "“A draft claim.” (not published)" in warning


def test_nothing_in_the_way_means_no_warning(editor_client, draft, verified_claim, labelled_claim):
    data = edit_form_data(
        draft,
        [verified_claim, labelled_claim],
        "action-submit",
        show_as_unverified=[labelled_claim],
    )
    response = post_edit(editor_client, draft, data)
    assert warnings_of(response) == []
    assert "submitted for moderation" in messages_of(response)


def test_creating_an_explainer_warns_too(editor_client, unverified_claim):
    parent = explainer_index()
    new = ExplainerPage(title="A new one", slug="a-new-one", standfirst="Fresh.")
    url = reverse("wagtailadmin_pages:add", args=["explainers", "explainerpage", parent.pk])
    response = editor_client.post(url, edit_form_data(new, [unverified_claim], None), follow=True)
    assert ExplainerPage.objects.filter(slug="a-new-one").exists()
    (warning,) = warnings_of(response)
    assert unverified_claim.statement in warning


def test_a_refused_publication_is_an_error_not_also_a_warning(
    verifier_client, draft, unverified_claim
):
    response = post_edit(verifier_client, draft, edit_form_data(draft, [unverified_claim]))
    assert not ExplainerPage.objects.get(pk=draft.pk).live
    assert warnings_of(response) == []


def test_the_claim_block_tells_its_chooser_the_claims_status(unverified_claim, disputed_claim):
    block = CitedClaimBlock()
    state = block.child_blocks["claim"].get_form_state(disputed_claim)
    assert (state["status"], state["status_label"]) == ("disputed", "Disputed")
    assert state["string"] == disputed_claim.statement
    assert block.child_blocks["claim"].get_form_state(unverified_claim)["status_label"] == (
        "Unverified"
    )


def test_approval_from_the_dashboard_is_confirmed(
    editor_client, verifier_client, draft, verified_claim
):
    state = submit(editor_client, draft, [verified_claim])
    response = approve(verifier_client, draft, state)
    assert ExplainerPage.objects.get(pk=draft.pk).live
    text = messages_of(verifier_client.get(response.url))
    assert "Approved and published: “Are they talking?” is live." in text


def test_approval_in_the_modal_is_confirmed_once_the_modal_redirects(
    editor_client, verifier_client, draft, verified_claim
):
    state = submit(editor_client, draft, [verified_claim])
    answer = approve_in_modal(verifier_client, draft, state)
    assert answer["step"] == "success"
    text = messages_of(verifier_client.get(answer["redirect"]))
    assert "Approved and published: “Are they talking?” is live." in text


def test_approval_from_the_editor_is_confirmed(
    editor_client, verifier_client, draft, verified_claim
):
    submit(editor_client, draft, [verified_claim])
    data = edit_form_data(draft, [verified_claim], "action-workflow-action")
    data["workflow-action-name"] = "approve"
    response = post_edit(verifier_client, draft, data)
    assert ExplainerPage.objects.get(pk=draft.pk).live
    assert "Approved and published: “Are they talking?” is live." in messages_of(response)


def test_a_refused_approval_is_not_confirmed(
    editor_client, verifier_client, draft, unverified_claim
):
    state = submit(editor_client, draft, [unverified_claim])
    response = approve(verifier_client, draft, state)
    text = messages_of(verifier_client.get(response.url))
    assert unverified_claim.statement in text
    assert "Approved" not in text


def test_a_scheduled_approval_says_when_it_goes_live(
    editor, verifier_client, draft, verified_claim
):
    draft.body = [cited_claim_block(verified_claim)]
    draft.go_live_at = timezone.now() + datetime.timedelta(days=2)
    draft.save_revision(user=editor)
    state = draft.get_workflow().start(draft, editor)
    response = approve(verifier_client, draft, state)
    assert not ExplainerPage.objects.get(pk=draft.pk).live
    text = messages_of(verifier_client.get(response.url))
    assert "Approved: “Are they talking?” is scheduled to go live on" in text

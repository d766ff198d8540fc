"""Desk review: an editor submits an explainer, a verifier approves it and so publishes it;
approval passes the publish guard too, and a refusal names the claims wherever it happens."""

import json

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from explainers.models import ExplainerPage
from tests.explainers.test_publish_guard import edit_form_data, post_edit
from tests.factories import messages_of, verified

pytestmark = pytest.mark.django_db


def submit(editor_client, page, claims, **kwargs):
    response = post_edit(
        editor_client, page, edit_form_data(page, claims, "action-submit", **kwargs)
    )
    assert response.status_code == 200
    return WorkflowState.objects.for_instance(page).get()


def approve(verifier_client, page, state, **data):
    """The dashboard's "Approve" button: a plain form post to the workflow action view."""
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    return verifier_client.post(url, {"comment": "Checked.", **data})


def approve_in_modal(verifier_client, page, state):
    """The "Approve with comment" modal: its form, posted by the modal's JavaScript."""
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    response = verifier_client.post(
        url, {"comment": "Checked."}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    return json.loads(response.content)


def assert_still_in_review(page, state):
    """Nothing of the refused approval remains: a draft, its review and task in progress,
    no approval logged."""
    assert not ExplainerPage.objects.get(pk=page.pk).live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert state.current_task_state.comment == ""
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").exists()


def test_the_explainers_section_uses_desk_review(draft):
    workflow = draft.get_workflow()
    assert workflow.name == "Desk review"
    task = workflow.tasks.get().specific
    assert [group.name for group in task.groups.all()] == ["Verifiers"]


def test_editor_submits_and_verifier_approves(
    editor_client, verifier_client, draft, verified_claim
):
    state = submit(editor_client, draft, [verified_claim])
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Desk review"
    assert not ExplainerPage.objects.get(pk=draft.pk).live

    response = approve(verifier_client, draft, state)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    page = ExplainerPage.objects.get(pk=draft.pk)
    assert page.live
    assert page.cited_claim_ids() == [verified_claim.pk]
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_an_editor_cannot_approve(editor_client, draft, verified_claim):
    state = submit(editor_client, draft, [verified_claim])
    response = approve(editor_client, draft, state)
    # Approving is not among the editor's actions: Wagtail refuses and sends them home.
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert_still_in_review(draft, state)


def test_approval_is_refused_while_a_cited_claim_is_unverified(
    editor_client, verifier_client, draft, unverified_claim
):
    state = submit(editor_client, draft, [unverified_claim])
    response = approve(verifier_client, draft, state)
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert response.status_code == 302
    assert response.url == edit_url
    assert_still_in_review(draft, state)

    page = verifier_client.get(response.url)
    assert unverified_claim.statement in messages_of(page)
    assert "do not have permission" not in messages_of(page)


def test_approval_from_the_dashboard_names_the_unverified_claims(
    editor_client, verifier_client, draft, unverified_claim
):
    state = submit(editor_client, draft, [unverified_claim])
    dashboard = reverse("wagtailadmin_home")
    response = approve(verifier_client, draft, state, next=dashboard)
    assert response.status_code == 302
    assert response.url == dashboard
    assert_still_in_review(draft, state)

    page = verifier_client.get(response.url)
    text = messages_of(page)
    assert unverified_claim.statement in text
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in text
    assert "do not have permission" not in text


def test_approval_in_the_modal_shows_the_refusal_on_its_form(
    editor_client, verifier_client, draft, verified_claim, unverified_claim
):
    state = submit(editor_client, draft, [verified_claim, unverified_claim])
    modal = approve_in_modal(verifier_client, draft, state)
    assert modal["step"] == "action"
    assert unverified_claim.statement in modal["html"]
    assert verified_claim.statement not in modal["html"]
    assert_still_in_review(draft, state)


def test_a_refused_approval_can_be_given_once_the_claim_is_verified(
    editor_client, verifier_client, verifier, draft, unverified_claim
):
    state = submit(editor_client, draft, [unverified_claim])
    assert approve_in_modal(verifier_client, draft, state)["step"] == "action"
    verified(unverified_claim, verifier)

    modal = approve_in_modal(verifier_client, draft, state)
    assert modal["step"] == "success"
    assert ExplainerPage.objects.get(pk=draft.pk).live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_approval_in_the_modal_publishes_when_every_claim_is_verified(
    editor_client, verifier_client, draft, verified_claim
):
    state = submit(editor_client, draft, [verified_claim])
    modal = approve_in_modal(verifier_client, draft, state)
    assert modal == {
        "step": "success",
        "redirect": reverse("wagtailadmin_pages:edit", args=[draft.pk]),
    }
    assert ExplainerPage.objects.get(pk=draft.pk).live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert state.current_task_state.comment == "Checked."


def test_approval_from_the_edit_form_names_the_unverified_claims(
    editor_client, verifier_client, draft, unverified_claim
):
    state = submit(editor_client, draft, [unverified_claim])
    data = edit_form_data(draft, [unverified_claim], "action-workflow-action")
    data["workflow-action-name"] = "approve"
    response = post_edit(verifier_client, draft, data)
    assert unverified_claim.statement in " ".join(response.context["form"].non_field_errors())
    assert not ExplainerPage.objects.get(pk=draft.pk).live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

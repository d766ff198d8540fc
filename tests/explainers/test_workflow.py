"""Desk review: an editor submits an explainer, a verifier approves it and so publishes it;
approval passes the publish guard too."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from explainers.models import ExplainerPage
from tests.explainers.test_publish_guard import edit_form_data, post_edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    from tests.explainers.conftest import make_explainer

    return make_explainer(title="Under review", publish=False)


def submit(editor_client, page, claims, **kwargs):
    response = post_edit(
        editor_client, page, edit_form_data(page, claims, "action-submit", **kwargs)
    )
    assert response.status_code == 200
    return WorkflowState.objects.for_instance(page).get()


def approve(verifier_client, page, state):
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    return verifier_client.post(url, {"comment": "Checked."})


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
    page = ExplainerPage.objects.get(pk=draft.pk)
    assert page.live
    assert page.cited_claim_ids() == [verified_claim.pk]
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_an_editor_cannot_approve(editor_client, draft, verified_claim):
    state = submit(editor_client, draft, [verified_claim])
    approve(editor_client, draft, state)
    assert not ExplainerPage.objects.get(pk=draft.pk).live


def test_approval_is_refused_while_a_cited_claim_is_unverified(
    editor_client, verifier_client, draft, unverified_claim
):
    state = submit(editor_client, draft, [unverified_claim])
    response = approve(verifier_client, draft, state)
    # Wagtail turns the refusal into its "no permission" redirect; nothing is half-done.
    assert response.status_code == 302
    assert not ExplainerPage.objects.get(pk=draft.pk).live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


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

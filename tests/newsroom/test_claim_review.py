"""A change to a decided claim waits for a verifier in Claim review: readers keep the
decided version until a verifier approves it, and approving it is the claim's decision on
the new words. Driven through the admin's edit view and Wagtail's workflow action view."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import ModelLogEntry, WorkflowState

from newsroom.desk.models import Claim, Verification
from newsroom.desk.verification import CHANGE_APPROVED
from tests.factories import (
    UserFactory,
    cited_claim_block,
    claim_url,
    claim_with_evidence,
    explainer_page,
    logged_in_client,
    verified,
)
from tests.newsroom.test_verification_edits import edit_data

pytestmark = pytest.mark.django_db

NEW_WORDING = "Putin told Macron through a spokesman that he was ready to talk."


@pytest.fixture
def cited(editor, verifier):
    """A verified claim by `editor`, decided by `verifier`, that a live explainer cites."""
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    claim.save_revision(user=editor).publish(user=editor)
    verified(claim, verifier, note="Two outlets report it.")
    page = explainer_page("Is Putin ready to talk?", body=[cited_claim_block(claim)])
    claim.refresh_from_db()
    return claim, page


def submit_change(client, claim, statement=NEW_WORDING):
    return client.post(claim_url("edit", claim), edit_data(claim, statement=statement))


def approve(client, claim):
    state = claim.current_workflow_state
    url = reverse(
        "wagtailsnippets_newsroom_claim:workflow_action",
        args=[claim.pk, "approve", state.current_task_state.pk],
    )
    return client.post(url, {"comment": ""})


def messages_of(response):
    return [str(message).strip().split("\n")[0] for message in get_messages(response.wsgi_request)]


def reader_text(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_says_how_many_live_explainers_cite_the_claim_and_what_readers_see(
    editor_client, cited
):
    claim, page = cited
    html = editor_client.get(claim_url("edit", claim)).content.decode()
    assert "1 live explainer cites this claim:" in html
    assert "“Is Putin ready to talk?”" in html
    assert "publishing sends the change to Claim review" in html


def test_publishing_a_change_to_a_verified_claim_submits_it_and_readers_keep_the_verified_one(
    client, editor_client, cited
):
    claim, page = cited
    before = claim.statement
    response = submit_change(editor_client, claim)
    assert response.status_code == 302
    assert messages_of(response) == [
        f"Your change to “{claim}” is submitted to Claim review. Readers keep seeing the "
        "verified version until a verifier approves it."
    ]
    claim.refresh_from_db()
    assert (claim.statement, claim.status) == (before, Claim.Status.VERIFIED)
    assert claim.has_unpublished_changes and claim.workflow_in_progress
    assert claim.current_workflow_state.workflow.name == "Claim review"
    text = reader_text(client, page)
    assert before in text and NEW_WORDING not in text
    assert "Verified" in text


def test_the_verifier_approving_publishes_the_change_and_records_the_decision(
    client, editor_client, cited
):
    claim, page = cited
    submit_change(editor_client, claim)
    second = UserFactory(username="second-verifier", groups=["Verifiers"])
    response = approve(logged_in_client(second), Claim.objects.get(pk=claim.pk))
    assert response.status_code == 302
    assert messages_of(response) == [
        f"Change to “{NEW_WORDING}” approved and published: readers see it now, verified."
    ]
    claim.refresh_from_db()
    assert (claim.statement, claim.status, claim.verified_by) == (
        NEW_WORDING,
        Claim.Status.VERIFIED,
        second,
    )
    assert not claim.has_unpublished_changes and not claim.workflow_in_progress
    decision = claim.verifications.first()
    assert (decision.status, decision.verified_by, decision.note) == (
        Claim.Status.VERIFIED,
        second,
        "Two outlets report it.",
    )
    assert decision.fingerprint == Claim.objects.get(pk=claim.pk).evidence_fingerprint()
    text = reader_text(client, page)
    assert NEW_WORDING in text and "Verified" in text
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(claim.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    for step in ("wagtail.workflow.start", "wagtail.workflow.approve", CHANGE_APPROVED[0]):
        assert step in actions
    assert actions.index("wagtail.workflow.start") < actions.index(CHANGE_APPROVED[0])


def test_the_claims_author_cannot_approve_the_change(editor, cited):
    claim, page = cited
    editor.groups.add(*UserFactory(groups=["Verifiers"]).groups.all())
    author = logged_in_client(editor)
    submit_change(author, claim)
    response = approve(author, Claim.objects.get(pk=claim.pk))
    assert response.status_code == 302
    (message,) = [text for text in messages_of(response) if "cannot be approved" in text]
    assert message.startswith(
        "This change cannot be approved as the decision on this claim (verified):"
    )
    assert "You wrote this claim" in message
    claim.refresh_from_db()
    assert claim.statement != NEW_WORDING and claim.workflow_in_progress
    assert claim.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not Verification.objects.filter(claim=claim, verified_by=editor).exists()


def test_requesting_changes_leaves_readers_on_the_verified_version(
    client, editor_client, verifier, cited
):
    claim, page = cited
    submit_change(editor_client, claim)
    state = Claim.objects.get(pk=claim.pk).current_workflow_state
    url = reverse(
        "wagtailsnippets_newsroom_claim:workflow_action",
        args=[claim.pk, "reject", state.current_task_state.pk],
    )
    response = logged_in_client(verifier).post(url, {"comment": "Keep the spokesman's words."})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED and claim.statement != NEW_WORDING
    assert claim.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert NEW_WORDING not in reader_text(client, page)


def test_a_change_to_tags_alone_is_published_at_once(editor_client, cited):
    claim, page = cited
    data = edit_data(claim)
    data["tags"] = "diplomacy"
    response = editor_client.post(claim_url("edit", claim), data)
    assert (response.status_code, response["Location"]) == (302, claim_url("list"))
    claim.refresh_from_db()
    assert list(claim.tags.names()) == ["diplomacy"]
    assert not claim.workflow_in_progress and claim.status == Claim.Status.VERIFIED


def test_a_reopened_claims_desk_note_is_not_shown_as_a_verifiers_words(client, editor, cited):
    claim, page = cited
    claim.statement = NEW_WORDING
    claim.save_revision(user=editor).publish(user=editor)  # a path outside the admin
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED and claim.verification_note
    text = reader_text(client, page)
    assert 'class="claim-note"' not in text and "Verifier's note" not in text


def test_one_click_evidence_on_a_decided_claim_is_submitted_to_review(client, editor_client, cited):
    claim, page = cited
    source = claim.evidence.first().source
    url = claim_url("add_evidence", claim)
    response = editor_client.post(
        url, {"source": source.pk, "quote": claim.evidence.first().quote[:20], "stance": "context"}
    )
    assert (response.status_code, response["Location"]) == (302, claim_url("inspect", claim))
    assert messages_of(response)[-1] == (
        "Quote added and submitted to Claim review: readers keep seeing the verified version "
        "until a verifier approves it."
    )
    claim.refresh_from_db()
    assert claim.evidence.count() == 2 and claim.status == Claim.Status.VERIFIED
    assert claim.workflow_in_progress
    assert claim.get_latest_revision_as_object().evidence.count() == 3


def test_changing_a_stance_of_a_decided_claim_waits_in_review(editor_client, cited):
    claim, page = cited
    data = edit_data(claim, rows_changed={0: {"stance": "context"}})
    editor_client.post(claim_url("edit", claim), data)
    claim.refresh_from_db()
    stances = sorted(claim.evidence.values_list("stance", flat=True))
    assert stances == ["supports", "supports"] and claim.status == Claim.Status.VERIFIED
    assert claim.workflow_in_progress


def test_an_approved_change_the_rules_refuse_is_not_published(editor_client, cited):
    """Removing a supporting quote leaves one outlet: approving it as verified is refused,
    and readers keep the verified version."""
    claim, page = cited
    data = edit_data(claim, rows_changed={1: {"DELETE": "on"}})
    editor_client.post(claim_url("edit", claim), data)
    second = UserFactory(username="second-verifier", groups=["Verifiers"])
    response = approve(logged_in_client(second), Claim.objects.get(pk=claim.pk))
    (message,) = [text for text in messages_of(response) if "cannot be approved" in text]
    assert "different outlets; this one has 1" in message
    claim.refresh_from_db()
    assert claim.evidence.count() == 2 and claim.status == Claim.Status.VERIFIED
    assert claim.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

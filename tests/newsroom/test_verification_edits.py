"""What happens to a decided claim when its words or evidence change, and one-click
evidence: through the admin's edit view, revisions and the add-evidence view."""

import pytest
from wagtail.models import ModelLogEntry

from newsroom.desk.models import Claim, Evidence
from newsroom.desk.verification import verify_claim
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    UserFactory,
    admin_login_url,
    claim_url,
    claim_with_evidence,
)

pytestmark = pytest.mark.django_db


def edit_data(claim, action="action-publish", statement=None, rows_changed=None):
    """The edit form as the admin would post it, with `rows_changed` applied by row index."""
    rows = list(claim.evidence.order_by("sort_order"))
    changes = rows_changed or {}
    data = {
        "statement": statement or claim.statement,
        "tags": "",
        action: "1",
        "evidence-TOTAL_FORMS": str(len(rows)),
        "evidence-INITIAL_FORMS": str(len(rows)),
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        fields = {
            "id": row.pk,
            "source": row.source_id,
            "quote": row.quote,
            "stance": row.stance,
            "note": row.note,
            "ORDER": index + 1,
        }
        fields.update(changes.get(index, {}))
        data.update({f"evidence-{index}-{key}": value for key, value in fields.items()})
    return data


def assert_edited(response, claim, published=True):
    """The edit form was accepted: Wagtail goes back to the claim list after publishing and
    stays on the claim's edit page after saving a draft."""
    target = claim_url("list") if published else claim_url("edit", claim)
    errors = response.context["form"].errors if response.status_code == 200 else None
    assert (response.status_code, response.get("Location")) == (302, target), errors


@pytest.fixture
def verified_claim(editor, verifier):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    claim.save_revision(user=editor).publish(user=editor)
    verify_claim(claim, verifier, Claim.Status.VERIFIED, note="Checked.")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED
    return claim


def test_republishing_unchanged_keeps_the_claim_verified(editor_client, verified_claim):
    response = editor_client.post(claim_url("edit", verified_claim), edit_data(verified_claim))
    assert_edited(response, verified_claim)
    verified_claim.refresh_from_db()
    assert verified_claim.status == Claim.Status.VERIFIED


@pytest.mark.usefixtures("without_claim_review")
def test_changing_the_statement_returns_a_verified_claim_to_unverified(
    editor_client, editor, verified_claim
):
    data = edit_data(verified_claim, statement="Putin refused any dialogue with Macron.")
    response = editor_client.post(claim_url("edit", verified_claim), data)
    assert_edited(response, verified_claim)
    verified_claim.refresh_from_db()
    assert verified_claim.statement == "Putin refused any dialogue with Macron."
    assert verified_claim.status == Claim.Status.UNVERIFIED
    assert verified_claim.verified_by is None
    reopened = verified_claim.verifications.first()
    assert reopened.status == Claim.Status.UNVERIFIED
    assert reopened.verified_by == editor
    assert "changed after it was marked verified" in reopened.note
    assert ModelLogEntry.objects.filter(action="newsroom.claim.reopened", user=editor).exists()


@pytest.mark.usefixtures("without_claim_review")
def test_changing_a_stance_returns_a_verified_claim_to_unverified(editor_client, verified_claim):
    data = edit_data(verified_claim, rows_changed={0: {"stance": "context"}})
    assert_edited(editor_client.post(claim_url("edit", verified_claim), data), verified_claim)
    verified_claim.refresh_from_db()
    assert verified_claim.status == Claim.Status.UNVERIFIED


@pytest.mark.usefixtures("without_claim_review")
def test_removing_evidence_returns_a_verified_claim_to_unverified(editor_client, verified_claim):
    data = edit_data(verified_claim, rows_changed={1: {"DELETE": "1"}})
    assert_edited(editor_client.post(claim_url("edit", verified_claim), data), verified_claim)
    verified_claim.refresh_from_db()
    assert verified_claim.evidence.count() == 1
    assert verified_claim.status == Claim.Status.UNVERIFIED


def test_a_draft_leaves_the_live_claim_verified_until_published(editor_client, verified_claim):
    data = edit_data(verified_claim, action="action-save", statement="A draft rewording.")
    response = editor_client.post(claim_url("edit", verified_claim), data)
    assert_edited(response, verified_claim, published=False)
    verified_claim.refresh_from_db()
    assert verified_claim.has_unpublished_changes
    assert verified_claim.status == Claim.Status.VERIFIED
    revision = verified_claim.latest_revision
    revision.publish()
    verified_claim.refresh_from_db()
    assert verified_claim.statement == "A draft rewording."
    assert verified_claim.status == Claim.Status.UNVERIFIED


def test_publishing_an_old_revision_never_brings_back_an_old_status(editor, verifier):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    old = claim.save_revision(user=editor)
    old.publish(user=editor)
    verify_claim(claim, verifier, Claim.Status.VERIFIED)
    verify_claim(claim, verifier, Claim.Status.UNVERIFIED, note="Reopened.")
    old.publish(user=editor)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    assert (claim.verified_by, claim.verification_note) == (verifier, "Reopened.")


def test_a_forged_evidence_id_of_another_claim_changes_nothing(verifier_client, editor):
    mine = claim_with_evidence(editor, stances=("supports",))
    theirs = EvidenceFactory(quote="any talks would be held in full transparency")
    data = edit_data(
        mine, rows_changed={0: {"id": theirs.pk, "quote": "Putin was ready for dialogue"}}
    )
    response = verifier_client.post(claim_url("edit", mine), data)
    assert response.status_code == 200
    assert "refers to a quote that is not this claim" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.claim_id != mine.pk
    assert theirs.quote == "any talks would be held in full transparency"
    assert list(mine.evidence.values_list("quote", flat=True)) == [
        "Putin was ready for dialogue with Macron"
    ]


def add_evidence(client, claim, **fields):
    data = {"quote": "any talks would be held in full transparency", "stance": "context"}
    data.update(fields)
    return client.post(claim_url("add_evidence", claim), data, follow=True)


def test_one_click_evidence_adds_an_anchored_quote_as_a_new_revision(editor_client, editor):
    claim = claim_with_evidence(editor, stances=("supports",))
    claim.save_revision(user=editor).publish(user=editor)
    revisions = claim.revisions.count()
    source = SourceFactory()
    response = add_evidence(editor_client, claim, source=source.pk)
    assert "Quote added to the claim." in response.content.decode()
    added = claim.evidence.get(source=source)
    assert added.stance == Evidence.Stance.CONTEXT
    assert added.is_anchored
    assert added.anchored_text == "any talks would be held in full transparency"
    claim.refresh_from_db()
    assert claim.revisions.count() == revisions + 1
    assert not claim.has_unpublished_changes


@pytest.mark.usefixtures("without_claim_review")
def test_one_click_evidence_on_a_verified_claim_reopens_it(editor_client, verified_claim):
    add_evidence(editor_client, verified_claim, source=SourceFactory().pk)
    verified_claim.refresh_from_db()
    assert verified_claim.evidence.count() == 3
    assert verified_claim.status == Claim.Status.UNVERIFIED


def test_one_click_evidence_for_a_missing_source_is_refused(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports",))
    response = add_evidence(verifier_client, claim, source=987654)
    assert "That source does not exist. Nothing was added." in response.content.decode()
    assert claim.evidence.count() == 1
    assert not claim.revisions.exists()


def test_one_click_evidence_with_a_quote_not_in_the_source_is_refused(editor_client, editor):
    claim = claim_with_evidence(editor, stances=("supports",))
    source = SourceFactory()
    response = add_evidence(editor_client, claim, source=source.pk, quote="Macron flew to Moscow")
    content = response.content.decode()
    assert "is not in" in content
    assert "The closest passage is" in content
    assert claim.evidence.count() == 1


def test_one_click_evidence_on_a_claim_locked_by_someone_else_is_refused(editor_client, verifier):
    claim = claim_with_evidence(verifier, stances=("supports",))
    Claim.objects.filter(pk=claim.pk).update(locked=True, locked_by=verifier)
    response = add_evidence(editor_client, claim, source=SourceFactory().pk)
    assert "This claim is locked." in response.content.decode()
    assert claim.evidence.count() == 1


def test_one_click_evidence_needs_permission_to_change_the_claim(client, editor):
    reader = UserFactory(username="reader", is_staff=False)
    client.force_login(reader)
    claim = ClaimFactory(created_by=editor)
    url = claim_url("add_evidence", claim)
    response = client.post(url, {"source": SourceFactory().pk})
    assert response.status_code == 302
    assert response.url == admin_login_url(url)
    assert not claim.evidence.exists()

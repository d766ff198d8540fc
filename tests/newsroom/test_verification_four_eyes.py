"""Four eyes beyond authorship: a verifier who rewrote a claim's statement or changed its
evidence since its last decision (edit form, draft, one-click evidence) cannot decide it;
another verifier can. Everything goes through the admin's views."""

import pytest

from newsroom.desk.models import Claim
from tests.factories import (
    SourceFactory,
    UserFactory,
    claim_url,
    claim_with_evidence,
    logged_in_client,
)
from tests.newsroom.test_verification import assert_decided, decide, problems
from tests.newsroom.test_verification_edits import add_evidence, assert_edited, edit_data

pytestmark = pytest.mark.django_db

EDITED = "You edited this claim since its last decision; another verifier must decide"


@pytest.fixture
def second_verifier_client(db):
    return logged_in_client(UserFactory(username="second-verifier", groups=["Verifiers"]))


@pytest.fixture
def published_claim(editor):
    """A live claim by the editor, quoted by one outlet."""
    claim = claim_with_evidence(editor, stances=("supports",))
    claim.save_revision(user=editor).publish(user=editor)
    return claim


def assert_refused(response, claim, status=Claim.Status.UNVERIFIED):
    assert response.status_code == 200
    assert EDITED in problems(response)
    claim.refresh_from_db()
    assert claim.status == status


def test_a_verifier_who_added_the_decisive_quote_cannot_verify(
    verifier_client, second_verifier_client, published_claim
):
    # One outlet is not enough; the verifier supplies the second one in one click.
    response = add_evidence(
        verifier_client,
        published_claim,
        source=SourceFactory().pk,
        quote="Putin was ready for dialogue with Macron",
        stance="supports",
    )
    assert "Quote added to the claim." in response.content.decode()
    published_claim.refresh_from_db()
    assert published_claim.corroboration().supporting_outlets == 2
    assert_refused(decide(verifier_client, published_claim, "verified"), published_claim)
    assert not published_claim.verifications.exists()
    # Another verifier checks the quote and decides.
    response = decide(second_verifier_client, published_claim, "verified")
    assert_decided(response, published_claim, Claim.Status.VERIFIED)


def test_a_verifier_who_rewrote_the_statement_cannot_verify(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    claim.save_revision(user=editor).publish(user=editor)
    data = edit_data(claim, statement="Putin said he was ready to talk to Macron.")
    assert_edited(verifier_client.post(claim_url("edit", claim), data), claim)
    assert_refused(decide(verifier_client, claim, "verified"), claim)


def test_a_verifier_whose_draft_someone_else_published_cannot_verify(
    verifier_client, editor, published_claim
):
    # The verifier only saves a draft rewording the claim; the editor publishes it.
    data = edit_data(published_claim, action="action-save", statement="Putin wants talks.")
    response = verifier_client.post(claim_url("edit", published_claim), data)
    assert_edited(response, published_claim, published=False)
    published_claim.refresh_from_db()
    published_claim.latest_revision.publish(user=editor)
    published_claim.refresh_from_db()
    assert not published_claim.has_unpublished_changes
    response = decide(
        verifier_client, published_claim, "verified", note="One outlet.", single_source=True
    )
    assert_refused(response, published_claim)


@pytest.mark.usefixtures("without_claim_review")
def test_editing_a_decided_claim_bars_the_editor_from_deciding_it_again(
    verifier_client, second_verifier_client, editor
):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    claim.save_revision(user=editor).publish(user=editor)
    assert_decided(decide(second_verifier_client, claim, "verified"), claim, Claim.Status.VERIFIED)
    # The verifier's edit reopens the claim; their own reopening must not hide the edit.
    data = edit_data(claim, statement="Putin was ready for talks with Macron.")
    assert_edited(verifier_client.post(claim_url("edit", claim), data), claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    assert_refused(decide(verifier_client, claim, "verified"), claim)
    assert_decided(decide(second_verifier_client, claim, "verified"), claim, Claim.Status.VERIFIED)


def test_edits_before_another_verifiers_decision_do_not_bar_later_decisions(
    verifier_client, second_verifier_client, editor
):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    claim.save_revision(user=editor).publish(user=editor)
    data = edit_data(claim, statement="Putin was ready for dialogue with Macron, said Peskov.")
    assert_edited(verifier_client.post(claim_url("edit", claim), data), claim)
    assert_refused(decide(verifier_client, claim, "verified"), claim)
    # The second verifier decides on the edited claim, then reopens it.
    assert_decided(decide(second_verifier_client, claim, "verified"), claim, Claim.Status.VERIFIED)
    response = decide(second_verifier_client, claim, "unverified")
    assert_decided(response, claim, Claim.Status.UNVERIFIED)
    # The first verifier's edit has been checked by someone else since: they may decide now.
    assert_decided(decide(verifier_client, claim, "verified"), claim, Claim.Status.VERIFIED)


def test_an_editor_verifier_can_decide_after_editing_when_four_eyes_is_off(
    verifier_client, published_claim, settings
):
    settings.NEWSROOM_FOUR_EYES = False
    add_evidence(
        verifier_client,
        published_claim,
        source=SourceFactory().pk,
        quote="Putin was ready for dialogue with Macron",
        stance="supports",
    )
    response = decide(verifier_client, published_claim, "verified")
    assert_decided(response, published_claim, Claim.Status.VERIFIED)

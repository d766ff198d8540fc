"""Verification rules through the admin, as Editors and Verifiers, refusals included."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from newsroom.desk.models import Claim, Evidence, Verification
from newsroom.desk.verification import VerificationError, verification_version, verify_claim
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    claim_url,
    claim_with_evidence,
)

pytestmark = pytest.mark.django_db


def decide(client, claim, status, note="", single_source=False, seen_version=None):
    data = {
        "status": status,
        "note": note,
        "seen_version": verification_version(claim) if seen_version is None else seen_version,
    }
    if single_source:
        data["single_source"] = "on"
    return client.post(claim_url("verify", claim), data)


def problems(response):
    return " ".join(response.context["form"].non_field_errors())


def assert_decided(response, claim, status):
    """The decision was taken: back to the claim's edit page, the claim now `status`."""
    assert (response.status_code, response.get("Location")) == (302, claim_url("edit", claim))
    claim.refresh_from_db()
    assert claim.status == status


def assert_unchanged(claim):
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    assert claim.verified_by is None
    assert not Verification.objects.filter(claim=claim).exists()
    assert not ModelLogEntry.objects.filter(action__startswith="newsroom.claim.").exists()


def test_verifier_verifies_a_claim_two_outlets_support(verifier_client, verifier, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    response = decide(verifier_client, claim, "verified", note="Two outlets quote Peskov.")
    assert_decided(response, claim, Claim.Status.VERIFIED)
    assert claim.verified_by == verifier
    assert claim.verified_at is not None
    assert claim.verification_note == "Two outlets quote Peskov."
    assert not claim.single_source
    decision = Verification.objects.get(claim=claim)
    assert (decision.status, decision.verified_by, decision.note) == (
        "verified",
        verifier,
        "Two outlets quote Peskov.",
    )
    entry = ModelLogEntry.objects.get(action="newsroom.claim.verified")
    assert entry.user == verifier
    assert entry.object_id == str(claim.pk)
    assert entry.data["note"] == "Two outlets quote Peskov."
    history = verifier_client.get(claim_url("history", claim))
    assert "Claim verified" in history.content.decode()


def test_verify_form_is_reachable_from_the_edit_page_only_for_verifiers(
    verifier_client, editor_client, editor
):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    verify_url = claim_url("verify", claim)
    assert verify_url in verifier_client.get(claim_url("edit", claim)).content.decode()
    edit_page = editor_client.get(claim_url("edit", claim)).content.decode()
    assert verify_url not in edit_page
    # The edit page's side panel shows each quote marked in its source's text.
    assert "Evidence in context" in edit_page
    assert "<mark>Putin was ready for dialogue with Macron</mark>" in edit_page
    page = verifier_client.get(verify_url)
    assert page.status_code == 200
    assert "<mark>Putin was ready for dialogue with Macron</mark>" in page.content.decode()


def test_forged_verification_by_an_editor_is_refused_and_changes_nothing(editor_client, verifier):
    claim = claim_with_evidence(verifier, stances=("supports", "supports"))
    # Wagtail's admin turns PermissionDenied into a redirect home with a message.
    assert editor_client.get(claim_url("verify", claim)).url == reverse("wagtailadmin_home")
    response = decide(editor_client, claim, "verified", note="Forged.")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert_unchanged(claim)


def test_the_service_refuses_a_user_without_the_permission(editor, verifier):
    claim = claim_with_evidence(verifier, stances=("supports", "supports"))
    with pytest.raises(VerificationError, match="do not have permission"):
        verify_claim(claim, editor, Claim.Status.VERIFIED, note="Forged.")
    assert_unchanged(claim)


def test_four_eyes_the_author_cannot_verify_their_own_claim(verifier_client, verifier):
    claim = claim_with_evidence(verifier, stances=("supports", "supports"))
    response = decide(verifier_client, claim, "verified")
    assert response.status_code == 200
    assert "You wrote this claim, so someone else must verify it" in problems(response)
    assert "The claim was not changed." in response.content.decode()
    assert_unchanged(claim)


def test_four_eyes_can_be_relaxed_for_a_one_person_newsroom(verifier_client, verifier, settings):
    settings.NEWSROOM_FOUR_EYES = False
    claim = claim_with_evidence(verifier, stances=("supports", "supports"))
    assert_decided(decide(verifier_client, claim, "verified"), claim, Claim.Status.VERIFIED)


def test_verified_needs_an_anchored_supporting_quote(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("disputes", "disputes"))
    response = decide(verifier_client, claim, "verified", note="x", single_source=True)
    assert "needs at least one anchored supporting quote" in problems(response)
    assert_unchanged(claim)


def test_one_outlet_is_refused_without_a_single_source_note(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports",))
    response = decide(verifier_client, claim, "verified")
    message = problems(response)
    assert "supporting quotes from at least 2 different outlets; this one has 1" in message
    assert "single source" in message
    response = decide(verifier_client, claim, "verified", single_source=True)
    assert "at least 2 different outlets" in problems(response)
    assert_unchanged(claim)


def test_two_sources_of_one_outlet_count_as_one_outlet(verifier_client, editor):
    claim = ClaimFactory(created_by=editor)
    outlet = OutletFactory(name="Same Wire")
    for _ in range(2):
        EvidenceFactory(claim=claim, source=SourceFactory(outlet=outlet))
    assert claim.corroboration().supporting_sources == 2
    response = decide(verifier_client, claim, "verified")
    assert "this one has 1" in problems(response)
    assert_unchanged(claim)


def test_single_source_with_a_note_is_verified_and_shown(verifier_client, editor, settings):
    claim = claim_with_evidence(editor, stances=("supports",))
    note = "Only TASS reports this; no other outlet has confirmed it."
    response = decide(verifier_client, claim, "verified", note=note, single_source=True)
    assert_decided(response, claim, Claim.Status.VERIFIED)
    assert (claim.status, claim.single_source, claim.verification_note) == ("verified", True, note)
    assert Verification.objects.get(claim=claim).single_source
    page = verifier_client.get(claim_url("inspect", claim)).content.decode()
    assert "Single source." in page
    assert note in page


def test_the_outlet_minimum_is_a_setting(verifier_client, editor, settings):
    settings.NEWSROOM_MIN_OUTLETS = 3
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    assert "at least 3 different outlets; this one has 2" in problems(
        decide(verifier_client, claim, "verified")
    )
    assert_unchanged(claim)


def test_disputed_needs_a_disputing_quote_and_false_needs_a_note(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    assert "needs at least one anchored disputing quote" in problems(
        decide(verifier_client, claim, "disputed")
    )
    assert_unchanged(claim)
    EvidenceFactory(claim=claim, quote="any talks would be held", stance="disputes")
    assert "needs a note saying why" in problems(decide(verifier_client, claim, "false"))
    assert_unchanged(claim)
    assert_decided(decide(verifier_client, claim, "disputed"), claim, Claim.Status.DISPUTED)
    response = decide(verifier_client, claim, "false", note="The Elysee denied it.")
    assert_decided(response, claim, Claim.Status.FALSE)
    assert list(claim.verifications.values_list("status", flat=True)) == ["false", "disputed"]
    assert ModelLogEntry.objects.filter(action="newsroom.claim.false").count() == 1


def test_a_quote_that_no_longer_anchors_blocks_verification(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    lost = claim.evidence.first()
    Evidence.objects.filter(pk=lost.pk).update(anchor_status=Evidence.AnchorStatus.LOST)
    message = problems(decide(verifier_client, claim, "verified"))
    assert "no longer anchors in its source" in message
    assert_unchanged(claim)


def test_needs_recheck_cannot_be_set_by_hand(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    response = decide(verifier_client, claim, "needs_recheck")
    assert response.status_code == 200
    assert_unchanged(claim)


def test_a_claim_locked_by_someone_else_cannot_be_verified(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    Claim.objects.filter(pk=claim.pk).update(locked=True, locked_by=editor)
    response = decide(verifier_client, claim, "verified")
    message = problems(response)
    assert "This claim is locked." in message
    assert "Only editor can make changes" in message
    assert_unchanged(claim)


def test_a_claim_locked_by_the_verifier_can_be_verified(verifier_client, verifier, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    Claim.objects.filter(pk=claim.pk).update(locked=True, locked_by=verifier)
    assert_decided(decide(verifier_client, claim, "verified"), claim, Claim.Status.VERIFIED)


def test_unpublished_changes_must_be_published_before_deciding(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    Claim.objects.filter(pk=claim.pk).update(has_unpublished_changes=True)
    message = problems(decide(verifier_client, claim, "verified"))
    assert "unpublished changes" in message
    assert_unchanged(claim)


def test_a_stale_form_cannot_overwrite_a_newer_decision(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports", "disputes", "disputes"))
    seen = verification_version(claim)
    response = decide(verifier_client, claim, "disputed", seen_version=seen)
    assert_decided(response, claim, Claim.Status.DISPUTED)
    response = decide(verifier_client, claim, "verified", seen_version=seen)
    assert "Someone else has just decided on this claim (it is now disputed)" in problems(response)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DISPUTED
    assert claim.verifications.count() == 1


def test_reopening_returns_a_decided_claim_to_unverified(verifier_client, editor):
    claim = claim_with_evidence(editor, stances=("supports", "supports"))
    assert_decided(decide(verifier_client, claim, "verified"), claim, Claim.Status.VERIFIED)
    note = "Reopened: the second report turned out to copy the first."
    response = decide(verifier_client, claim, "unverified", note=note)
    assert_decided(response, claim, Claim.Status.UNVERIFIED)
    # A verifier's reopening is their ruling: readers see their note as the verifier's.
    assert (claim.verified_by.get_username(), claim.verifier_note) == ("verifier", note)
    assert ModelLogEntry.objects.filter(action="newsroom.claim.reopened").exists()


def test_claim_page_shows_a_transcript_quote_in_context_with_its_timestamp(editor_client):
    body = "Good evening from Paris.\nThe Kremlin says Putin is ready for dialogue with Macron."
    transcript = SourceFactory(
        kind="transcript",
        original_text=body,
        body=body,
        segments=[
            {"start": 0, "label": "00:00", "start_offset": 0, "end_offset": 24},
            {"start": 102, "label": "01:42", "start_offset": 25, "end_offset": len(body)},
        ],
    )
    evidence = EvidenceFactory(source=transcript, quote="Putin is ready for dialogue")
    assert evidence.timestamp == "01:42"
    page = editor_client.get(claim_url("inspect", evidence.claim)).content.decode()
    assert "at 01:42" in page
    assert (
        "Good evening from Paris.\nThe Kremlin says <mark>Putin is ready for dialogue</mark> "
        "with Macron."
    ) in page

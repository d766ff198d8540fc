"""anchor_quote: a quote anchors only word for word, up to harmless differences in spacing,
quote marks, dashes and case; a near-match is a hint for the editor, never an anchor."""

from newsroom.desk.anchoring import anchor_quote, closest_passage, refusal_message
from tests.factories import SourceFactory, anchored

MACRON = (
    "Kremlin spokesman Dmitry Peskov said on Sunday that Vladimir Putin is ready for "
    "dialogue with Emmanuel Macron, and that the French president’s remarks were welcome."
)
NEGATED = "Vladimir Putin is not ready for dialogue with Emmanuel Macron"


def test_a_quote_in_the_text_anchors_exactly():
    quote = "Vladimir Putin is ready for dialogue with Emmanuel Macron"
    assert anchored(MACRON, quote) == (quote, "exact")


def test_a_negated_quote_does_not_anchor_however_close():
    assert anchor_quote(MACRON, NEGATED) is None


def test_a_quote_with_a_word_changed_or_dropped_does_not_anchor():
    assert anchor_quote(MACRON, "Vladimir Putin is ready for talks with Emmanuel Macron") is None
    assert anchor_quote(MACRON, "Vladimir Putin is ready for dialogue with Macron") is None


def test_spacing_quote_marks_dashes_and_case_are_folded():
    body = "Peskov:  “Putin is ready” — for dialogue with the president's\nteam."
    quote = 'peskov: "putin is READY" - for dialogue with the president’s team.'
    assert anchored(body, quote) == (body, "normalised")


def test_the_closest_passage_is_a_hint_in_the_refusal():
    source = SourceFactory.build(title="Kremlin readout", original_text=MACRON, body=MACRON)
    assert "Vladimir Putin is ready for dialogue with Emmanuel Macron" in closest_passage(
        MACRON, NEGATED
    )
    message = refusal_message(source, NEGATED)
    assert message.startswith("This quote is not in “Kremlin readout” word for word.")
    assert "The closest passage is: “" in message
    assert "Putin is ready for dialogue with Emmanuel" in message


def test_the_migration_unanchors_quotes_that_only_matched_approximately(db, editor, verifier):
    from importlib import import_module

    from django.apps import apps

    from newsroom.desk.models import Claim, Evidence
    from newsroom.desk.verification import verify_claim
    from tests.factories import ClaimFactory, EvidenceFactory

    migration = import_module("newsroom.desk.migrations.0005_evidence_word_for_word")
    claim = ClaimFactory(created_by=editor)
    near = EvidenceFactory(claim=claim)
    verify_claim(claim, verifier, Claim.Status.VERIFIED, "One outlet.", single_source=True)
    exact = EvidenceFactory()
    Evidence.objects.filter(pk=near.pk).update(anchor_method="fuzzy", anchor_score=93.0)

    migration.unanchor_near_matches(apps, None)

    near.refresh_from_db()
    assert (near.anchor_status, near.start_offset, near.anchor_method) == ("lost", None, "")
    exact.refresh_from_db()
    assert exact.is_anchored
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK
    statuses = list(claim.verifications.order_by("pk").values_list("status", flat=True))
    assert statuses == ["verified", "needs_recheck"]
    assert Claim.objects.get(pk=exact.claim_id).status == Claim.Status.UNVERIFIED

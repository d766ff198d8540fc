"""reanchor_source: quotes follow their words when a source's body changes."""

import pytest

from newsroom.anchoring import reanchor_source
from newsroom.models import Claim, Evidence
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db

BODY = (
    "The Kremlin said on 21 December that Putin was ready for dialogue with Macron.\n\n"
    "The Elysee Palace said any talks would be held in full transparency with Kyiv."
)


def change_body(source, body):
    previous = source.body
    source.body = body
    source.save()
    return previous


def test_shifted_quote_stays_anchored_at_its_new_place():
    source = SourceFactory(original_text=BODY, body=BODY)
    evidence = EvidenceFactory(source=source, quote="held in full transparency with Kyiv")
    previous = change_body(source, "A new first paragraph.\n\n" + BODY)

    flagged = reanchor_source(source, previous_body=previous)

    assert flagged == []
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.ANCHORED
    assert evidence.start_offset == source.body.index("held in full")
    assert evidence.anchored_text == "held in full transparency with Kyiv"
    assert Claim.objects.get(pk=evidence.claim_id).status == Claim.Status.UNVERIFIED


def test_quote_no_longer_found_is_lost_and_its_claim_needs_recheck():
    source = SourceFactory(original_text=BODY, body=BODY)
    evidence = EvidenceFactory(source=source, quote="Putin was ready for dialogue with Macron")
    previous = change_body(source, BODY.replace("Putin was ready for dialogue", "Putin refused"))

    flagged = reanchor_source(source, previous_body=previous)

    assert [claim.pk for claim in flagged] == [evidence.claim_id]
    assert flagged[0].status == Claim.Status.NEEDS_RECHECK
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.LOST
    assert evidence.start_offset is None and evidence.end_offset is None
    assert Claim.objects.get(pk=evidence.claim_id).status == Claim.Status.NEEDS_RECHECK


def test_quote_whose_words_changed_is_moved_and_its_claim_needs_recheck():
    source = SourceFactory(original_text=BODY, body=BODY)
    evidence = EvidenceFactory(source=source, quote="any talks would be held in full transparency")
    previous = change_body(source, BODY.replace("any talks would", "all talks would"))

    flagged = reanchor_source(source, previous_body=previous)

    assert [claim.pk for claim in flagged] == [evidence.claim_id]
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.MOVED
    assert evidence.anchor_method == "fuzzy"
    assert evidence.anchored_text.endswith("talks would be held in full transparency")


def test_fuzzy_quote_over_unchanged_words_stays_anchored():
    source = SourceFactory(original_text=BODY, body=BODY)
    # A quote that anchored fuzzily from the start (a typo in the quote).
    evidence = EvidenceFactory(source=source, quote="any talks would be held in ful transparency")
    assert evidence.anchor_method == "fuzzy"
    previous = change_body(source, "Update.\n\n" + BODY)

    assert reanchor_source(source, previous_body=previous) == []
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.ANCHORED


def test_only_claims_citing_the_changed_source_are_touched():
    source = SourceFactory(original_text=BODY, body=BODY)
    other = SourceFactory(original_text=BODY, body=BODY)
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=source, quote="Putin was ready for dialogue with Macron")
    untouched = EvidenceFactory(source=other, quote="Putin was ready for dialogue with Macron")
    previous = change_body(source, "Nothing of the sort was said.")

    flagged = reanchor_source(source, previous_body=previous)

    assert [c.pk for c in flagged] == [claim.pk]
    untouched.refresh_from_db()
    assert untouched.anchor_status == Evidence.AnchorStatus.ANCHORED
    assert Claim.objects.get(pk=untouched.claim_id).status == Claim.Status.UNVERIFIED

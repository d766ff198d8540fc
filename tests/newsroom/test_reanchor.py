"""reanchor_evidence: quotes follow their words when a source's body changes, and only their
words: a quote the new body has only approximately is lost."""

import pytest

from newsroom.desk.actions.sources import reanchor_evidence
from newsroom.desk.models import Claim, Evidence
from tests.factories import SAMPLE_BODY, ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return SourceFactory(original_text=SAMPLE_BODY, body=SAMPLE_BODY)


def reanchor_with_body(source, body):
    """Give the source a new body, re-anchor its quotes, and return the claims flagged."""
    source.body = body
    source.save()
    return reanchor_evidence(source)


def claim_status(evidence):
    return Claim.objects.get(pk=evidence.claim_id).status


def test_shifted_quote_stays_anchored_at_its_new_place(source):
    evidence = EvidenceFactory(source=source, quote="held in full transparency with Kyiv")

    flagged = reanchor_with_body(source, "A new first paragraph.\n\n" + SAMPLE_BODY)

    assert flagged == []
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.ANCHORED
    assert evidence.start_offset == source.body.index("held in full")
    assert evidence.anchored_text == "held in full transparency with Kyiv"
    assert claim_status(evidence) == Claim.Status.UNVERIFIED


@pytest.mark.parametrize(
    ("quote", "old", "new"),
    [
        (
            "Putin was ready for dialogue with Macron",
            "Putin was ready for dialogue",
            "Putin refused",
        ),
        ("any talks would be held in full transparency", "any talks would", "all talks would"),
        # However close, a negation is another meaning.
        ("Putin was ready for dialogue with Macron", "Putin was ready", "Putin was not ready"),
    ],
    ids=["words-gone", "a-word-changed", "negated"],
)
def test_a_quote_no_longer_word_for_word_is_lost_and_its_claim_needs_recheck(
    source, quote, old, new
):
    evidence = EvidenceFactory(source=source, quote=quote)

    flagged = reanchor_with_body(source, SAMPLE_BODY.replace(old, new))

    assert [claim.pk for claim in flagged] == [evidence.claim_id]
    assert flagged[0].status == Claim.Status.NEEDS_RECHECK
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.LOST
    assert not evidence.is_anchored
    assert (evidence.start_offset, evidence.end_offset, evidence.anchored_text) == (None, None, "")
    assert claim_status(evidence) == Claim.Status.NEEDS_RECHECK


def test_a_quote_whose_spacing_changed_stays_anchored(source):
    evidence = EvidenceFactory(source=source, quote="held in full transparency with Kyiv")
    new_body = SAMPLE_BODY.replace("in full transparency", "in  full\ntransparency")

    assert reanchor_with_body(source, new_body) == []
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.ANCHORED
    assert evidence.anchor_method == "normalised"
    assert evidence.anchored_text == "held in  full\ntransparency with Kyiv"


def test_only_claims_citing_the_changed_source_are_touched(source):
    other = SourceFactory(original_text=SAMPLE_BODY, body=SAMPLE_BODY)
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, source=source, quote="Putin was ready for dialogue with Macron")
    untouched = EvidenceFactory(source=other, quote="Putin was ready for dialogue with Macron")

    flagged = reanchor_with_body(source, "Nothing of the sort was said.")

    assert [c.pk for c in flagged] == [claim.pk]
    untouched.refresh_from_db()
    assert untouched.anchor_status == Evidence.AnchorStatus.ANCHORED
    assert claim_status(untouched) == Claim.Status.UNVERIFIED

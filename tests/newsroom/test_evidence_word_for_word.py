"""Evidence is a quote word for word: a near-match with another meaning ("is not ready" for
"is ready") is refused wherever a quote is entered, with the closest passage as a hint, and
readers see the source's own words."""

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from explainers.blocks import PullQuoteBlock
from newsroom.desk.models import Claim, Evidence
from newsroom.desk.verification import verification_version
from tests.factories import (
    ClaimFactory,
    SourceFactory,
    cited_claim_block,
    claim_url,
    explainer_page,
    soup_of,
)

pytestmark = pytest.mark.django_db

TEXT = (
    "Kremlin spokesman Dmitry Peskov said on Sunday that Vladimir Putin is ready for "
    "dialogue with Emmanuel Macron. “The president’s remarks were noted,” he added."
)
NEGATED = "Vladimir Putin is not ready for dialogue with Emmanuel Macron"


@pytest.fixture
def source():
    return SourceFactory(title="Kremlin readout", original_text=TEXT, body=TEXT)


def add_claim(client, source, quote):
    return client.post(
        claim_url("add"),
        {
            "statement": "Putin is ready to talk to Macron.",
            "action-publish": "publish",
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "0",
            "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "1000",
            "evidence-0-source": source.pk,
            "evidence-0-quote": quote,
            "evidence-0-stance": "supports",
            "evidence-0-note": "",
            "evidence-0-ORDER": "1",
        },
    )


def test_the_admin_refuses_a_negated_quote_and_shows_the_closest_passage(editor_client, source):
    response = add_claim(editor_client, source, NEGATED)

    assert response.status_code == 200
    content = response.content.decode()
    assert "This quote is not in “Kremlin readout” word for word." in content
    assert "The closest passage is: “" in content
    assert "Vladimir Putin is ready for dialogue with Emmanuel Macron" in content
    assert not Claim.objects.exists()
    assert not Evidence.objects.exists()


def test_a_negated_quote_added_in_one_click_is_refused_and_cannot_verify(
    editor, editor_client, verifier_client, source
):
    claim = ClaimFactory(created_by=editor, statement="Putin is ready to talk to Macron.")
    claim.save_revision(user=editor).publish(user=editor)

    response = editor_client.post(
        claim_url("add_evidence", claim),
        {"source": source.pk, "quote": NEGATED, "stance": "supports"},
        follow=True,
    )
    assert "is not in “Kremlin readout” word for word" in response.content.decode()
    assert not claim.evidence.exists()

    response = verifier_client.post(
        claim_url("verify", claim),
        {
            "status": "verified",
            "note": "Only the Kremlin said it.",
            "single_source": "on",
            "seen_version": verification_version(claim),
        },
    )
    assert "needs at least one anchored supporting quote" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED


def test_a_quote_differing_only_in_quote_marks_is_cited_in_the_source_words(
    editor_client, source, client
):
    typed = '"The president\'s remarks were noted," he added.'
    response = add_claim(editor_client, source, typed)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == claim_url("list")

    evidence = Evidence.objects.get()
    assert evidence.is_anchored and evidence.anchor_method == "normalised"
    assert evidence.anchored_text == "“The president’s remarks were noted,” he added."
    page = explainer_page(body=[cited_claim_block(evidence.claim, show_as_unverified=True)])
    soup = soup_of(client, page)
    shown = soup.select_one(".quote blockquote").text.strip()
    assert shown == "“The president’s remarks were noted,” he added."


def test_a_pull_quote_with_a_negated_quote_is_refused(source):
    block = PullQuoteBlock()
    value = block.to_python({"source": source.pk, "quote": NEGATED, "attribution": ""})

    with pytest.raises(StructBlockValidationError) as refusal:
        block.clean(value)

    message = " ".join(refusal.value.block_errors["quote"].messages)
    assert "is not in “Kremlin readout” word for word" in message
    assert "Vladimir Putin is ready for dialogue with Emmanuel Macron" in message


def test_readers_see_a_pull_quote_in_the_source_words(source, client):
    typed = "the president's remarks were noted"
    block = PullQuoteBlock()
    block.clean(block.to_python({"source": source.pk, "quote": typed, "attribution": ""}))
    page = explainer_page(
        body=[{"type": "pull_quote", "value": {"source": source.pk, "quote": typed}}]
    )

    soup = soup_of(client, page)

    assert soup.select_one("figure.pull-quote blockquote").text.strip() == (
        "The president’s remarks were noted"
    )

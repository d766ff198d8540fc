"""A quote anchors only on word boundaries, in any script: "willing to talk" is not in
"unwilling to talk", nor "it will not" in "it will note". Apostrophes and hyphens between
letters, and separators between digits, belong to the word or number around them."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.blocks.struct_block import StructBlockValidationError

from explainers.blocks import PullQuoteBlock
from newsroom.desk.anchoring import anchor_quote, on_word_boundaries
from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.verification import verify_claim
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory, anchored, claim_url
from tests.newsroom.test_evidence_word_for_word import add_claim


def refused(body, quote):
    return anchor_quote(body, quote) is None


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        ("He said he was unwilling to talk to Putin.", "willing to talk to Putin"),
        ("The ministry said it will note the request.", "it will not"),
        ("Étéphane arrived.", "été"),
        ("Il a vu l'étéphant.", "été"),
        ("Le traité est déjà passé.", "pass"),
        ("Le traité est déjà passe\u0301.", "passe"),
        ("Un accord non-ratifié.", "ratifié"),
        ("Un ÉTAT souverain.", "ÉTA"),
    ],
)
def test_a_latin_quote_inside_a_word_is_refused(body, quote):
    assert refused(body, quote)


def test_a_latin_quote_with_accents_anchors_on_its_own_words():
    body = "Un accord non-ratifié. Le traité sera ratifié l'été prochain."
    assert anchored(body, "ratifié l'été") == ("ratifié l'été", "exact")
    assert anchored(body, "RATIFIÉ L’ÉTÉ") == ("ratifié l'été", "normalised")


@pytest.mark.parametrize(
    ("body", "quote", "expected"),
    [
        ("Он не хотел заговорить первым.", "говорить", None),
        ("Он готов говорить с Макроном.", "говорить", "говорить"),
        ("Он готов ГОВОРИТЬ с Макроном.", "говорить с макроном", "ГОВОРИТЬ с Макроном"),
        ("Πρόκειται για σοσιαλδημοκρατία.", "δημοκρατία", None),
        ("Η δημοκρατία νίκησε.", "δημοκρατία", "δημοκρατία"),
        ("Η ΔΗΜΟΚΡΑΤΊΑ νίκησε.", "δημοκρατία νίκησε", "ΔΗΜΟΚΡΑΤΊΑ νίκησε"),
    ],
)
def test_cyrillic_and_greek_words_are_whole_words(body, quote, expected):
    anchor = anchor_quote(body, quote)
    assert (anchor and body[anchor.start : anchor.end]) == expected


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc"])
def test_an_apostrophe_between_letters_joins_one_word(apostrophe):
    body = f"Moscow won{apostrophe}t send Putin{apostrophe}s envoy."
    assert refused(body, "won")
    assert refused(body, "t send")
    assert refused(body, "send Putin")
    assert anchored(body, "Putin's envoy")[0] == f"Putin{apostrophe}s envoy"
    assert anchored(body, f"won{apostrophe}t send") == (f"won{apostrophe}t send", "exact")


def test_an_apostrophe_at_a_word_edge_is_not_a_joiner():
    body = "The negotiators' table was set for 'serious' talks."
    assert anchored(body, "negotiators") == ("negotiators", "exact")
    assert anchored(body, "serious") == ("serious", "exact")


@pytest.mark.parametrize("hyphen", ["-", "\u2010", "\u2011", "\u2013", "\u2212", "\u00ad"])
def test_a_hyphen_or_dash_between_letters_joins_one_word(hyphen):
    body = f"A non{hyphen}binding, anti{hyphen}Russian, Franco{hyphen}Russian text."
    assert refused(body, "binding")
    assert refused(body, "non")
    assert refused(body, "Russian")
    assert refused(body, "anti")


def test_a_quote_holding_a_hyphen_anchors_on_its_own_words():
    body = "They signed a non–binding accord, not a binding one."
    assert anchored(body, "non-binding accord") == ("non–binding accord", "normalised")
    assert anchored(body, "binding") == ("binding", "exact")
    assert anchor_quote(body, "binding").start == body.index(" binding one") + 1


def test_a_spaced_dash_is_not_a_joiner():
    body = "The talks – binding or not – will resume."
    assert anchored(body, "binding or not") == ("binding or not", "exact")


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        ("Only 150 soldiers were sent.", "15"),
        ("Only 150 soldiers were sent.", "50 soldiers"),
        ("It was in 2015.", "15"),
        ("Some 1,500 troops were sent.", "500 troops"),
        ("Inflation reached 12.5 percent.", "5 percent"),
        ("Inflation reached 12.5 percent.", "12"),
        ("Some 15km away.", "15"),
    ],
)
def test_a_number_inside_a_number_or_word_is_refused(body, quote):
    assert refused(body, quote)


def test_a_number_anchors_on_its_own():
    body = "In 2015, only 15 soldiers, then 1,500, were sent."
    assert anchored(body, "15 soldiers") == ("15 soldiers", "exact")
    assert anchored(body, "2015") == ("2015", "exact")
    assert anchored(body, "1,500") == ("1,500", "exact")


def test_an_occurrence_inside_a_word_is_passed_over_for_a_later_one():
    body = "He is unwilling to talk to Putin. She is willing to talk to Putin."
    anchor = anchor_quote(body, "willing to talk to Putin")
    assert (anchor.start, anchor.method) == (body.index(" willing") + 1, "exact")


def test_a_folded_occurrence_inside_a_word_is_passed_over_for_a_later_one():
    body = "It will note the request, but “it will not” sign."
    assert anchored(body, '"IT WILL NOT"') == ("“it will not”", "normalised")
    assert anchored(body, "It will not") == ("it will not", "normalised")
    assert refused("It will note the request.", "IT WILL NOT")


def test_a_quote_beginning_or_ending_with_punctuation_is_checked_at_its_letters_only():
    body = "He said “ready.”Then he left, saying 'rock-and-roll'."
    assert anchored(body, "“ready.”") == ("“ready.”", "exact")
    assert anchored(body, "ready.") == ("ready.", "exact")
    assert anchored(body, "-and-") == ("-and-", "exact")
    assert refused(body, "and")


def test_on_word_boundaries_checks_stored_offsets():
    body = "He is unwilling to talk."
    start = body.index("willing")
    assert not on_word_boundaries(body, start, start + len("willing"))
    assert on_word_boundaries(body, start - 2, start + len("willing"))
    assert on_word_boundaries(body, 0, len(body))
    assert not on_word_boundaries(body, 3, 3)
    assert not on_word_boundaries(body, 0, len(body) + 1)


def test_the_rest_of_a_word_is_skipped_but_not_the_next_word():
    assert refused("Putin" * 200_000, "Putin")
    assert refused("a" * 200_000, "aa")
    assert refused("e\u0301" * 1000, "\u0301e")
    body = "PutinPutinPutin, Putin"
    assert anchor_quote(body, "Putin").start == body.index(" Putin") + 1
    assert anchor_quote(body, "PUTIN").start == body.index(" Putin") + 1


LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêëàâçñøåüöÉÈÀÇÑØÅÜÖ"
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"
GREEK = "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"
LETTERS = st.sampled_from([LATIN, CYRILLIC, GREEK]).flatmap(
    lambda script: st.text(alphabet=script, min_size=1, max_size=12)
)
JOINERS = st.sampled_from(["", "'", "\u2019", "-", "\u2010", "\u2013"])


@settings(max_examples=300, deadline=None)
@given(word=LETTERS, letters=LETTERS, joiner=JOINERS)
def test_a_word_anchors_only_where_it_starts_a_word(word, letters, joiner):
    quote = f"{word} x"
    assert anchor_quote(f"{letters}{joiner}{word} x", quote) is None
    assert anchor_quote(f"{letters}{joiner}{word} x", quote.upper()) is None
    assert anchor_quote(f" {word} x", quote) is not None
    assert anchor_quote(f" {word} x", quote.upper()) is not None


@settings(max_examples=300, deadline=None)
@given(word=LETTERS, letters=LETTERS, joiner=JOINERS)
def test_a_word_anchors_only_where_it_ends_a_word(word, letters, joiner):
    quote = f"x {word}"
    assert anchor_quote(f"x {word}{joiner}{letters}", quote) is None
    assert anchor_quote(f"x {word}{joiner}{letters}", quote.upper()) is None
    assert anchor_quote(f"x {word} ", quote) is not None
    assert anchor_quote(f"x {word} ", quote.upper()) is not None


# End to end: every place a quote is entered or re-anchored refuses a quote inside a word.

UNWILLING = "Paris said on Monday that it was unwilling to talk to Putin before the summit."
NOTED = (
    "Ministry replies to Kyiv\n\n"
    "The ministry said it will not sign the accord before the elections.\n\n"
    "Officials added that the text would be published in full."
)


@pytest.fixture
def unwilling(db):
    return SourceFactory(title="Élysée readout", original_text=UNWILLING, body=UNWILLING)


def test_the_admin_refuses_a_quote_found_only_inside_a_word(editor_client, unwilling):
    response = add_claim(editor_client, unwilling, "willing to talk to Putin")

    assert response.status_code == 200
    content = response.content.decode()
    assert "This quote is not in “Élysée readout” word for word." in content
    assert "unwilling to talk to Putin" in content
    assert not Claim.objects.exists()
    assert not Evidence.objects.exists()


def test_the_admin_anchors_the_whole_word(editor_client, unwilling):
    response = add_claim(editor_client, unwilling, "unwilling to talk to Putin")

    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == claim_url("list")
    assert Evidence.objects.get().anchored_text == "unwilling to talk to Putin"


def test_a_pull_quote_found_only_inside_a_word_is_refused(unwilling):
    block = PullQuoteBlock()
    value = block.to_python({"source": unwilling.pk, "quote": "willing to talk", "attribution": ""})

    with pytest.raises(StructBlockValidationError) as refusal:
        block.clean(value)

    message = " ".join(refusal.value.block_errors["quote"].messages)
    assert "is not in “Élysée readout” word for word" in message


def test_a_reimport_turning_a_quote_into_part_of_a_word_flags_its_claim(
    run_import, tmp_path, editor, verifier
):
    story = tmp_path / "ministry.txt"
    story.write_text(NOTED, encoding="utf-8")
    assert run_import(story)[0] == 0
    claim = ClaimFactory(created_by=editor, statement="The ministry will not sign the accord.")
    evidence = EvidenceFactory(claim=claim, source=Source.objects.get(), quote="it will not")
    verify_claim(claim, verifier, Claim.Status.VERIFIED, "The ministry.", single_source=True)

    story.write_text(NOTED.replace("will not", "will note"), encoding="utf-8")
    status, out, err = run_import(story)

    assert status == 0, err
    assert "1 claims need re-check" in out
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK
    evidence.refresh_from_db()
    assert (evidence.anchor_status, evidence.start_offset) == (Evidence.AnchorStatus.LOST, None)

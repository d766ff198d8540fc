"""Pull quotes are held to what evidence is held to (issue #12, #5): the source a live
explainer's pull quote comes from cannot be deleted under it; a page whose pull quote lost
its source anyway still answers, without the quote; a re-import that takes the words out
of the source takes the pull quote down, in the page's history and under "Corrections and
updates"; and the page form refuses words found only inside other words."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import rich_text

from explainers.models import Correction, ExplainerPage, PullQuote
from newsroom.desk.models import Source
from tests.explainers.test_publish_guard import page_form_data, post_edit
from tests.explainers.test_publish_guard_paths import bulk_publish
from tests.factories import SourceFactory, cited_claim_block, explainer_page, messages_of

pytestmark = pytest.mark.django_db

TITLE = "Kremlin open to talks with Paris"
WORDS = "any talks would have to be serious and prepared in advance"
TEXT = (
    f"{TITLE}\n\n"
    "Kremlin spokesman Dmitry Peskov said on Sunday that Vladimir Putin was ready for "
    "dialogue with Emmanuel Macron.\n\n"
    f"He added that {WORDS}."
)
LOST = "explainers.pull_quote_lost"


def pull_quote(source, quote=WORDS):
    """A pull quote block as raw StreamField data, for explainer_page(body=…)."""
    value = {"source": source.pk, "quote": quote, "attribution": "Dmitry Peskov"}
    return {"type": "pull_quote", "value": value}


def claim_field(claim):
    return ("claim", {"claim": str(claim.pk), "framing": rich_text(""), "show_as_unverified": ""})


def pull_quote_field(source, quote=WORDS):
    return ("pull_quote", {"source": str(source.pk), "quote": quote, "attribution": ""})


def reader_page(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def shown_pull_quotes(soup):
    return [figure.blockquote.text for figure in soup.select("figure.pull-quote")]


def corrections_shown(soup):
    section = soup.select_one("section#corrections")
    return section.text if section else ""


def delete_url(source):
    return reverse("wagtailsnippets_newsroom_source:delete", args=[source.pk])


@pytest.fixture
def readout(db):
    return SourceFactory(title=TITLE, original_text=TEXT)


# Deleting the source.


def test_deleting_a_source_only_a_live_pull_quote_cites_is_refused_naming_the_explainer(
    client, editor_client, readout, verified_claim
):
    page = explainer_page(
        title="Is Putin ready to talk?",
        body=[cited_claim_block(verified_claim), pull_quote(readout)],
    )
    confirmation = editor_client.get(delete_url(readout))
    assert "Live explainers quote these sources" in messages_of(confirmation)

    response = editor_client.post(delete_url(readout))

    edit_url = reverse("wagtailsnippets_newsroom_source:edit", args=[readout.pk])
    assert response.status_code == 302
    assert response.url == edit_url
    message = messages_of(editor_client.get(edit_url))
    assert "Nothing was deleted" in message
    assert f"“{TITLE}” is pull-quoted by “Is Putin ready to talk?”" in message
    assert Source.objects.filter(pk=readout.pk).exists()
    assert shown_pull_quotes(reader_page(client, page)) == [WORDS]


def test_a_draft_whose_pull_quote_source_was_deleted_goes_live_without_the_quote(
    client, editor_client, admin_client, readout, verified_claim
):
    page = explainer_page(
        title="Still a draft",
        body=[cited_claim_block(verified_claim), pull_quote(readout)],
        publish=False,
    )
    # Only a draft quotes it, so nothing stops the deletion.
    response = editor_client.post(delete_url(readout))
    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_newsroom_source:list")
    assert not Source.objects.filter(pk=readout.pk).exists()

    bulk_publish(admin_client, [page])

    assert ExplainerPage.objects.get(pk=page.pk).live
    soup = reader_page(client, page)
    assert shown_pull_quotes(soup) == []
    assert soup.select_one(f"#claim-{verified_claim.pk}")
    assert TITLE not in soup.text


def test_a_live_page_whose_pull_quote_source_is_gone_answers_without_the_quote(
    client, readout, verified_claim
):
    page = explainer_page(body=[cited_claim_block(verified_claim), pull_quote(readout)])
    assert shown_pull_quotes(reader_page(client, page)) == [WORDS]

    # However it came about: the protecting rows gone, then the source.
    PullQuote.objects.filter(page=page).delete()
    Source.objects.filter(pk=readout.pk).delete()

    soup = reader_page(client, page)
    assert shown_pull_quotes(soup) == []
    assert soup.select_one(f"#claim-{verified_claim.pk}")
    assert TITLE not in soup.text


# Re-importing the source.


@pytest.fixture
def imported(run_import, tmp_path):
    """Import `text` from the same file each time: the first import makes the source, each
    later one re-imports it. Returns the source."""
    story = tmp_path / "kremlin.txt"

    def run(text):
        story.write_text(text, encoding="utf-8")
        status, _out, err = run_import(story)
        assert status == 0, err
        return Source.objects.get(seed_file__isnull=False)

    return run


def test_a_reimport_without_the_words_takes_the_pull_quote_down_and_tells_readers(
    client, admin_client, imported, verified_claim
):
    source = imported(TEXT)
    page = explainer_page(body=[cited_claim_block(verified_claim), pull_quote(source)])
    assert shown_pull_quotes(reader_page(client, page)) == [WORDS]

    imported(TEXT.replace(WORDS, "any talks would need preparing"))

    soup = reader_page(client, page)
    assert shown_pull_quotes(soup) == []
    assert "Corrections and updates" in corrections_shown(soup)
    assert f"A pull quote from “{TITLE}” was taken down" in corrections_shown(soup)
    assert Correction.objects.get(page=page).kind == Correction.Kind.QUOTE
    assert PullQuote.objects.get(page=page).anchor_status == PullQuote.AnchorStatus.LOST
    entry = PageLogEntry.objects.get(page=page, action=LOST)
    assert WORDS[:40] in entry.data["note"]
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert "Pull quote taken down" in history.content.decode()


def test_a_reimport_that_only_moves_the_words_keeps_the_pull_quote(
    client, imported, verified_claim
):
    source = imported(TEXT)
    # Typed with a capital; readers see the source's own words.
    page = explainer_page(
        body=[cited_claim_block(verified_claim), pull_quote(source, WORDS.capitalize())]
    )
    assert shown_pull_quotes(reader_page(client, page)) == [WORDS]

    moved = TEXT.replace("He added", "The Elysee did not comment.\n\nPeskov added")
    source = imported(moved)

    assert shown_pull_quotes(reader_page(client, page)) == [WORDS]
    row = PullQuote.objects.get(page=page)
    assert row.is_anchored
    assert source.body[row.start_offset : row.end_offset] == WORDS
    assert not Correction.objects.filter(page=page).exists()
    assert not PageLogEntry.objects.filter(page=page, action=LOST).exists()


# The rows follow the live content.


def test_publishing_records_the_pull_quotes_and_unpublishing_removes_them(
    verifier_client, admin_client, readout, verified_claim
):
    draft = explainer_page(title="Is Putin ready to talk?", publish=False)
    data = page_form_data(draft, [claim_field(verified_claim), pull_quote_field(readout)])

    post_edit(verifier_client, draft, data)

    assert ExplainerPage.objects.get(pk=draft.pk).live
    row = PullQuote.objects.get(page=draft)
    assert (row.source, row.quote, row.anchor_status) == (
        readout,
        WORDS,
        PullQuote.AnchorStatus.ANCHORED,
    )
    assert readout.body[row.start_offset : row.end_offset] == WORDS

    response = admin_client.post(reverse("wagtailadmin_pages:unpublish", args=[draft.pk]))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_explore", args=[draft.get_parent().pk])
    assert not ExplainerPage.objects.get(pk=draft.pk).live
    assert not PullQuote.objects.filter(page=draft).exists()


# The page form.


def test_the_page_form_refuses_a_pull_quote_found_only_inside_a_word(verifier_client):
    source = SourceFactory(
        title="Élysée readout",
        original_text="Macron said he was unwilling to talk to Putin before the summit.",
    )
    draft = explainer_page(title="Will Macron call Putin?", publish=False)
    data = page_form_data(draft, [pull_quote_field(source, "willing to talk to Putin")])

    response = post_edit(verifier_client, draft, data)

    page = ExplainerPage.objects.get(pk=draft.pk)
    assert not page.live
    assert page.latest_revision_id == draft.latest_revision_id
    [refusal] = response.context["form"].errors.as_data()["body"]
    [block_error] = refusal.block_errors.values()
    assert "This quote is not in “Élysée readout” word for word" in " ".join(
        block_error.block_errors["quote"].messages
    )

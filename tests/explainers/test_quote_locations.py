"""A quote's location, by the one rule (Evidence.location), on the reader's page and in the
admin: a quote from an imported caption file cites its moment ("at 01:42", its link at
#t=102), a quote from an imported PDF its page ("p. 3"). The sources are imported through
`import_sources`, as a newsroom would."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from newsroom.desk.models import Source
from tests.document_files import pdf_with_pages
from tests.factories import ClaimFactory, EvidenceFactory, cited_claim_block, explainer_page

pytestmark = pytest.mark.django_db

URL = "https://video.example.org/evening-21-dec"
SRT = """1
00:00:01,000 --> 00:00:04,000
Good evening from Paris.

2
00:01:42,250 --> 00:01:46,000
The Kremlin says Putin is ready for dialogue

3
00:01:46,000 --> 00:01:50,000
with Macron, if there is political will.
"""
PAGES = [
    ["Statement on Talks With Russia", "The ministry said France was open to talks."],
    ["The minister repeated that Kyiv would be consulted first."],
    ["Sanctions against Russia remain in force until a lasting peace is agreed."],
]


def imported(run_import, path, data):
    path.write_bytes(data)
    status, _, err = run_import(path)
    assert status == 0, err
    return Source.objects.get(seed_file=str(path))


def quoted(source, quote):
    return EvidenceFactory(claim=ClaimFactory(), source=source, quote=quote)


def reader_quote(client, claim):
    page = explainer_page(body=[cited_claim_block(claim, show_as_unverified=True)])
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("li.quote .quote-source")


def admin_line(client, claim):
    url = reverse("wagtailsnippets_newsroom_claim:inspect", args=[claim.pk])
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".evidence-in-context p")


def test_a_quote_from_a_caption_file_cites_its_moment(run_import, tmp_path, client, editor_client):
    source = imported(run_import, tmp_path / "evening.srt", SRT.encode())
    Source.objects.filter(pk=source.pk).update(url=URL)
    evidence = quoted(Source.objects.get(pk=source.pk), "Putin is ready for dialogue with Macron")

    assert evidence.location == ("01:42", 102)
    line = reader_quote(client, evidence.claim)
    assert line.select_one(".timestamp").text == "01:42"
    assert ", at 01:42" in line.text
    assert line.select_one(f'a[href="{URL}#t=102"]')
    assert line.select_one(".page") is None
    assert admin_line(editor_client, evidence.claim).select_one(".evidence-timestamp").text == (
        "at 01:42"
    )


def test_a_quote_from_a_pdf_cites_its_page(run_import, tmp_path, client, editor_client):
    source = imported(run_import, tmp_path / "statement.pdf", pdf_with_pages(PAGES))
    evidence = quoted(source, "Sanctions against Russia remain in force")

    assert evidence.location == ("p. 3", None)
    assert evidence.transcript_moment == ("", None)
    line = reader_quote(client, evidence.claim)
    assert line.select_one(".page").text == "p. 3"
    assert line.text.rstrip().endswith(", p. 3")
    assert line.select_one(".timestamp") is None
    admin = admin_line(editor_client, evidence.claim)
    assert admin.select_one(".evidence-page").text == "p. 3"
    assert admin.select_one(".evidence-timestamp") is None


def test_each_page_of_a_pdf_is_cited_for_its_own_words(run_import, tmp_path):
    source = imported(run_import, tmp_path / "statement.pdf", pdf_with_pages(PAGES))

    pages = {
        quote: quoted(source, quote).location.label
        for quote in (
            "France was open to talks",
            "Kyiv would be consulted first",
            "until a lasting peace is agreed",
        )
    }

    assert pages == {
        "France was open to talks": "p. 1",
        "Kyiv would be consulted first": "p. 2",
        "until a lasting peace is agreed": "p. 3",
    }

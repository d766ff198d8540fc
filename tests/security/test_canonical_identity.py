"""A page's canonical link never decides which source it is (issue #25, B).

Another page on the same host (or anywhere) that names an existing source's URL as its
canonical URL, however spelt, becomes a source of its own, at the URL it was fetched from,
flagged on its import line and its admin page as a possible duplicate of that source; the
existing source's text, title, revisions, claims and the explainers citing them stay as
they were. Re-importing a source's own URL still updates it."""

import pytest
from bs4 import BeautifulSoup

from explainers.models import Correction
from newsroom.desk.importing.runs import run_import
from newsroom.desk.models import Claim, ImportRun, Source
from newsroom.desk.verification import verify_claim
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    cited_claim_block,
    explainer_page,
    snippet_url,
)
from tests.security.hostile import canonical_impostors, fill_canonical_impostors
from tests.web_pages import GRAIN_PARAGRAPHS

pytestmark = pytest.mark.django_db

QUOTED = "insurance costs for ships had fallen by a third since January"
OTHER_HOST_URL = "https://kyiv-daily.example/2025/04/grain-exports"


@pytest.fixture
def genuine(run_import, news_site, editor, verifier):
    """The genuine article imported; a claim quoting it, verified and cited live; and an
    article of another host's, entered by hand."""
    url = f"{news_site.url}/news/grain-exports"
    status, out, err = run_import(url)
    assert status == 0, err
    source = Source.objects.get(url=url)
    claim = ClaimFactory(created_by=editor, statement="Ship insurance got cheaper.")
    EvidenceFactory(claim=claim, source=source, quote=QUOTED)
    verify_claim(claim, verifier, Claim.Status.VERIFIED, "One ministry.", single_source=True)
    page = explainer_page("The grain corridor", body=[cited_claim_block(claim)])
    other = SourceFactory(title="Grain exports (print)", url=OTHER_HOST_URL)
    return source, claim, page, other


def snapshot(source):
    source.refresh_from_db()
    return (
        source.title,
        source.body,
        source.original_text,
        source.content_hash,
        source.author,
        source.latest_revision_id,
        source.captures.count(),
        source.revisions.count(),
    )


def import_urls(editor, urls):
    """An import run of `urls` as the admin's Import sources page starts it."""
    from newsroom.desk.importing.runs import start_import

    run = start_import(editor, [], urls)
    run_import(run.pk)
    return ImportRun.objects.get(pk=run.pk)


def test_pages_naming_a_source_as_canonical_never_touch_it(genuine, news_site, editor, client):
    source, claim, page, other = genuine
    impostors = canonical_impostors(source.url, OTHER_HOST_URL)
    fill_canonical_impostors(news_site, impostors)
    before, other_before = snapshot(source), snapshot(other)

    run = import_urls(editor, [news_site.url + path for path in impostors])

    assert snapshot(source) == before
    assert snapshot(other) == other_before
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED
    assert not Claim.objects.filter(status=Claim.Status.NEEDS_RECHECK).exists()
    assert not Correction.objects.exists()
    assert "Needs re-check" not in client.get(page.url).content.decode()
    for item in run.items.select_related("source"):
        assert item.outcome == "imported", (item.name, item.message)
        assert item.source.url == item.name  # the URL fetched: the page's own source
        assert "Impostor" in item.source.body
        expected = other if item.name.endswith("/other-host") else source
        assert item.duplicate_of == expected, item.name
        assert f"possible duplicate of “{expected.title}”" in item.message
        assert item.source.canonical_url
        assert item.source.possible_duplicate == expected
    assert Source.objects.count() == 2 + len(impostors)


def test_the_duplicate_is_offered_on_the_run_line_and_the_source_page(
    genuine, news_site, editor, editor_client
):
    source = genuine[0]
    impostors = canonical_impostors(source.url, OTHER_HOST_URL)
    fill_canonical_impostors(news_site, {"/impostor/same": impostors["/impostor/same"]})
    run = import_urls(editor, [f"{news_site.url}/impostor/same"])
    impostor = run.items.get().source

    page = BeautifulSoup(
        editor_client.get(snippet_url("source", "import_run", run.pk)).content, "html.parser"
    )
    offer = page.select_one(".import-duplicate")
    assert "Possible duplicate of" in offer.text
    assert offer.a["href"] == snippet_url("source", "inspect", source.pk)
    status = editor_client.get(snippet_url("source", "import_run_status", run.pk)).json()
    assert status["lines"][0]["duplicate_url"] == snippet_url("source", "inspect", source.pk)

    inspect = BeautifulSoup(
        editor_client.get(snippet_url("source", "inspect", impostor.pk)).content, "html.parser"
    )
    notice = inspect.select_one(".possible-duplicate")
    assert notice.a["href"] == snippet_url("source", "inspect", source.pk)
    genuine_page = editor_client.get(snippet_url("source", "inspect", source.pk)).content
    assert b"possible-duplicate" not in genuine_page  # it names only itself


def test_reimporting_the_sources_own_url_still_updates_it(genuine, news_site, editor):
    source, claim, _, _ = genuine
    changed = GRAIN_PARAGRAPHS[1].replace("by a third", "slightly")
    from tests.web_pages import news_page

    news_site.page(
        "/news/grain-exports",
        news_page(
            "Grain exports reach a record",
            [GRAIN_PARAGRAPHS[0], changed, GRAIN_PARAGRAPHS[2]],
            canonical=source.url,
        ),
    )
    run = import_urls(editor, [source.url])

    item = run.items.get()
    assert (item.outcome, item.source_id, item.duplicate_of) == ("updated", source.pk, None)
    source.refresh_from_db()
    assert "slightly" in source.body
    assert source.canonical_url == source.url
    assert Source.objects.count() == 2
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK


def test_a_page_without_a_canonical_link_records_none(run_import, news_site):
    status, out, err = run_import(f"{news_site.url}/news/zerno")
    assert status == 0, err
    assert Source.objects.get().canonical_url == ""


@pytest.mark.parametrize(
    ("head", "canonical"),
    [
        ('<link rel="canonical" href="/a/b">', "http://site.example/a/b"),
        ("<LINK HREF='https://x.example/c' REL='Canonical'>", "https://x.example/c"),
        ('<link rel="alternate canonical" href="//x.example/d">', "http://x.example/d"),
        ('<link rel="canonical" href="javascript:alert(1)">', ""),
        ('<link rel="canonical" href="">', ""),
        ('<link rel="stylesheet" href="/s.css">', ""),
        ('</head><link rel="canonical" href="/late">', ""),
        ('<link rel="canonical" href="https://x.example/' + "a" * 2100 + '">', ""),
    ],
)
def test_the_canonical_link_is_read_from_the_head_only_as_an_http_url(head, canonical):
    from newsroom.desk.importing.web import canonical_link

    html = f"<html><head>{head}</head><body></body></html>"
    assert canonical_link(html, "http://site.example/page") == canonical

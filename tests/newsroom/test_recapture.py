"""Re-capture: a web source fetched again, from its admin page's button or with
`import_sources --refresh`. A changed page goes through the one write path (a new revision,
quotes re-anchored, claims whose quotes broke back to needs re-check), and the earlier
captured copy stays with the revision it became."""

import time

import pytest

from newsroom.desk.models import Claim, ImportRun, Source, SourceCapture
from newsroom.desk.verification import verify_claim
from tests.factories import ClaimFactory, EvidenceFactory, logged_in_client, snippet_url
from tests.web_pages import GRAIN_PARAGRAPHS, news_page

pytestmark = pytest.mark.django_db

QUOTED = "insurance costs for ships had fallen by a third since January"
PATH = "/news/grain-exports"


@pytest.fixture
def captured(run_import, news_site, editor, verifier):
    """A page imported, a claim quoting it, verified."""
    status, out, err = run_import(f"{news_site.url}{PATH}")
    assert status == 0, err
    source = Source.objects.get()
    claim = ClaimFactory(created_by=editor, statement="Ship insurance got cheaper.")
    EvidenceFactory(claim=claim, source=source, quote=QUOTED)
    verify_claim(claim, verifier, Claim.Status.VERIFIED, "One ministry.", single_source=True)
    return source, claim


def change_page(news_site, paragraphs):
    news_site.page(
        PATH,
        news_page(
            "Grain exports reach a record",
            paragraphs,
            canonical=f"{news_site.url}{PATH}",
        ),
    )


def test_recapturing_a_changed_page_makes_a_revision_and_flags_the_broken_quote(
    captured, news_site, editor_client, editor, committed
):
    source, claim = captured
    first_capture = source.captures.get()
    first_revision = source.latest_revision
    changed = GRAIN_PARAGRAPHS[1].replace("by a third", "slightly")
    change_page(news_site, [GRAIN_PARAGRAPHS[0], changed, GRAIN_PARAGRAPHS[2]])

    with committed():
        response = editor_client.post(snippet_url("source", "recapture", source.pk))

    run = ImportRun.objects.get()
    assert response["Location"] == snippet_url("source", "import_run", run.pk)
    item = run.items.get()
    assert (item.outcome, item.source_id) == ("updated", source.pk)
    assert "1 claims need re-check" in item.message
    source.refresh_from_db()
    assert "slightly" in source.body
    assert source.latest_revision != first_revision
    assert source.latest_revision.user == editor
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK
    captures = list(source.captures.order_by("fetched_at"))
    assert [capture.pk for capture in captures][0] == first_capture.pk
    assert captures[0].revision == first_revision
    assert b"by a third" in bytes(captures[0].content)
    assert captures[1].revision == source.latest_revision
    assert b"slightly" in bytes(captures[1].content)
    assert source.captured_at == captures[1].fetched_at


def test_recapturing_an_unchanged_page_changes_nothing(captured, editor_client, committed):
    source, claim = captured
    revision = source.latest_revision

    with committed():
        editor_client.post(snippet_url("source", "recapture", source.pk))

    assert ImportRun.objects.get().items.get().outcome == "unchanged"
    source.refresh_from_db()
    assert source.latest_revision == revision
    assert SourceCapture.objects.count() == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED


def test_a_page_that_rotted_leaves_the_source_and_its_copy_as_they_were(
    captured, news_site, editor_client, committed
):
    source, claim = captured
    news_site.page(PATH, "<html><body>Gone</body></html>", status=404)

    with committed():
        editor_client.post(snippet_url("source", "recapture", source.pk))

    item = ImportRun.objects.get().items.get()
    assert (item.outcome, item.message) == ("failed", "answered 404 Not Found")
    source.refresh_from_db()
    assert QUOTED in source.body
    assert SourceCapture.objects.count() == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED


def test_refresh_fetches_every_web_source_again(captured, run_import, news_site, tmp_path):
    source, claim = captured
    seed = tmp_path / "note.txt"
    seed.write_text("A note from a file\n\nIt was never on the web, so it is not fetched.\n")
    run_import(seed)
    change_page(news_site, [GRAIN_PARAGRAPHS[0], GRAIN_PARAGRAPHS[2]])
    news_site.requests.clear()

    status, out, err = run_import("--refresh")

    assert status == 0, err
    assert f"{news_site.url}{PATH}: updated" in out
    assert "0 imported, 1 updated, 0 unchanged, 0 failed" in out
    assert [path for path, _ in news_site.requests] == [PATH]
    assert SourceCapture.objects.filter(source=source).count() == 2
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK


def test_only_those_who_may_change_the_source_may_recapture(captured, news_site, desk_reader):
    source, _ = captured
    news_site.requests.clear()

    response = logged_in_client(desk_reader).post(snippet_url("source", "recapture", source.pk))

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not ImportRun.objects.exists()
    assert news_site.requests == []


def test_recapture_is_a_post(captured, editor_client):
    source, _ = captured
    assert editor_client.get(snippet_url("source", "recapture", source.pk)).status_code == 405


def bomb(news_site):
    from tests.security.hostile_web import gzip_bomb

    news_site.page(PATH, gzip_bomb(), **{"Content-Encoding": "gzip"})


def stacked_bomb(news_site):
    from tests.security.hostile_web import stacked_gzip_bomb

    news_site.page(PATH, stacked_gzip_bomb(), **{"Content-Encoding": "gzip, gzip"})


def dripping(news_site):
    from tests.security.hostile_web import dripping_headers

    news_site.responders[PATH] = dripping_headers


def rot13(news_site):
    news_site.page(
        PATH,
        news_page("Grain exports reach a record", GRAIN_PARAGRAPHS[:2]),
        content_type="text/html; charset=rot13",
    )


@pytest.mark.parametrize(
    ("turn_hostile", "message"),
    [
        (bomb, "too large: over the 5.0 MB limit once decompressed"),
        (
            stacked_bomb,
            "refused: compressed 2 times over (gzip, gzip); a page compressed more than once "
            "is not read",
        ),
        (
            dripping,
            "took longer than 2 s in all (connecting, redirects, headers and body together)",
        ),
    ],
    ids=["gzip bomb", "stacked gzip bomb", "dripping headers"],
)
def test_recapturing_a_site_turned_hostile_fails_within_the_budget_and_keeps_the_source(
    captured, news_site, editor_client, committed, settings, turn_hostile, message
):
    source, claim = captured
    settings.NEWSROOM_FETCH_DEADLINE = 2.0
    turn_hostile(news_site)

    started = time.monotonic()
    with committed():
        editor_client.post(snippet_url("source", "recapture", source.pk))

    assert time.monotonic() - started < 4.0
    item = ImportRun.objects.get().items.get()
    assert (item.outcome, item.message) == ("failed", message)
    source.refresh_from_db()
    assert QUOTED in source.body
    assert SourceCapture.objects.count() == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED


def test_recapturing_a_page_that_now_declares_rot13_reads_it_by_sniffing(
    captured, news_site, editor_client, committed
):
    source, claim = captured
    rot13(news_site)

    with committed():
        editor_client.post(snippet_url("source", "recapture", source.pk))

    item = ImportRun.objects.get().items.get()
    assert item.outcome == "updated", item.message
    source.refresh_from_db()
    assert GRAIN_PARAGRAPHS[1] in source.body

"""The admin's Import sources page, through the Django test client: editors upload files and
paste URLs, a task imports them (eager here, as in the embedded default) and the run's page
and its JSON status show a line per item linking to its source; uploads are capped and
deleted; readers and anonymous users may not import."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from newsroom.desk.models import ImportItem, ImportRun, Source
from tests.factories import admin_login_url, logged_in_client, snippet_url
from tests.web_pages import GRAIN_PARAGRAPHS

pytestmark = pytest.mark.django_db

STATEMENT = (
    "Ministry statement on the grain corridor\n\n"
    "The ministry said on Monday that the corridor would stay open through the winter.\n\n"
    "Officials added that insurance for ships would be reviewed every month.\n"
)
SPEECH = (
    "Minister's remarks to the press\n\n"
    "The minister told reporters that exports had doubled since the spring.\n\n"
    "She said the ports of Odesa handled most of the cargo.\n"
)


@pytest.fixture(autouse=True)
def private_uploads(settings, tmp_path):
    settings.NEWSROOM_IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.NEWSROOM_IMPORT_UPLOAD_DIR


def upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def start(client, files=(), urls="", committed=None):
    data = {"files": list(files), "urls": urls}
    if committed is None:
        return client.post(snippet_url("source", "import"), data)
    with committed():
        return client.post(snippet_url("source", "import"), data)


def test_an_editor_imports_two_files_and_a_url_and_sees_a_line_for_each(
    editor_client, editor, news_site, committed, private_uploads
):
    url = f"{news_site.url}/news/grain-exports"
    files = [upload("statement.txt", STATEMENT), upload("speech.txt", SPEECH)]

    response = start(editor_client, files, f"{url}\n", committed)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == snippet_url("source", "import_run", run.pk)
    assert run.status == ImportRun.Status.DONE
    assert run.requested_by == editor
    assert run.summary.startswith("3 imported, 0 updated, 0 unchanged, 0 failed")
    page = editor_client.get(response["Location"]).content.decode()
    for item in run.items.all():
        assert item.outcome == "imported"
        source_link = snippet_url("source", "inspect", item.source_id)
        assert f'<a href="{source_link}">{item.name}</a>' in page
    assert {source.title for source in Source.objects.all()} == {
        "Ministry statement on the grain corridor",
        "Minister's remarks to the press",
        "Grain exports reach a record",
    }
    assert "Done: 3 imported" in page
    assert 'http-equiv="refresh"' not in page
    # The uploads are gone once read, and were never under a served folder.
    assert not any(Path(private_uploads).rglob("*.txt"))
    statement = Source.objects.get(title__startswith="Ministry")
    assert statement.seed_file.startswith("uploads/") and statement.seed_file.endswith(
        "/statement.txt"
    )
    assert statement.latest_revision.user == editor


def test_the_status_answers_json_line_by_line(editor_client, news_site, committed):
    start(
        editor_client, [upload("statement.txt", STATEMENT)], f"{news_site.url}/missing", committed
    )
    run = ImportRun.objects.get()

    status = editor_client.get(snippet_url("source", "import_run_status", run.pk)).json()

    assert status["done"] is True
    assert status["reached"] == 2
    assert [(line["name"], line["outcome"]) for line in status["lines"]] == [
        ("statement.txt", "imported"),
        (f"{news_site.url}/missing", "failed"),
    ]
    assert status["lines"][1]["message"] == "answered 404 Not Found"
    assert status["lines"][1]["source_url"] == ""
    assert status["summary"].startswith("1 imported, 0 updated, 0 unchanged, 1 failed")


def test_a_run_not_yet_done_refreshes_itself_without_script(editor_client, editor):
    run = ImportRun.objects.create(requested_by=editor)
    ImportItem.objects.create(run=run, name="https://example.org/a")

    page = editor_client.get(snippet_url("source", "import_run", run.pk)).content.decode()

    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert '<span class="import-reached">0</span> of 1 done' in page


def test_the_same_file_uploaded_again_is_unchanged(editor_client, committed):
    start(editor_client, [upload("statement.txt", STATEMENT)], committed=committed)
    start(editor_client, [upload("statement.txt", STATEMENT)], committed=committed)

    latest = ImportRun.objects.order_by("-pk").first()
    assert latest.items.get().outcome == "unchanged"
    assert Source.objects.count() == 1


def test_a_file_over_the_limit_fails_alone_and_is_never_stored(
    editor_client, settings, committed, private_uploads
):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 200
    files = [upload("statement.txt", STATEMENT), upload("long.txt", "word " * 100)]

    start(editor_client, files, committed=committed)

    run = ImportRun.objects.get()
    lines = {item.name: (item.outcome, item.message) for item in run.items.all()}
    assert lines["statement.txt"] == ("imported", lines["statement.txt"][1])
    assert lines["long.txt"] == ("failed", "too large: 500 bytes, over the 200 bytes limit")
    assert Source.objects.count() == 1
    assert not any(Path(private_uploads).rglob("long.txt"))


def test_a_bad_file_among_good_ones_fails_alone(editor_client, committed):
    files = [upload("statement.txt", STATEMENT), upload("empty.txt", "  \n")]

    start(editor_client, files, committed=committed)

    lines = {
        item.name: (item.outcome, item.message) for item in ImportRun.objects.get().items.all()
    }
    assert lines["empty.txt"] == ("failed", "empty file")
    assert Source.objects.count() == 1


def test_too_many_files_or_a_line_that_is_no_url_are_refused_before_anything_runs(
    editor_client, settings
):
    settings.NEWSROOM_IMPORT_MAX_FILES = 1
    files = [upload("statement.txt", STATEMENT), upload("speech.txt", SPEECH)]

    too_many = start(editor_client, files)
    not_a_url = start(editor_client, urls="ftp://example.org/file")
    nothing = start(editor_client)

    assert "At most 1 files at a time: 2 given." in too_many.content.decode()
    assert "Not an http(s) address: ftp://example.org/file" in not_a_url.content.decode()
    assert "Choose files or paste URLs to import." in nothing.content.decode()
    assert not ImportRun.objects.exists()


def test_editors_see_the_page_in_the_evidence_desk_menu(editor_client, desk_reader):
    menu = editor_client.get("/admin/").content.decode()
    assert '"Import sources"' in menu
    assert snippet_url("source", "import") in menu
    home = logged_in_client(desk_reader).get("/admin/").content.decode()
    assert snippet_url("source", "import") not in home


def test_readers_and_anonymous_users_may_not_import(desk_reader, news_site, committed):
    url = snippet_url("source", "import")
    anonymous = Client()
    assert anonymous.get(url)["Location"] == admin_login_url(url)
    assert start(anonymous, [upload("s.txt", STATEMENT)], news_site.url)["Location"] == (
        admin_login_url(url)
    )
    client = logged_in_client(desk_reader)
    refused = client.get(url)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    posted = start(client, [upload("s.txt", STATEMENT)], f"{news_site.url}/news/grain-exports")
    assert (posted.status_code, posted["Location"]) == (302, "/admin/")
    assert not ImportRun.objects.exists()
    assert not Source.objects.exists()
    assert news_site.requests == []


def test_a_run_is_shown_only_to_the_editor_who_started_it(editor_client, editor, verifier):
    run = ImportRun.objects.create(requested_by=editor)
    other = logged_in_client(verifier)

    assert editor_client.get(snippet_url("source", "import_run", run.pk)).status_code == 200
    assert other.get(snippet_url("source", "import_run", run.pk)).status_code == 404
    assert other.get(snippet_url("source", "import_run_status", run.pk)).status_code == 404


def test_a_page_imported_from_the_admin_keeps_its_captured_copy(
    editor_client, news_site, committed
):
    start(editor_client, urls=f"{news_site.url}/news/grain-exports", committed=committed)
    source = Source.objects.get()
    capture = source.captures.get()

    inspect = editor_client.get(snippet_url("source", "inspect", source.pk)).content.decode()
    download = editor_client.get(snippet_url("source", "captured_copy", source.pk, capture.pk))

    assert snippet_url("source", "captured_copy", source.pk, capture.pk) in inspect
    assert "Re-capture" in inspect
    assert download.content == news_site.pages["/news/grain-exports"][2]
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert GRAIN_PARAGRAPHS[0] in source.body

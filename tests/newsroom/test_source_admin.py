"""Sources in the admin: the listing's titles open the reading view (body in its segments,
citing claims, what was set aside), and "Add source" sends pasted text through the importer,
with a preview that saves nothing, and a save that is the importer's own write."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from newsroom.desk.models import Outlet, Source
from tests.factories import (
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    UserFactory,
    logged_in_client,
    messages_of,
    snippet_url,
)

pytestmark = pytest.mark.django_db

SEEDS = settings.BASE_DIR / "seeds"
MESSY = SEEDS / "001_13bdae42f34699c2.txt"  # an article in its page's chrome
TRANSCRIPT = SEEDS / "000_a45109ac8b8cbc6e.txt"
ADD_URL = snippet_url("source", "add")


def inspect_url(source):
    return snippet_url("source", "inspect", source.pk)


def form_data(text, **fields):
    return {
        "original_text": text,
        "title": "",
        "outlet": "",
        "url": "",
        "kind": "",
        "language": "",
        "published_on": "",
        "date_precision": "",
        **fields,
    }


def preview(client, text, **fields):
    return client.post(ADD_URL, {**form_data(text, **fields), "preview": "1"})


def save(client, text, **fields):
    """Preview, then save what was previewed, as the form's two submits do."""
    response = preview(client, text, **fields)
    assert response.status_code == 200, response.content[:500]
    previewed = re.search(rb'name="previewed" value="([0-9a-f]+)"', response.content).group(1)
    return client.post(ADD_URL, {**form_data(text, **fields), "previewed": previewed.decode()})


# The listing


def test_listing_titles_open_the_reading_view_and_edit_stays_a_row_action(editor_client):
    sources = SourceFactory.create_batch(3)
    html = editor_client.get(snippet_url("source", "list")).content.decode()
    for source in sources:
        title_link = re.search(
            rf'<a[^>]*href="([^"]+)"[^>]*>\s*(?:<span[^>]*>)?\s*{re.escape(source.title)}\s*<',
            html,
        )
        assert title_link, source.title
        assert title_link.group(1) == inspect_url(source)
        assert snippet_url("source", "edit", source.pk) in html


def test_listing_queries_do_not_grow_with_sources(editor_client, django_assert_max_num_queries):
    SourceFactory.create_batch(3)
    editor_client.get(snippet_url("source", "list"))
    SourceFactory.create_batch(20)
    with django_assert_max_num_queries(25):
        response = editor_client.get(snippet_url("source", "list"))
    assert response.content.decode().count('id="snippet_') >= 23


# The reading view


def test_reading_view_shows_a_transcript_in_its_segments_and_the_claims_citing_it(
    editor_client, run_import
):
    assert run_import(TRANSCRIPT)[0] == 0
    source = Source.objects.get()
    evidence = EvidenceFactory(source=source, quote="hardline positions, Paris is now")

    response = editor_client.get(inspect_url(source))

    html = response.content.decode()
    assert html.count('class="source-passage source-segment"') == len(source.segments)
    first = source.segments[1]
    assert f"{first['label']}</span>" in html
    assert snippet_url("claim", "edit", evidence.claim_id) in html
    assert evidence.claim.get_status_display() in html
    assert "Set aside by the importer" in html and source.set_aside[0]["reason"] in html
    assert f'href="{snippet_url("source", "edit", source.pk)}"' in html
    assert "Edit details" in html


def test_reading_view_shows_an_article_in_paragraphs_escaped(editor_client):
    source = SourceFactory(body="First <b>paragraph</b>.\n\nSecond paragraph.")
    html = editor_client.get(inspect_url(source)).content.decode()
    assert html.count('class="source-passage"') == 2
    assert "First &lt;b&gt;paragraph&lt;/b&gt;." in html


def test_reading_view_offers_no_edit_button_to_a_viewer(editor):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_source"),
    )
    source = SourceFactory()
    response = logged_in_client(viewer).get(inspect_url(source))
    assert response.status_code == 200
    assert "Edit details" not in response.content.decode()


# Adding a source through the importer


def test_preview_shows_what_the_importer_does_and_saves_nothing(editor_client):
    text = MESSY.read_text()
    response = preview(editor_client, text)

    assert response.status_code == 200
    html = response.content.decode()
    parsed = response.context["preview"].parsed
    assert len(parsed.set_aside) > 10
    assert html.count('class="set-aside-preview-line"') == len(parsed.set_aside)
    assert "Putin Signals Readiness for Dialog With Macron" in html
    assert "21 December 2025 (day)" in html
    assert '<dd class="preview-language">en</dd>' in html
    assert Source.objects.count() == 0
    assert ModelLogEntry.objects.count() == 0


def test_save_imports_exactly_as_import_sources_does(editor_client, editor, run_import):
    text = MESSY.read_text()

    response = save(editor_client, text)

    pasted = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inspect_url(pasted)
    assert run_import(MESSY)[0] == 0
    imported = Source.objects.exclude(pk=pasted.pk).get()
    fields = [
        "title", "body", "segments", "set_aside", "kind", "language", "published_on",
        "date_precision", "outlet_id", "original_text", "content_hash",
    ]  # fmt: skip
    assert {f: getattr(pasted, f) for f in fields} == {f: getattr(imported, f) for f in fields}
    assert pasted.imported_at is not None and pasted.seed_file is None
    assert pasted.revisions.get().user == editor
    entry = ModelLogEntry.objects.get(object_id=str(pasted.pk))
    assert (entry.action, entry.user) == ("wagtail.create", editor)
    page = editor_client.get(response["Location"]).content.decode()
    assert "The importer set nothing aside" not in page
    assert page.count("Restore this line") == len(pasted.set_aside)


def test_a_transcript_pasted_keeps_its_segments_and_the_named_outlet(editor_client):
    outlet = OutletFactory(name="Desk Outlet")
    save(editor_client, TRANSCRIPT.read_text(), outlet=str(outlet.pk), title="Given title")
    source = Source.objects.get()
    assert (source.kind, source.title, source.outlet) == ("transcript", "Given title", outlet)
    assert len(source.segments) == 32
    assert source.body[: source.segments[0]["end_offset"]].startswith("France is")


def test_a_restored_line_of_a_pasted_source_goes_back(editor_client):
    save(editor_client, MESSY.read_text())
    source = Source.objects.get()
    line = source.set_aside[-1]["line"]
    response = editor_client.post(snippet_url("source", "restore_line", source.pk, line))
    assert response.status_code == 302
    source.refresh_from_db()
    assert all(entry["line"] != line for entry in source.set_aside)


def test_save_without_a_preview_of_this_text_previews_instead(editor_client):
    text = MESSY.read_text()
    response = editor_client.post(ADD_URL, form_data(text, previewed="0" * 64))
    assert response.status_code == 200
    assert "Nothing saved yet" in messages_of(response)
    assert response.context["preview"] is not None
    assert Source.objects.count() == 0
    # A preview of one text does not let another be saved unseen.
    changed = text.replace("Macron", "Marcon")
    response = save(editor_client, text)
    assert Source.objects.count() == 1
    first = re.search(
        rb'name="previewed" value="([0-9a-f]+)"', preview(editor_client, text).content
    )
    response = editor_client.post(ADD_URL, form_data(changed, previewed=first.group(1).decode()))
    assert response.status_code == 200 and Source.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "field", "error"),
    [
        ("   \n  ", "original_text", "This field is required."),
        ("Subscribe to our newsletter!\n\nShare this article\n", "original_text",
         "The importer cannot use this text"),
    ],
)  # fmt: skip
def test_unusable_text_is_refused_and_nothing_saved(editor_client, text, field, error):
    for response in (preview(editor_client, text), editor_client.post(ADD_URL, form_data(text))):
        assert response.status_code == 200
        assert any(error in message for message in response.context["form"].errors[field])
    assert Source.objects.count() == 0


def test_a_forged_outlet_is_refused(editor_client):
    outlets = Outlet.objects.count()
    response = preview(editor_client, MESSY.read_text(), outlet="987654")
    assert response.status_code == 200
    assert response.context["form"].errors["outlet"]
    response = preview(editor_client, MESSY.read_text(), outlet="not-a-number")
    assert response.context["form"].errors["outlet"]
    assert (Source.objects.count(), Outlet.objects.count()) == (0, outlets)


def test_a_url_already_held_is_refused(editor_client):
    SourceFactory(url="https://example.com/story")
    text = MESSY.read_text()
    for response in (
        preview(editor_client, text, url="https://example.com/story"),
        editor_client.post(ADD_URL, form_data(text, url="https://example.com/story")),
    ):
        assert response.status_code == 200
        assert "already exists" in response.context["form"].errors["url"][0]
    assert Source.objects.count() == 1


def test_a_user_without_add_source_is_refused():
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_source"),
    )
    client = logged_in_client(viewer)
    for response in (client.get(ADD_URL), preview(client, MESSY.read_text())):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    assert Source.objects.count() == 0


def test_preview_escapes_the_pasted_text(editor_client):
    text = MESSY.read_text() + "\n\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n"
    html = preview(editor_client, text).content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_reading_view_queries_do_not_grow_with_citing_claims(
    editor_client, django_assert_max_num_queries
):
    source = SourceFactory(body="The Kremlin said Putin was ready.\n\nThe Elysee agreed.")
    EvidenceFactory(source=source, quote="The Kremlin said")
    editor_client.get(inspect_url(source))
    with django_assert_max_num_queries(30) as captured:
        editor_client.get(inspect_url(source))
    few = len(captured)
    for _ in range(8):
        EvidenceFactory(source=source, quote="The Elysee agreed")
    with django_assert_max_num_queries(few):
        response = editor_client.get(inspect_url(source))
    assert response.content.decode().count('class="citation"') == 9


def test_a_failed_write_is_a_form_error_not_a_server_error(editor_client, monkeypatch):
    from django.db import DatabaseError

    from newsroom.desk.importing.importer import SourceImporter

    def fail(importer, work):
        raise DatabaseError("disk full")

    monkeypatch.setattr(SourceImporter, "_write", fail)
    response = save(editor_client, MESSY.read_text())
    assert response.status_code == 200
    assert "could not save this text: could not be saved: disk full" in str(
        response.context["form"].non_field_errors()
    )
    assert "disk full" in response.content.decode()
    assert Source.objects.count() == 0


def test_pasting_240_kb_of_a_repeated_word_answers_promptly(editor_client):
    """The attack: 240 KB of "comment comment …" pasted answered a 500 after 30.5 s (the
    worker timed out). It is cleaned in linear time now: the preview answers, with the
    importer's verdict, within 15 s on a loaded machine (about a second on an idle one)."""
    text = "comment " * 30_000
    started = time.perf_counter()
    response = preview(editor_client, text)
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert elapsed < 15
    # One line of one word repeated: no headline, so the form asks for a title.
    assert "The text has no headline the importer can use: give a title." in (
        response.content.decode()
    )
    assert Source.objects.count() == 0

"""What the importer set aside, in the admin: shown with reasons, restorable by editors."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from newsroom.desk.models import Claim, Evidence, Source
from tests.factories import EvidenceFactory, UserFactory, admin_login_url, logged_in_client

pytestmark = pytest.mark.django_db

SEED_002 = settings.BASE_DIR / "seeds" / "002_0ce464d2b3789fd5.txt"
SPLICED = "Babar Azam Retained in Peshawar Zalmi as PSL Franchises Finalize Lists"


@pytest.fixture
def source(run_import):
    status, _, err = run_import(SEED_002)
    assert status == 0, err
    return Source.objects.get()


def line_of(source, text):
    return next(entry["line"] for entry in source.set_aside if entry["text"] == text)


def inspect_url(source):
    return reverse("wagtailsnippets_newsroom_source:inspect", args=[source.pk])


def restore_url(source, line):
    return reverse("wagtailsnippets_newsroom_source:restore_line", args=[source.pk, line])


def snapshot(source):
    source.refresh_from_db()
    return (source.body, source.set_aside, source.segments, source.revisions.count())


def test_inspect_page_shows_set_aside_lines_with_reasons(editor_client, source):
    response = editor_client.get(inspect_url(source))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Set aside by the importer" in html
    for entry in source.set_aside:
        assert entry["reason"] in html
    assert SPLICED in html
    assert "headline of an unrelated story spliced into the article" in html
    assert "Comments are closed, but trackbacks and pingbacks are open." in html
    assert restore_url(source, line_of(source, SPLICED)) in html
    assert html.count("Restore this line") == len(source.set_aside)


def test_set_aside_text_is_escaped(editor_client, run_import, tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(
        "Kremlin Signals Readiness for Talks\n\n"
        "The Kremlin said on Sunday that Putin was ready for dialogue with Macron, "
        "if there was mutual political will.\n\n"
        "The Elysee said talks would be held in full transparency with Kyiv.\n\n"
        "<script>alert(1)</script>\n"
    )
    run_import(path)
    source = Source.objects.get()
    assert any("<script>" in entry["text"] for entry in source.set_aside)
    html = editor_client.get(inspect_url(source)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_editor_restores_a_line_and_quotes_are_reanchored(editor_client, editor, source):
    evidence = EvidenceFactory(source=source, quote="Kremlin spokesman Dmitry Peskov said")
    old_start = evidence.start_offset
    line = line_of(source, SPLICED)

    response = editor_client.post(restore_url(source, line))

    assert response.status_code == 302
    assert response["Location"] == inspect_url(source)
    source.refresh_from_db()
    assert f"future engagement.\n\n{SPLICED}\n\nThe French president said his goal" in source.body
    assert all(entry["line"] != line for entry in source.set_aside)
    assert source.restored_lines == [{"line": line, "text": SPLICED}]
    assert source.revisions.count() == 2
    assert source.latest_revision.user == editor
    assert source.latest_revision.content["body"] == source.body
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.ANCHORED
    assert evidence.start_offset == old_start + len(SPLICED) + 2
    assert evidence.anchored_text == "Kremlin spokesman Dmitry Peskov said"
    assert Claim.objects.get(pk=evidence.claim_id).status == Claim.Status.UNVERIFIED
    page = editor_client.get(inspect_url(source)).content.decode()
    assert f"Line {line} is back in the body" in page


def test_restoring_into_a_transcript_keeps_segments_in_step(editor_client, run_import):
    run_import(settings.BASE_DIR / "seeds" / "000_a45109ac8b8cbc6e.txt")
    source = Source.objects.get()
    prompt = next(e for e in source.set_aside if e["text"].startswith("04:32Subscribe"))

    response = editor_client.post(restore_url(source, prompt["line"]))

    assert (response.status_code, response["Location"]) == (302, inspect_url(source))
    source.refresh_from_db()
    assert prompt not in source.set_aside
    last = source.segments[-1]
    assert last["label"] == "04:32"
    assert source.body[last["start_offset"] : last["end_offset"]] == (
        "Subscribe to One India and never miss an update. Download the One India app now."
    )


def test_restore_without_change_permission_is_refused(source):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_source"),
    )
    client = logged_in_client(viewer)
    before = snapshot(source)

    response = client.post(restore_url(source, line_of(source, SPLICED)))

    # Wagtail's admin answers a refused action by sending the user home with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert snapshot(source) == before
    page = client.get(inspect_url(source)).content.decode()
    assert "Restore this line" not in page


def test_restore_of_a_line_not_set_aside_is_refused(editor_client, source):
    before = snapshot(source)
    kept_line = 5  # the article's first paragraph, which is in the body
    for line in (kept_line, 9999):
        response = editor_client.post(restore_url(source, line))
        assert response.status_code == 404
    response = editor_client.post(restore_url(source, 1).replace("/1/", "/first/"))
    assert response.status_code == 404
    assert snapshot(source) == before


def test_restore_of_a_missing_source_is_refused(editor_client, source):
    response = editor_client.post(restore_url(source, 1).replace(f"/{source.pk}/", "/987654/"))
    assert response.status_code == 404


def test_restore_needs_a_post_with_a_csrf_token(editor, source):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    before = snapshot(source)
    url = restore_url(source, line_of(source, SPLICED))
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert snapshot(source) == before


def test_anonymous_restore_is_sent_to_login(source):
    before = snapshot(source)
    url = restore_url(source, line_of(source, SPLICED))
    response = Client().post(url)
    assert (response.status_code, response["Location"]) == (302, admin_login_url(url))
    assert snapshot(source) == before

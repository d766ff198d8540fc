"""An editor's restorations outlive a re-import: a line put back stays in the body while
the changed file still has it; one whose text left the file is forgotten."""

import pytest

from newsroom.desk.models import Claim, Evidence, Source
from tests.factories import EvidenceFactory, snippet_url

pytestmark = pytest.mark.django_db

SPLICED = "Babar Azam Retained in Peshawar Zalmi as PSL Franchises Finalize Lists"
COMMENTS = "Comments are closed, but trackbacks and pingbacks are open."
UPDATE = "An update was added at the top of this story by the desk overnight."


@pytest.fixture
def source(run_import, copied_seed):
    status, _, err = run_import(copied_seed)
    assert status == 0, err
    return Source.objects.get()


def restore(client, source, text):
    """Restore the set-aside line with this text through the admin, as an editor would."""
    source.refresh_from_db()
    line = next(entry["line"] for entry in source.set_aside if entry["text"] == text)
    response = client.post(snippet_url("source", "restore_line", source.pk, line))
    assert response.status_code == 302
    assert response["Location"] == snippet_url("source", "inspect", source.pk)
    source.refresh_from_db()
    assert text not in set_aside_texts(source)
    return line


def set_aside_texts(source):
    return [entry["text"] for entry in source.set_aside]


def edit(path, *replacements):
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def test_restored_line_stays_in_the_body_after_a_changed_file_is_reimported(
    editor_client, run_import, copied_seed, source
):
    spliced_line = restore(editor_client, source, SPLICED)
    restore(editor_client, source, COMMENTS)
    assert SPLICED in source.body and COMMENTS in source.body
    evidence = EvidenceFactory(source=source, quote=SPLICED)
    assert evidence.anchor_status == Evidence.AnchorStatus.ANCHORED
    revisions = source.revisions.count()

    text = edit(
        copied_seed,
        ("PARIS: (Web Desk)", f"{UPDATE}\n\nPARIS: (Web Desk)"),
        ("Moscow is not yet ready for peace talks", "Moscow may soon be ready for peace talks"),
        (f"\n\n{COMMENTS}", ""),
    )
    status, out, err = run_import(copied_seed)

    assert status == 0, err
    assert "0 imported, 1 updated, 0 unchanged, 0 failed" in out
    assert "1 restored by an editor kept in the body" in out
    source.refresh_from_db()
    assert source.original_text == text
    assert "Moscow may soon be ready for peace talks" in source.body
    assert f"future engagement.\n\n{SPLICED}\n\nThe French president said" in source.body
    assert SPLICED not in set_aside_texts(source)
    assert COMMENTS not in source.body
    assert COMMENTS not in set_aside_texts(source)
    # Two lines were added above it, so the restoration follows its text to its new line.
    assert source.restored_lines == [{"line": spliced_line + 2, "text": SPLICED}]
    assert source.revisions.count() == revisions + 1
    assert source.latest_revision.content["body"] == source.body
    evidence.refresh_from_db()
    assert evidence.anchor_status == Evidence.AnchorStatus.ANCHORED
    assert evidence.start_offset == source.body.index(SPLICED)
    assert Claim.objects.get(pk=evidence.claim_id).status == Claim.Status.UNVERIFIED

    page = editor_client.get(snippet_url("source", "inspect", source.pk)).content.decode()
    assert "1 line restored by an editor" in page


def test_unchanged_reimport_after_a_restoration_is_a_one_query_no_op(
    editor_client, run_import, copied_seed, source, django_assert_max_num_queries
):
    restore(editor_client, source, SPLICED)
    before = (source.body, source.set_aside, source.restored_lines, source.revisions.count())

    with django_assert_max_num_queries(1):
        status, out, _ = run_import(copied_seed)

    assert status == 0
    assert "0 imported, 0 updated, 1 unchanged" in out
    source.refresh_from_db()
    after = (source.body, source.set_aside, source.restored_lines, source.revisions.count())
    assert after == before
    assert SPLICED in source.body


def test_changed_file_in_a_dry_run_keeps_restorations_and_writes_nothing(
    editor_client, run_import, copied_seed, source
):
    restore(editor_client, source, SPLICED)
    before = (source.body, source.set_aside, source.restored_lines, source.original_text)
    edit(copied_seed, ("Moscow is not yet ready", "Moscow may soon be ready"))

    status, out, _ = run_import(copied_seed, "--dry-run")

    assert status == 0
    assert "would update" in out and "1 restored by an editor kept in the body" in out
    source.refresh_from_db()
    assert (source.body, source.set_aside, source.restored_lines, source.original_text) == before


def test_a_restored_line_whose_text_recurs_stays_restored_where_it_was(
    editor_client, run_import, tmp_path
):
    path = tmp_path / "talks.txt"
    path.write_text(
        "Kremlin Signals Readiness for Talks\n\n"
        "The Kremlin said on Sunday that Putin was ready for dialogue with Macron, "
        "if there was mutual political will.\n\n"
        "Read more\n\n"
        "The Elysee said talks would be held in full transparency with Kyiv, "
        "an official in Paris said.\n\n"
        "Read more\n",
        encoding="utf-8",
    )
    assert run_import(path)[0] == 0
    source = Source.objects.get()
    first, second = (e["line"] for e in source.set_aside if e["text"] == "Read more")
    response = editor_client.post(snippet_url("source", "restore_line", source.pk, second))
    assert response.status_code == 302
    assert response["Location"] == snippet_url("source", "inspect", source.pk)
    set_aside = Source.objects.get().set_aside
    assert [e["line"] for e in set_aside if e["text"] == "Read more"] == [first]

    edit(path, ("on Sunday", "on Sunday evening"))
    status, _, err = run_import(path)

    assert status == 0, err
    source.refresh_from_db()
    assert source.body.endswith("an official in Paris said.\n\nRead more")
    assert source.body.count("Read more") == 1
    assert [e["line"] for e in source.set_aside if e["text"] == "Read more"] == [first]
    assert source.restored_lines == [{"line": second, "text": "Read more"}]

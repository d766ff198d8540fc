"""Bad files get one clear line naming the file and the reason, the exit status says a file
failed, the other files still import, and nothing of a failed file is left behind."""

import builtins
import codecs

import pytest
from wagtail.models import ModelLogEntry, Revision

from newsroom.desk.models import Outlet, Source

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Kremlin Says Putin Is Ready for Dialogue With Macron\n\n"
    "The Kremlin said on Sunday that President Vladimir Putin was ready for dialogue with "
    "Emmanuel Macron, if there was political will on both sides.\n\n"
    "The Élysée Palace said any talks would be held in full transparency with Kyiv and "
    "European partners.\n\n"
    "Read more\n"
)


def assert_nothing_saved():
    assert Source.objects.count() == 0
    assert Outlet.objects.count() == 0
    assert Revision.objects.count() == 0
    assert ModelLogEntry.objects.count() == 0


def write(path, data):
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_empty_file_is_refused(run_import, tmp_path):
    path = write(tmp_path / "empty.txt", b"")
    status, out, err = run_import(path)
    assert status == 1
    assert f"{path}: failed: empty file" in err
    assert "0 imported, 0 updated, 0 unchanged, 1 failed, 0 lines set aside" in out
    assert_nothing_saved()


def test_blank_file_is_refused_as_empty(run_import, tmp_path):
    path = write(tmp_path / "blank.md", b"  \n\r\n\t\n")
    status, _, err = run_import(path)
    assert status == 1
    assert f"{path}: failed: empty file" in err
    assert_nothing_saved()


def test_binary_file_is_refused(run_import, tmp_path):
    path = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    status, _, err = run_import(path)
    assert status == 1
    assert f"{path}: failed: binary file, not text" in err
    assert_nothing_saved()


def test_legacy_encoding_is_decoded_and_said(run_import, tmp_path):
    path = write(tmp_path / "legacy.txt", ARTICLE.encode("cp1252"))
    status, out, err = run_import(path)
    assert status == 0, err
    assert f"{path}: imported:" in out and "decoded as cp1252" in out
    source = Source.objects.get()
    assert "The Élysée Palace said any talks" in source.body
    assert source.original_text == ARTICLE
    assert source.title == "Kremlin Says Putin Is Ready for Dialogue With Macron"


def test_cyrillic_legacy_encoding_is_decoded(run_import, tmp_path):
    text = (
        "Песков: Путин готов к диалогу с Макроном\n\n"
        "Президент России Владимир Путин готов к диалогу с президентом Франции, заявил "
        "пресс-секретарь Кремля Дмитрий Песков журналистам в воскресенье.\n"
    )
    path = write(tmp_path / "tass.txt", text.encode("cp1251"))
    status, out, err = run_import(path)
    assert status == 0, err
    assert "decoded as cp1251" in out
    source = Source.objects.get()
    assert source.language == "ru"
    assert "Владимир Путин готов к диалогу" in source.body


def test_undecodable_bytes_are_reported(run_import, tmp_path):
    noise = bytes((37 * index) % 128 + 128 for index in range(600))
    path = write(tmp_path / "garbled.txt", b"The minister said " + noise + b" and left.\n")
    status, out, err = run_import(path)
    assert status == 1
    assert f"{path}: failed: not valid UTF-8, and none of the usual legacy encodings" in err
    assert "cp1252" in err and "readable text" in err
    assert "1 failed" in out
    assert_nothing_saved()


def test_byte_order_mark_is_removed(run_import, tmp_path):
    path = write(tmp_path / "bom.txt", codecs.BOM_UTF8 + ARTICLE.encode("utf-8"))
    status, out, err = run_import(path)
    assert status == 0, err
    assert "byte-order mark removed" in out
    source = Source.objects.get()
    assert source.original_text == ARTICLE
    assert source.title == "Kremlin Says Putin Is Ready for Dialogue With Macron"
    assert "\ufeff" not in source.body + source.title


def test_utf16_with_byte_order_mark_is_read(run_import, tmp_path):
    path = write(tmp_path / "utf16.txt", ARTICLE.encode("utf-16"))
    status, _, err = run_import(path)
    assert status == 0, err
    assert Source.objects.get().original_text == ARTICLE


def test_crlf_line_ends_are_normalised(run_import, tmp_path):
    path = write(tmp_path / "windows.txt", ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    status, out, err = run_import(path)
    assert status == 0, err
    assert "CRLF line ends normalised" in out
    source = Source.objects.get()
    assert "\r" not in source.original_text + source.body + source.title
    assert source.body.split("\n\n")[1].startswith("The Élysée Palace said")
    assert source.set_aside[-1] == {
        "line": 7,
        "text": "Read more",
        "reason": source.set_aside[-1]["reason"],
    }


def test_file_over_the_size_limit_is_refused_naming_the_limit(run_import, tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
        handle.truncate(5 * 1024 * 1024 + 1)
    status, _, err = run_import(path)
    assert status == 1
    assert f"{path}: failed: too large: 5.0 MB, over the 5.0 MB limit" in err
    assert_nothing_saved()


def test_unreadable_file_is_reported(run_import, tmp_path, monkeypatch):
    # Tests run as root, who can read a chmod 000 file; the OS refusal is simulated.
    path = write(tmp_path / "locked.txt", ARTICLE)
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    status, _, err = run_import(path)
    assert status == 1
    assert f"{path}: failed: cannot be read: permission denied" in err
    assert_nothing_saved()


def test_missing_path_is_reported(run_import, tmp_path):
    status, _, err = run_import(tmp_path / "nowhere.txt")
    assert status == 1
    assert "nowhere.txt: failed: no such file or folder" in err
    assert_nothing_saved()


def test_file_of_nothing_but_chrome_is_refused(run_import, tmp_path):
    path = write(tmp_path / "chrome.txt", "Skip to main content\nNews\nRead more\n#a #b #c\n")
    status, _, err = run_import(path)
    assert status == 1
    assert f"{path}: failed: no article text left after cleaning" in err
    assert_nothing_saved()


def test_folder_of_mixed_files(run_import, tmp_path):
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    write(folder / "a_article.txt", ARTICLE)
    write(
        folder / "b_notes.md", "# Macron and Putin May Talk Soon\n\n" + ARTICLE.split("\n\n", 1)[1]
    )
    write(
        folder / "c_page.html",
        "<!doctype html><html><head><title>Elysee Welcomes Kremlin Signal</title></head>"
        "<body><nav>Home | World | Sport</nav><article><h1>Elysee Welcomes Kremlin Signal</h1>"
        "<p>The French presidency said on Sunday that it welcomed the Kremlin's public "
        "agreement to talks, and would decide in the coming days how to proceed.</p>"
        "<p>Any talks would be held in full transparency with Kyiv and European partners, "
        "the presidency said in a statement to reporters in Paris.</p></article>"
        "<footer>Copyright 2025 Example Media. All rights reserved.</footer></body></html>",
    )
    write(folder / "d_empty.txt", b"")
    write(folder / "e_binary.txt", b"\x00\x01\x02binary\x00" * 50)
    write(folder / "f_image.png", b"\x89PNG\r\n\x1a\n")
    write(
        folder / "nested" / "g_crlf.txt",
        ARTICLE.replace("Kremlin Says", "Kremlin Repeats").replace("\n", "\r\n"),
    )
    write(folder / ".hidden.txt", ARTICLE)

    status, out, err = run_import(folder)

    assert status == 1
    assert f"{folder / 'd_empty.txt'}: failed: empty file" in err
    assert f"{folder / 'e_binary.txt'}: failed: binary file, not text" in err
    assert f"{folder / 'f_image.png'}: skipped: not a .txt, .md, .html, .htm file" in out
    assert "4 imported, 0 updated, 0 unchanged, 2 failed" in out
    assert "1 skipped" in out
    assert "CommandError: 2 of 7 files failed" in err
    titles = set(Source.objects.values_list("title", flat=True))
    assert titles == {
        "Kremlin Says Putin Is Ready for Dialogue With Macron",
        "Macron and Putin May Talk Soon",
        "Elysee Welcomes Kremlin Signal",
        "Kremlin Repeats Putin Is Ready for Dialogue With Macron",
    }
    page = Source.objects.get(title="Elysee Welcomes Kremlin Signal")
    assert "would decide in the coming days how to proceed" in page.body
    assert "Home | World" not in page.body and "All rights reserved" not in page.body
    assert page.original_text.startswith("<!doctype html>")
    assert not Source.objects.filter(seed_file__endswith="d_empty.txt").exists()
    assert Revision.objects.count() == 4


def test_each_file_is_all_or_nothing(run_import, tmp_path, monkeypatch):
    """A failure while saving one file leaves none of its rows; the next file imports."""
    from django.db import DatabaseError

    write(tmp_path / "a.txt", ARTICLE + "\nSubscribe to Example Daily and never miss a story.\n")
    write(tmp_path / "b.txt", ARTICLE.replace("Kremlin Says", "Moscow Says"))
    real_serialise = Source.serializable_data

    def failing_serialise(source):
        # While making a.txt's first revision: its source and outlet are already written.
        if source.title.startswith("Kremlin Says"):
            raise DatabaseError("disk full")
        return real_serialise(source)

    monkeypatch.setattr(Source, "serializable_data", failing_serialise)
    status, out, err = run_import(tmp_path)
    assert status == 1
    assert f"{tmp_path / 'a.txt'}: failed: could not be saved: disk full" in err
    assert f"{tmp_path / 'b.txt'}: imported" in out
    source = Source.objects.get()
    assert source.title == "Moscow Says Putin Is Ready for Dialogue With Macron"
    assert source.revisions.count() == 1
    # The outlet named by the failed file was rolled back with it.
    assert Outlet.objects.count() == 0
    assert Revision.objects.count() == 1
    assert ModelLogEntry.objects.count() == 1


def test_manifest_wins_over_inference(run_import, tmp_path):
    write(tmp_path / "story.txt", ARTICLE + "\nSubscribe to Example Daily for more.\n")
    write(
        tmp_path / "sources.toml",
        '[files."story.txt"]\n'
        'outlet = "Agence Exemple"\n'
        'url = "https://example.org/kremlin-dialogue"\n'
        'date = "2025-12-21"\n',
    )
    status, _, err = run_import(tmp_path)
    assert status == 0, err
    source = Source.objects.get()
    assert source.outlet.name == "Agence Exemple"
    assert source.url == "https://example.org/kremlin-dialogue"
    assert str(source.published_on) == "2025-12-21"
    assert source.date_precision == Source.DatePrecision.DAY


def test_text_names_the_outlet_without_a_manifest(run_import, tmp_path):
    write(tmp_path / "story.txt", ARTICLE + "\nSubscribe to Example Daily for more.\n")
    status, _, _ = run_import(tmp_path)
    assert status == 0
    assert Source.objects.get().outlet.name == "Example Daily"


def test_broken_manifest_fails_its_files_with_the_reason(run_import, tmp_path):
    write(tmp_path / "story.txt", ARTICLE)
    write(tmp_path / "sources.toml", '[files."story.txt"]\ndate = "someday"\n')
    status, _, err = run_import(tmp_path)
    assert status == 1
    assert "story.txt: failed:" in err and "date 'someday' is not a date" in err
    assert_nothing_saved()


def test_url_already_held_by_another_source_is_refused(run_import, tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", ARTICLE.replace("Kremlin Says", "Moscow Says"))
    write(
        tmp_path / "sources.toml",
        '[files."a.txt"]\nurl = "https://example.org/x"\n'
        '[files."b.txt"]\nurl = "https://example.org/x"\n',
    )
    status, _, err = run_import(tmp_path)
    assert status == 1
    assert "b.txt: failed: URL https://example.org/x already belongs to “Kremlin Says" in err
    assert Source.objects.count() == 1

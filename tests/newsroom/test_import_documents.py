"""PDF and Word files import through `import_sources` like text files: a PDF's text page by
page with each page kept as a segment ("p. 3"), a Word file's paragraphs and tables. A
document with nothing to read (a scan, an encrypted or damaged file) fails alone, with one
clear line, and writes nothing."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import ModelLogEntry, Revision

from newsroom.desk.models import Source
from tests.document_files import encrypted_pdf, pdf_with_pages, scanned_pdf, word_file
from tests.factories import snippet_url

pytestmark = pytest.mark.django_db

STATEMENT = [
    [
        "Ministry for Europe and Foreign Affairs",
        "France Ready for Dialogue With Russia, Ministry Says",
        "The ministry said on Monday that France was ready to hold talks with Russia if",
        "they were conducted in full transparency with Kyiv and with European partners.",
        "No date has been set.",
        "Page 1 of 3",
    ],
    [
        "Ministry for Europe and Foreign Affairs",
        "The minister told reporters in Paris that any call between the two presidents",
        "would be announced in advance, and that Ukraine would be consulted beforehand.",
        "Page 2 of 3",
    ],
    [
        "Ministry for Europe and Foreign Affairs",
        "Sanctions against Russia remain in force until a lasting peace is agreed.",
        "Page 3 of 3",
    ],
]
CORRUPT_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n" + b"\x00\xff" * 40


def write(path, data):
    path.write_bytes(data)
    return path


def page_of(source, words):
    """The label of the page segment whose text holds `words`."""
    start = source.body.index(words)
    (segment,) = [
        segment
        for segment in source.segments
        if segment["start_offset"] <= start < segment["end_offset"]
    ]
    return segment["label"]


def assert_nothing_saved():
    assert Source.objects.count() == 0
    assert Revision.objects.count() == 0
    assert ModelLogEntry.objects.count() == 0


def test_a_pdf_imports_page_by_page_with_its_pages_as_segments(run_import, tmp_path):
    path = write(tmp_path / "statement.pdf", pdf_with_pages(STATEMENT))

    status, out, err = run_import(path)

    assert status == 0, err
    assert f"{path}: imported:" in out and "read from PDF, 3 pages" in out
    source = Source.objects.get()
    assert source.title == "France Ready for Dialogue With Russia, Ministry Says"
    # The printed lines are joined back into sentences.
    assert (
        "France was ready to hold talks with Russia if they were conducted in full "
        "transparency with Kyiv" in source.body
    )
    assert [segment["label"] for segment in source.segments] == ["p. 1", "p. 2", "p. 3"]
    assert [segment["page"] for segment in source.segments] == [1, 2, 3]
    assert page_of(source, "No date has been set.") == "p. 1"
    assert page_of(source, "any call between the two presidents") == "p. 2"
    assert page_of(source, "Sanctions against Russia remain in force") == "p. 3"
    # The running header and the page numbers are set aside, with their reasons.
    reasons = {entry["text"]: entry["reason"] for entry in source.set_aside}
    assert "Ministry for Europe" not in source.body
    assert "running header" in reasons["Ministry for Europe and Foreign Affairs"]
    assert reasons["Page 2 of 3"] == "page number"


def test_a_pdf_import_is_idempotent(run_import, tmp_path):
    path = write(tmp_path / "statement.pdf", pdf_with_pages(STATEMENT))
    run_import(path)

    status, out, _ = run_import(path)

    assert status == 0
    assert f"{path}: unchanged" in out
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("scan.pdf", scanned_pdf(2), "no text layer (a scan?): 2 pages and no text"),
        (
            "locked.pdf",
            encrypted_pdf(STATEMENT[:1]),
            "encrypted PDF: it needs a password to open",
        ),
        ("broken.pdf", CORRUPT_PDF, "damaged or incomplete PDF"),
        ("empty.pdf", b"", "damaged or incomplete PDF"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 200, "damaged Word file, or not a .docx one"),
        ("notes.docx", b"Just some text, not a Word file.", "damaged Word file"),
    ],
)
def test_a_document_with_nothing_to_read_fails_alone_and_writes_nothing(
    run_import, tmp_path, name, data, reason
):
    bad = write(tmp_path / name, data)

    status, out, err = run_import(bad)

    assert status == 1
    failures = [line for line in err.splitlines() if line.startswith(f"{bad}: failed: ")]
    assert len(failures) == 1 and reason in failures[0], err
    assert "0 imported, 0 updated, 0 unchanged, 1 failed" in out
    assert_nothing_saved()


def test_a_bad_document_does_not_stop_the_good_ones(run_import, tmp_path):
    write(tmp_path / "scan.pdf", scanned_pdf(1))
    good = write(tmp_path / "statement.pdf", pdf_with_pages(STATEMENT))

    status, out, err = run_import(tmp_path)

    assert status == 1
    assert "scan.pdf: failed: no text layer (a scan?)" in err
    assert f"{good}: imported" in out
    assert Source.objects.get().seed_file == str(good)


def test_an_encrypted_pdf_with_an_empty_password_is_read(run_import, tmp_path):
    """Many PDFs are locked only against printing: they open without a password."""
    path = write(tmp_path / "open.pdf", encrypted_pdf(STATEMENT, password=""))

    status, _, err = run_import(path)

    assert status == 0, err
    assert "Sanctions against Russia remain in force" in Source.objects.get().body


def test_a_word_file_imports_its_paragraphs_and_table(run_import, tmp_path):
    path = write(
        tmp_path / "release.docx",
        word_file(
            [
                "The Élysée said on Sunday that President Macron was ready to speak with "
                "President Putin, in full transparency with Kyiv.",
                "No call has been scheduled, the presidency added.",
            ],
            table=[["Topic", "Position"], ["Talks", "Open to dialogue"]],
            title="Élysée Statement on Talks With Russia",
        ),
    )

    status, out, err = run_import(path)

    assert status == 0, err
    assert "read from Word document" in out
    source = Source.objects.get()
    assert source.title == "Élysée Statement on Talks With Russia"
    assert source.body.startswith("The Élysée said on Sunday that President Macron was ready")
    assert "\n\nNo call has been scheduled, the presidency added." in source.body
    assert "| Topic | Position |\n|---|---|\n| Talks | Open to dialogue |" in source.body
    assert source.segments == []


def test_the_reading_view_shows_a_pdf_page_by_page(run_import, tmp_path, editor_client):
    run_import(write(tmp_path / "statement.pdf", pdf_with_pages(STATEMENT)))
    source = Source.objects.get()

    response = editor_client.get(snippet_url("source", "inspect", source.pk))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    passages = soup.select(".source-passage.source-segment")
    labels = [passage.select_one(".source-segment-label").text for passage in passages]
    assert labels == ["p. 1", "p. 2", "p. 3"]
    assert "Sanctions against Russia remain in force" in passages[2].text

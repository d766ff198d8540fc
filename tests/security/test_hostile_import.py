"""The importer against hostile files: random bytes, random Unicode with control characters,
right-to-left marks and huge lines. It never crashes (a bad file is one clean error line),
and never writes part of a source: a file becomes one whole source, revision and all, or
nothing at all. A file fails only for what is wrong with it (empty, binary, undecodable, too
large, unreadable, nothing left after cleaning): never because the parser crashed, which
the importer reports as "could not be parsed" rather than let it stop the other files."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wagtail.models import Revision

from newsroom.desk.importing import importer as importing
from newsroom.desk.importing.importer import FAILED, IMPORTED, SourceImporter
from newsroom.desk.models import Outlet, Source

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters attackers and broken exports put in text: C0/C1 controls, bidi overrides and
# marks, zero-width characters, lone surrogates are impossible in UTF-8 so left out.
NASTY = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f\u200b\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\ufffd"
)
hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(NASTY),
        st.sampled_from("<>&\"'\n\r\t "),
    ),
    max_size=400,
)
huge_line = st.builds(
    lambda word, count, tail: (word + " ") * count + tail,
    st.sampled_from(["Kremlin", "\u202eKremlin", "Путин", "ماكرون", "\x0b"]),
    st.integers(min_value=20_000, max_value=60_000),
    hostile_text,
)
suffix = st.sampled_from([".txt", ".md", ".html"])


def snapshot():
    return (
        Source.objects.count(),
        Outlet.objects.count(),
        Revision.objects.filter(base_content_type__model="source").count(),
    )


def import_file(tmp_path, name, data):
    """Import one file through the command, in a transaction rolled back afterwards so every
    example starts from the same database. Returns (outcome, sources written)."""
    path = tmp_path / name
    path.write_bytes(data)
    with transaction.atomic():
        before = snapshot()
        summary = SourceImporter(root=tmp_path).run([path])
        [outcome] = summary.outcomes
        written = list(Source.objects.filter(seed_file=name))
        check_whole_or_nothing(outcome, before, written)
        transaction.set_rollback(True)
    return outcome


# The reasons a file's own content may fail it, as newsroom/importing/reading.py words them,
# and the cleaner's "nothing left". Anything else (a parser crash, "could not be parsed:
# IndexError(…)", or a database error) is a bug the hostile input found.
INPUT_ERRORS = re.compile(
    r"empty file"
    r"|binary file, not text"
    r"|invalid [\w-]+ after its byte-order mark"
    r"|not valid UTF-8, and none of the usual legacy encodings \(.+\) decodes it to readable text"
    r"|too large: .+ limit"
    r"|cannot be read: .+"
    r"|no article text left after cleaning"
)


def check_whole_or_nothing(outcome, before, written):
    assert outcome.status in (IMPORTED, FAILED), outcome
    sources, outlets, revisions = snapshot()
    if outcome.status == FAILED:
        assert INPUT_ERRORS.fullmatch(outcome.message), f"not an input error: {outcome.message}"
        assert written == []
        assert (sources, outlets, revisions) == before, "a failed file left rows behind"
        return
    [source] = written
    assert sources == before[0] + 1
    assert revisions == before[2] + 1, "an imported source has its first revision"
    assert source.body.strip(), "an imported source has a body"
    assert source.original_text.strip()
    assert source.content_hash == Source.hash_text(source.original_text)
    assert source.title
    assert source.latest_revision is not None


@HOSTILE
@given(data=st.binary(max_size=4096), name_suffix=suffix)
@example(data=b"\x00" * 50, name_suffix=".txt")
@example(data=b"%PDF-1.4\n" + bytes(range(256)), name_suffix=".txt")
@example(data=b"\xff\xfe" + "Putin said hello.".encode("utf-16-le"), name_suffix=".txt")
@example(data=b"\xef\xbb\xbf", name_suffix=".md")
@example(data=b"<html><body><script>alert(1)</script></body></html>", name_suffix=".html")
def test_random_bytes_import_whole_or_fail_cleanly(tmp_path, data, name_suffix):
    import_file(tmp_path, "hostile" + name_suffix, data)


@HOSTILE
@given(text=hostile_text, name_suffix=suffix, encoding=st.sampled_from(["utf-8", "utf-16"]))
@example(
    text="\u202eThe Kremlin said Putin was ready.\u202c\n\nMacron agreed.",
    name_suffix=".txt",
    encoding="utf-8",
)
@example(text="\u200f\u200f\u200f\n" * 40, name_suffix=".txt", encoding="utf-8")
@example(text="Title\n\n" + "\x1b[31mred\x1b[0m " * 50, name_suffix=".txt", encoding="utf-8")
def test_random_unicode_imports_whole_or_fails_cleanly(tmp_path, text, name_suffix, encoding):
    import_file(tmp_path, "unicode" + name_suffix, text.encode(encoding, errors="surrogatepass"))


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=huge_line, name_suffix=suffix)
def test_huge_lines_import_whole_or_fail_cleanly(tmp_path, text, name_suffix):
    outcome = import_file(tmp_path, "huge" + name_suffix, text.encode("utf-8"))
    if outcome.status == IMPORTED:
        assert outcome.message


def test_a_parser_crash_is_a_failure_of_these_tests_not_an_excuse(tmp_path, monkeypatch):
    """The importer survives a crash in the parser (the file fails, the rest go on), so only
    the reason tells a crash from bad input: the checks above must refuse it."""

    def crash(text):
        return [][0]

    monkeypatch.setattr(importing, "parse_source", crash)
    with pytest.raises(AssertionError, match="not an input error: could not be parsed: IndexError"):
        import_file(tmp_path, "crash.txt", b"The Kremlin said Putin was ready for dialogue.\n")


def test_a_hostile_file_among_good_ones_fails_alone(tmp_path, settings):
    good = (settings.NEWSROOM_SEEDS_DIR / "000_a45109ac8b8cbc6e.txt").read_bytes()
    (tmp_path / "a_good.txt").write_bytes(good)
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "c_empty.md").write_bytes(b"   \n\t\n")
    (tmp_path / "d_bidi.txt").write_bytes("\u202e\u200f\n\x0b\x0c\n".encode())
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError, match="3 of 4 files failed"):
        call_command("import_sources", str(tmp_path), stdout=stdout, stderr=stderr)
    errors = stderr.getvalue().splitlines()
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in errors] == [
        "b_binary.txt",
        "c_empty.md",
        "d_bidi.txt",
    ]
    assert list(Source.objects.values_list("seed_file", flat=True)) == [
        importing.seed_file_key(tmp_path / "a_good.txt")
    ]


def test_a_database_failure_mid_write_leaves_no_partial_source(tmp_path, settings, monkeypatch):
    """The source rows are saved, then their revisions fail (in the batch, then file by
    file): every file rolls back whole, and says why."""
    for seed in sorted(settings.NEWSROOM_SEEDS_DIR.glob("00[01]_*.txt")):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())

    def disk_full(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Revision.objects, "bulk_create", disk_full)
    monkeypatch.setattr(Source, "save_revision", disk_full)
    before = snapshot()
    summary = SourceImporter(root=tmp_path).run([tmp_path])
    assert [outcome.status for outcome in summary.outcomes] == [FAILED, FAILED]
    assert all("could not be saved: disk full" in o.message for o in summary.outcomes)
    assert snapshot() == before
    assert not Outlet.objects.exists()

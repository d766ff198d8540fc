"""Caption files (.srt, .vtt) import through `import_sources` as transcripts: each cue a
segment at its time, pointing at its words in the body; styling tags, karaoke timings and
entities taken off; the repeated lines of roll-up and YouTube automatic captions said once.
A malformed caption file fails alone, with one clear line, and writes nothing."""

import pytest
from wagtail.models import Revision

from newsroom.desk.models import Source

pytestmark = pytest.mark.django_db

SRT = """1
00:00:01,000 --> 00:00:04,000
<i>Good evening</i> from Paris &amp; Kyiv.

2
00:00:04,500 --> 00:00:08,000
{\\an8}The Kremlin says Putin is ready
for dialogue with Macron.

3
00:01:42,250 --> 00:01:46,000
<font color="#ffff00">The Élysée says any talks</font>
will be held in full transparency.

4
01:02:03,000 --> 01:02:05,000
Don't forget to like and subscribe!
"""

# YouTube's automatic captions: each cue repeats the line before it, a 10 ms cue repeats
# the whole of the last one, and words carry their own timings in <c> tags.
YOUTUBE_VTT = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.500 align:start position:0%
the<00:00:00.400><c> minister</c><00:00:00.800><c> said</c><00:00:01.200><c> on</c>\
<00:00:01.500><c> monday</c>

00:00:02.500 --> 00:00:02.510 align:start position:0%
the minister said on monday
\u0020

00:00:02.510 --> 00:00:05.000 align:start position:0%
the minister said on monday
that<00:00:03.000><c> talks</c><00:00:03.400><c> with</c><00:00:03.800><c> russia</c>

00:00:05.000 --> 00:00:05.010 align:start position:0%
that talks with russia
\u0020

00:00:05.010 --> 00:00:08.000 align:start position:0%
that talks with russia
would&nbsp;resume &lt;soon&gt;

NOTE the channel's own caption

00:00:08.000 --> 00:00:10.000
<v Jean Dupont>Thank you for having me.
"""


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def imported(run_import, path):
    status, out, err = run_import(path)
    assert status == 0, err
    return Source.objects.get(seed_file=str(path)), out


def spoken_at(source):
    return {
        segment["label"]: source.body[segment["start_offset"] : segment["end_offset"]]
        for segment in source.segments
    }


def test_an_srt_file_imports_as_a_transcript(run_import, tmp_path):
    source, out = imported(run_import, write(tmp_path / "evening.srt", SRT))

    assert "read from SRT captions, 4 cues" in out
    assert source.kind == Source.Kind.TRANSCRIPT
    assert source.original_text == SRT
    assert source.body == (
        "Good evening from Paris & Kyiv. The Kremlin says Putin is ready for dialogue with "
        "Macron. The Élysée says any talks will be held in full transparency."
    )
    assert spoken_at(source) == {
        "00:01": "Good evening from Paris & Kyiv.",
        "00:04": "The Kremlin says Putin is ready for dialogue with Macron.",
        "01:42": "The Élysée says any talks will be held in full transparency.",
    }
    assert [segment["start"] for segment in source.segments] == [1, 4, 102]
    (call,) = source.set_aside
    assert call["text"] == "1:02:03 Don't forget to like and subscribe!"
    assert "channel promotion" in call["reason"]


def test_youtube_automatic_captions_say_each_line_once(run_import, tmp_path):
    source, out = imported(run_import, write(tmp_path / "auto.vtt", YOUTUBE_VTT))

    assert "read from VTT captions" in out
    assert source.kind == Source.Kind.TRANSCRIPT
    assert source.body == (
        "the minister said on monday that talks with russia would resume <soon>\n\n"
        "Jean Dupont: Thank you for having me."
    )
    assert spoken_at(source) == {
        "00:00": "the minister said on monday",
        "00:02": "that talks with russia",
        "00:05": "would resume <soon>",
        "00:08": "Thank you for having me.",
    }


def test_captions_pasted_from_a_file_without_its_name_are_still_captions(tmp_path):
    from newsroom.desk.importing.parsing import parse_source

    parsed = parse_source(SRT)

    assert parsed.kind == Source.Kind.TRANSCRIPT
    assert len(parsed.segments) == 3


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        (
            "broken.srt",
            SRT.replace("00:00:04,500 --> 00:00:08,000", "00:00:04,500 -> later"),
            "not a valid SRT caption file: unreadable from line 5",
        ),
        ("notes.srt", "Just some notes, not captions.\n", "not a valid SRT caption file"),
        (
            "broken.vtt",
            YOUTUBE_VTT.replace("00:00:05.000 --> 00:00:05.010", "00:00:05 --> soon"),
            "not a valid WebVTT caption file: unreadable cue timing at line 16",
        ),
        ("untitled.vtt", SRT, "not a valid WebVTT caption file: it does not begin with WEBVTT"),
        ("empty.vtt", "WEBVTT\n\nNOTE nothing yet\n", "WebVTT caption file with no captions"),
    ],
)
def test_a_malformed_caption_file_fails_alone_and_writes_nothing(
    run_import, tmp_path, name, text, reason
):
    bad = write(tmp_path / name, text)
    good = write(tmp_path / "good.srt", SRT)

    status, out, err = run_import(bad, good)

    assert status == 1
    failures = [line for line in err.splitlines() if ": failed" in line]
    assert len(failures) == 1 and failures[0].startswith(f"{bad}: failed: {reason}"), err
    assert "1 imported, 0 updated, 0 unchanged, 1 failed" in out
    assert list(Source.objects.values_list("seed_file", flat=True)) == [str(good)]
    assert Revision.objects.count() == 1

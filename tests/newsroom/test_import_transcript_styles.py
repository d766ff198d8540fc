"""Transcripts in the styles news transcripts write their times in import as transcripts:
timestamps bracketed, parenthesised or bare, mm:ss or h:mm:ss, with milliseconds or an end
time, with a speaker before or after, or alone on their line above the words. Each timed
line becomes a segment whose offsets point at its words in the body; no time is left in
the prose. A channel's call to like, subscribe or watch next is set aside, with its reason,
even on a line of speech, and the speech is kept."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom.desk.importing.body import assemble_body
from newsroom.desk.importing.cleaning import clean
from newsroom.desk.importing.promotion import split_channel_calls
from newsroom.desk.importing.restoring import restore_line
from newsroom.desk.models import Source

pytestmark = pytest.mark.django_db

# What is said, at what time (seconds); each style writes these four lines its own way.
SPOKEN = [
    (9, "Good evening from Paris."),
    (15, "The Kremlin says Putin is ready for dialogue"),
    (21, "with Macron, if there is political will."),
    (3723, "The Élysée says any talks will be transparent."),
]
STYLES = {
    "bare mm:ss": "00:09 {0}\n00:15 {1}\n00:21 {2}\n1:02:03 {3}",
    "glued to the words": "00:09{0}\n00:15{1}\n00:21{2}\n1:02:03{3}",
    "brackets": "[00:09] {0}\n[00:15] {1}\n[00:21] {2}\n[1:02:03] {3}",
    "parentheses": "(0:09) {0}\n(0:15) {1}\n(0:21) {2}\n(1:02:03) {3}",
    "h:mm:ss with milliseconds": (
        "00:00:09.500 {0}\n00:00:15,250 {1}\n00:00:21.000 {2}\n01:02:03.900 {3}"
    ),
    "with end times": (
        "[00:09 - 00:14] {0}\n[00:15 - 00:20] {1}\n[00:21 --> 00:26] {2}\n[1:02:03 - 1:02:09] {3}"
    ),
    "separated by a dash": "00:09 - {0}\n00:15 - {1}\n00:21 - {2}\n1:02:03 - {3}",
    "alone on their line": "00:09\n{0}\n00:15\n{1}\n\n00:21\n{2}\n1:02:03\n{3}",
    "speaker before the time": (
        "ANCHOR: [00:09] {0}\nANCHOR: [00:15] {1}\nANCHOR: [00:21] {2}\nANCHOR: [1:02:03] {3}"
    ),
    "speaker after the time": (
        "[00:09] ANCHOR: {0}\n[00:15] {1}\n[00:21] {2}\n[1:02:03] JEAN DUPONT: {3}"
    ),
    "caption chevrons": ">> [00:09] {0}\n[00:15] {1}\n[00:21] {2}\n[1:02:03] >> {3}",
    "chevrons and names": "[00:09] >> ANCHOR: {0}\n[00:15] {1}\n[00:21] {2}\n"
    "[1:02:03] >> Jean Dupont: {3}",
    "speaker and time above the words": (
        "Anchor (00:09):\n{0}\n{1}\n\nAnchor (00:21):\n{2}\n\nJean Dupont (1:02:03):\n{3}"
    ),
    "speaker alone on the line above": (
        "Transcript:\nANCHOR:\n[00:09] {0}\n[00:15] {1}\n[00:21] {2}\n\n>> Jean Dupont:\n"
        "[1:02:03] {3}"
    ),
    "name and time as a heading": (
        "Anchor  0:09\n{0}\n\nAnchor  0:15\n{1}\n\nAnchor  0:21\n{2}\n\nJean Dupont  1:02:03\n{3}"
    ),
}


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def imported(run_import, path):
    status, _, err = run_import(path)
    assert status == 0, err
    return Source.objects.get(seed_file=str(path))


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_timestamp_style_imports_as_a_transcript_with_segments(run_import, tmp_path, style):
    text = STYLES[style].format(*(words for _, words in SPOKEN))
    source = imported(run_import, write(tmp_path / "video.txt", text))

    assert source.kind == Source.Kind.TRANSCRIPT
    assert not re.search(r"\d:\d\d|\[|\(\d|>>", source.body)
    timed = {segment["start"]: segment for segment in source.segments}
    for seconds, words in SPOKEN:
        if style == "speaker and time above the words" and seconds == 15:
            continue  # that style times a speaker's turn, not each line
        segment = timed[seconds]
        assert source.body[segment["start_offset"] : segment["end_offset"]].startswith(words)
    assert "Putin is ready for dialogue with Macron, if there is political will." in (source.body)
    labels = [segment["label"] for segment in source.segments]
    assert labels[0] in ("00:09", "0:09", "00:00:09")
    assert labels[-1] in ("1:02:03", "01:02:03")


def test_two_timed_lines_are_a_short_transcript(run_import, tmp_path):
    text = "[00:09] Good evening from Paris.\n[00:15] The Kremlin says Putin is ready.\n"
    source = imported(run_import, write(tmp_path / "clip.txt", text))

    assert source.kind == Source.Kind.TRANSCRIPT
    assert source.body == "Good evening from Paris. The Kremlin says Putin is ready."
    assert [segment["start"] for segment in source.segments] == [9, 15]


@pytest.mark.parametrize("style", ["chevrons and names", "speaker alone on the line above"])
def test_speakers_stay_named_and_each_starts_a_paragraph(run_import, tmp_path, style):
    text = STYLES[style].format(*(words for _, words in SPOKEN))
    source = imported(run_import, write(tmp_path / "video.txt", text))

    assert source.body.split("\n\n") == [
        "ANCHOR: Good evening from Paris. The Kremlin says Putin is ready for dialogue with "
        "Macron, if there is political will.",
        "Jean Dupont: The Élysée says any talks will be transparent.",
    ]
    # The segment covers the words said, not the speaker's name.
    last = source.segments[-1]
    assert source.body[last["start_offset"] : last["end_offset"]] == SPOKEN[-1][1]


CHANNEL_TRANSCRIPT = (
    "[00:01] Good evening. Russia's share of exports to Europe fell again this year.\n"
    "[00:08] Those who subscribe to this view say sanctions work.\n"
    "[00:14] That is all from Paris tonight. Don't forget to like and subscribe!\n"
    "[00:20] Hit the bell so you never miss a story\n"
    "[00:24] and check out our next video on the summit. The talks resume on Monday.\n"
)


def test_a_channels_calls_are_set_aside_and_the_speech_kept(run_import, tmp_path):
    source = imported(run_import, write(tmp_path / "video.txt", CHANNEL_TRANSCRIPT))

    body = source.body
    assert "Russia's share of exports to Europe fell again this year." in body
    assert "Those who subscribe to this view say sanctions work." in body
    assert "That is all from Paris tonight." in body
    assert "The talks resume on Monday." in body
    for call in ("like and subscribe", "Hit the bell", "next video"):
        assert call not in body
    set_aside = {entry["text"]: entry for entry in source.set_aside}
    assert set_aside["Don't forget to like and subscribe!"]["part"] is True
    assert "channel promotion" in set_aside["Don't forget to like and subscribe!"]["reason"]
    # A line that is nothing but the call goes whole.
    assert (
        "channel promotion"
        in (set_aside["[00:20] Hit the bell so you never miss a story"]["reason"])
    )
    assert "and check out our next video on the summit." in set_aside
    # The speech on a line with a call keeps its time.
    by_label = {segment["label"]: segment for segment in source.segments}
    segment = by_label["00:14"]
    assert body[segment["start_offset"] : segment["end_offset"]] == (
        "That is all from Paris tonight."
    )
    assert "00:20" not in by_label


def test_a_call_set_aside_from_a_line_of_speech_can_be_restored(run_import, tmp_path):
    source = imported(run_import, write(tmp_path / "video.txt", CHANNEL_TRANSCRIPT))
    entry = next(entry for entry in source.set_aside if entry.get("part"))

    restore_line(source, entry["line"])

    assert "That is all from Paris tonight. Don't forget to like and subscribe!" in source.body
    assert "Good evening." in source.body and "Hit the bell" not in source.body
    # A re-import of the changed file keeps the restored call in the body.
    path = tmp_path / "video.txt"
    write(path, CHANNEL_TRANSCRIPT + "[00:30] Good night.\n")
    source = imported(run_import, path)
    assert "Don't forget to like and subscribe!" in source.body
    assert "Good night." in source.body


@pytest.mark.parametrize(
    ("line", "speech", "call"),
    [
        ("Russia's share of exports rose.", "Russia's share of exports rose.", ""),
        ("People who subscribe to that theory are few.", None, ""),
        ("Like in 2014, the army advanced.", None, ""),
        ("Follow the money, the prosecutor said.", None, ""),
        (
            "So that is the news today, smash that like button",
            "So that is the news today",
            "smash that like button",
        ),
        (
            "Links are in the description. Paris said no.",
            "Paris said no.",
            "Links are in the description.",
        ),
        ("Subscribe to our channel for more.", "", "Subscribe to our channel for more."),
        (
            "The talks resume Monday, so please share this video with your friends.",
            "The talks resume Monday",
            "so please share this video with your friends.",
        ),
        ("Leave a comment below and tell us.", "", "Leave a comment below and tell us."),
        ("Follow us on Telegram.", "", "Follow us on Telegram."),
        # A call cut off by the end of its caption cue.
        (
            "and that was the summit don't forget to like and",
            "and that was the summit",
            "don't forget to like and",
        ),
        (
            "Up next, watch our full report on the summit.",
            "Up next",
            "watch our full report on the summit.",
        ),
    ],
)
def test_channel_calls_are_phrases_not_words(line, speech, call):
    assert split_channel_calls(line) == (line if speech is None else speech, call)


STAMPS = st.sampled_from(
    [
        "{m:02d}:{s:02d} ",
        "[{m:02d}:{s:02d}] ",
        "({m}:{s:02d}) ",
        "00:{m:02d}:{s:02d}.250 ",
        ">> [{m:02d}:{s:02d}] ",
        "ANCHOR: [{m:02d}:{s:02d}] ",
        "[{m:02d}:{s:02d}] Jean Dupont: ",
    ]
)
WORDS = st.text(
    alphabet=st.sampled_from("abcdefghij ABC.,!?'0123456789:[]()>-"), min_size=1, max_size=60
)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(STAMPS, st.integers(0, 59), st.integers(0, 59), WORDS), max_size=12))
def test_every_segment_points_at_words_of_its_line(cues):
    """Whatever is said after whatever stamp, a segment's offsets hold the words of a kept
    line, and nothing of the stamp."""
    text = "\n".join(stamp.format(m=m, s=s) + words for stamp, m, s, words in cues)
    cleaning = clean(text)
    body, segments = assemble_body(cleaning.lines, cleaning.excluded, cleaning.transcript)
    said = {line.content for line in cleaning.lines if line.timestamp}
    for segment in segments:
        assert 0 <= segment["start_offset"] <= segment["end_offset"] <= len(body)
        assert body[segment["start_offset"] : segment["end_offset"]] in said

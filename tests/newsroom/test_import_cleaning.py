"""Hostile input for the importer's pure parts: nothing crashes, nothing is lost."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom.desk.importing.body import assemble_body
from newsroom.desk.importing.cleaning import clean, noise_reason, split_lines
from newsroom.desk.importing.reading import UnreadableSource, decode

LINES = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "",
            "Read more",
            "#a #b #c",
            "/>",
            "00:12and then the minister said so.",
            "| a | b |",
            "|---|---|",
            "Photo: Someone (AFP)",
            "Readers, what do you think?",
            "The minister said the talks would resume on Monday in Paris, officials confirmed.",
        ]
    ),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(LINES, max_size=40))
def test_every_line_is_in_the_body_or_set_aside(lines):
    text = "\n".join(line.replace("\r", " ") for line in lines)
    cleaning = clean(text)
    body, segments = assemble_body(cleaning.lines, cleaning.excluded, cleaning.transcript)
    set_aside = {entry["line"] for entry in cleaning.set_aside}
    for line in cleaning.lines:
        if line.blank or line.number in set_aside:
            continue
        assert line.content in body
    for segment in segments:
        assert 0 <= segment["start_offset"] <= segment["end_offset"] <= len(body)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_gives_text_or_a_reason(raw):
    try:
        decoded = decode(raw)
    except UnreadableSource as error:
        assert str(error)
        return
    assert "\r" not in decoded.text and decoded.text.strip()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Skip to content", "skip link"),
        ("Sign up for our newsletter", "reader"),
        ("12 comments", "comment widget"),
        ("#Paris #Moscow #Talks", "hashtag wall"),
        ("utm=4411~x.93", "tracking code"),
        ("Image: Kremlin press service", "photo"),
        ("Macron speaks in Paris (Reuters/Benoit Tessier)", "photo"),
        ("Jane Doe is a senior correspondent covering Europe for the paper.", "author bio"),
        ("Advertisement", "site"),
        ("<div class='ad'>", "markup"),
        ("5 minute read", "reading time"),
    ],
)
def test_noise_classes_worded_differently_from_the_seeds(line, reason):
    assert reason in noise_reason(split_lines(line)[0])


@pytest.mark.parametrize(
    "line",
    [
        "The Kremlin said on Sunday that Putin was ready for dialogue with Macron.",
        "- Full disclosure of agendas to NATO and the EU before each session.",
        "| Putin-Macron Talks | Open to dialogue |",
        "“Therefore, if there is mutual political will, this can only be viewed positively,”",
    ],
)
def test_story_lines_are_not_noise(line):
    assert noise_reason(split_lines(line)[0]) == ""


def test_cleaning_on_every_core_gives_the_same_sources(monkeypatch):
    from django.conf import settings as django_settings

    from newsroom.desk.importing import importer

    texts = [
        path.read_text() for path in sorted((django_settings.BASE_DIR / "seeds").glob("*.txt"))
    ]
    texts.append("Read more\n")
    in_order = importer.parse_all(texts)
    monkeypatch.setattr(importer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(importer.os, "cpu_count", lambda: 2)
    assert importer.parse_all(texts) == in_order
    assert in_order[0].title.startswith("France is signaling")


# One call of each kind the channel-call finder knows, in the order of its patterns: a
# sentence is searched only when it holds one of promotion._CALL_WORDS, so a kind of call
# added without its word there would never be found.
CALLS_OF_EACH_KIND = [
    "like, share and subscribe",
    "don't forget to hit it",
    "smash that bell",
    "share this video",
    "share it with your friends",
    "drop a comment",
    "let us know what you think in the comments",
    "comment below",
    "follow us",
    "check out the link below",
    "links are in the description",
    "watch our next episode",
    "watch this next",
    "join our channel",
    "support us on patreon",
    "download our news app",
    "thank you so much for watching",
    "never miss a story",
    "subscribe",
    "sign up",
    "like us",
]


def test_every_kind_of_channel_call_passes_the_word_filter():
    from newsroom.desk.importing import promotion

    assert len(CALLS_OF_EACH_KIND) == len(promotion._CALLS) + len(promotion._OPENING_CALLS)
    for call in CALLS_OF_EACH_KIND:
        speech, found = promotion.split_channel_calls(f"The minister spoke. So, {call} today.")
        assert speech == "The minister spoke." and call[:6] in found.lower(), call

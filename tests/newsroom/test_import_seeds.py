"""The five seed documents through `manage.py import_sources`: titles, kinds, outlets,
dates, the story kept whole and the noise set aside with its reason."""

import re
from datetime import date

import pytest
from django.conf import settings

from newsroom.desk.models import Outlet, Source

pytestmark = pytest.mark.django_db

SEEDS = settings.BASE_DIR / "seeds"


@pytest.fixture
def seeds(run_import):
    status, out, err = run_import(SEEDS)
    assert status == 0, err
    assert "5 imported, 0 updated, 0 unchanged, 0 failed" in out
    return {source.seed_file.split("/")[-1][:3]: source for source in Source.objects.all()}


def set_aside_reason(source, text):
    """The reason the importer gave for setting aside the line that is `text`."""
    reasons = [entry["reason"] for entry in source.set_aside if entry["text"] == text]
    assert reasons, f"{text!r} was not set aside"
    return reasons[0]


def assert_set_aside(source, text, reason_words):
    assert text not in source.body
    reason = set_aside_reason(source, text)
    assert reason_words in reason, reason


def test_each_seed_is_a_source_known_by_its_path(seeds):
    assert sorted(source.seed_file for source in seeds.values()) == [
        f"seeds/{path.name}" for path in sorted(SEEDS.glob("*.txt"))
    ]
    for source in seeds.values():
        path = settings.BASE_DIR / source.seed_file
        assert source.original_text == path.read_text(encoding="utf-8")
        assert source.content_hash == Source.hash_text(source.original_text)
        assert source.language == "en"
        assert source.imported_at is not None
        assert source.revisions.count() == 1
        assert source.latest_revision is not None


def test_set_aside_lines_point_at_their_place_in_the_original(seeds):
    for source in seeds.values():
        lines = source.original_text.split("\n")
        for entry in source.set_aside:
            assert lines[entry["line"] - 1].strip() == entry["text"]
            assert entry["reason"]


# What the importer makes of each seed's title, kind, outlet and date.
SEED_METADATA = {
    "000": {
        "kind": Source.Kind.TRANSCRIPT,
        "title": (
            "France is signaling a quiet but significant strategic shift by reopening the "
            "possibility of dialogue with Russia after years of diplomatic freeze"
        ),
        "outlet": "One India",
        "published_on": None,
        "date_precision": "",
    },
    "001": {
        "kind": Source.Kind.ARTICLE,
        # The headline without its "Breaking:" kicker.
        "title": (
            "Putin Signals Readiness for Dialog With Macron as France Seeks Clear Talks on "
            "Ukraine Peace"
        ),
        "outlet": None,
        "published_on": date(2025, 12, 21),
        "date_precision": Source.DatePrecision.DAY,
    },
    "002": {
        "kind": Source.Kind.ARTICLE,
        "title": "Macron Seeks European Dialogue With Russia’s Putin",
        "outlet": None,
        "published_on": None,
        "date_precision": "",
    },
    "003": {
        "kind": Source.Kind.ARTICLE,
        "title": "Macron Backs Dialogue With Russia",
        "outlet": None,
        "published_on": None,
        "date_precision": "",
    },
    # The text names no outlet or date of its own; the manifest gives them.
    "004": {
        "kind": Source.Kind.ARTICLE,
        "title": (
            "France and Russia signal openness to holding separate talks as US-led peace "
            "efforts remain inconclusive"
        ),
        "outlet": "The Kyiv Independent",
        "published_on": date(2025, 12, 1),
        "date_precision": Source.DatePrecision.MONTH,
    },
}


@pytest.mark.parametrize("seed", sorted(SEED_METADATA))
def test_seed_title_kind_outlet_and_date(seeds, seed):
    source = seeds[seed]
    expected = SEED_METADATA[seed]
    assert source.kind == expected["kind"]
    assert source.title == expected["title"]
    assert (source.outlet.name if source.outlet else None) == expected["outlet"]
    assert source.published_on == expected["published_on"]
    assert source.date_precision == expected["date_precision"]
    # No seed's text or manifest entry gives a URL, and none is made up.
    assert source.url is None


def test_video_transcript_000(seeds):
    source = seeds["000"]
    body = source.body
    # Caption fragments are joined back into sentences, timestamps gone from the prose.
    assert "The last direct call between Macron and Putin happened back in July of 2025." in body
    assert (
        "Paris quickly responded, welcoming the signal from Moscow, but with a very clear" in body
    )
    assert "Europe is no longer pretending that it doesn't exist." in body
    assert not re.search(r"\d\d:\d\d", body)
    assert body.startswith("France is showing signs of a strategic shift")
    paragraphs = body.split("\n\n")
    assert len(paragraphs) >= 3
    assert all(paragraph.rstrip().endswith((".", "?", "!")) for paragraph in paragraphs)
    # Segments keep each caption's time and where its words are in the body.
    by_label = {segment["label"]: segment for segment in source.segments}
    assert len(source.segments) == 32
    segment = by_label["01:42"]
    assert segment["start"] == 102
    assert body[segment["start_offset"] : segment["end_offset"]] == (
        "the United States and Russia. At the same time, the European Union continues to "
        "pour money into Ukraine,"
    )
    assert by_label["00:00"]["start_offset"] == 0
    # Noise around the video.
    assert_set_aside(source, "Skip to playerSkip to main content", "skip link")
    assert_set_aside(source, "~ED.102~HT.408~", "tracking code")
    hashtags = next(line for line in source.original_text.split("\n") if line.startswith("#"))
    assert_set_aside(source, hashtags, "hashtag wall")
    assert_set_aside(source, "Category", "short label")
    assert_set_aside(source, "🗞", "no words")
    assert_set_aside(
        source,
        "04:32Subscribe to One India and never miss an update. Download the One India app now.",
        "reader",
    )
    assert "Subscribe" not in body
    assert_set_aside(source, "Be the first to comment", "comment widget")
    assert_set_aside(source, "Add your comment", "comment widget")
    assert_set_aside(source, "Recommended", "site")
    assert set_aside_reason(source, source.original_text.split("\n")[1]).startswith(
        "video description"
    )


def test_breaking_article_001(seeds):
    source = seeds["001"]
    body = source.body
    assert body.startswith(
        "Russian President Vladimir Putin has indicated he is ready to engage in dialogue"
    )
    assert (
        "ongoing hostilities on the ground.\n\nIn a parallel note from Paris, the elysée "
        "affirmed" in body
    )
    assert "\n\nWhat Could Such Talks Involve?\n\nObservers expect discussions" in body
    # A table stays one row per line.
    assert (
        "| Topic | Position | Notes |\n|---|---|---|\n| Putin-Macron Talks | Open to dialogue |"
        in body
    )
    assert body.endswith("regional assurances will remain central.")
    assert_set_aside(
        source,
        "Breaking: Putin Signals Readiness for Dialog With Macron as France Seeks Clear Talks "
        "on Ukraine Peace",
        "headline",
    )
    prompt = next(line for line in source.original_text.split("\n") if line.startswith("Readers"))
    assert_set_aside(source, prompt, "addressing the reader")
    assert_set_aside(
        source,
        "Share your viewpoint and stay with us for ongoing coverage as developments unfold.",
        "reader",
    )
    assert_set_aside(source, "/>", "markup")
    assert_set_aside(source, "Context: NATO‑EU Relations in 2025", "after the end of the article")
    assert "Minsk" not in body


def test_article_with_spliced_headline_002(seeds):
    source = seeds["002"]
    body = source.body
    assert body.startswith("PARIS: (Web Desk) – French President Emmanuel Macron has expressed")
    # The paragraphs either side of the spliced headline meet as two paragraphs.
    assert (
        "to prepare the ground for future engagement.\n\nThe French president said his goal" in body
    )
    assert "Kremlin spokesman Dmitry Peskov said Moscow believes sustained communication" in body
    assert body.endswith(
        "regular communication ended after a phone call in September of that year."
    )
    assert len(body.split("\n\n")) == 9
    assert_set_aside(
        source, "Macron Calls for European-Led Talks With Russia’s Putin", "another headline"
    )
    assert_set_aside(
        source,
        "Babar Azam Retained in Peshawar Zalmi as PSL Franchises Finalize Lists",
        "unrelated story",
    )
    assert_set_aside(
        source, "Comments are closed, but trackbacks and pingbacks are open.", "comment widget"
    )


def test_article_with_standfirst_and_photo_credit_003(seeds):
    source = seeds["003"]
    body = source.body
    # The standfirst is the story's own words; it opens the body.
    assert body.startswith("Moscow does not refuse dialogue with Europe; the key point")
    assert "\n\nTechnical Contacts Between Paris and Moscow\n\nMacron confirmed that Paris" in body
    assert "EU foreign policy chief Kaja Kallas insisted that no concessions" in body
    assert body.endswith("any potential dialogue with Moscow.")
    assert_set_aside(source, "Photo: Government of France website Emmanuel Macron", "photo")
    assert_set_aside(source, "Macron Backs Dialogue With Russia", "headline")


def test_article_with_byline_and_teasers_004(seeds):
    source = seeds["004"]
    body = source.body
    assert body.startswith(
        "French President Emmanuel Macron and Russian President Vladimir Putin have expressed"
    )
    assert "Peskov told Russian state media.\n\nThe French presidency responded positively" in body
    assert body.endswith('would be met "unconditionally."')
    assert_set_aside(source, "Politics", "short label")
    assert_set_aside(source, "2 min read", "reading time")
    caption = next(line for line in source.original_text.split("\n") if "AFP via Getty" in line)
    assert_set_aside(source, caption, "photo caption")
    assert_set_aside(source, "Avatar", "site")
    assert_set_aside(source, "Linda Hourani", "byline")
    bio = next(line for line in source.original_text.split("\n") if line.startswith("Linda is"))
    assert_set_aside(source, bio, "author bio")
    assert_set_aside(source, "Read more", "site")
    assert_set_aside(source, "News Feed", "site")
    teaser = next(line for line in source.original_text.split("\n") if "Sybiha" in line)
    assert_set_aside(source, teaser, "after the end of the article")
    assert "Crimea" not in body and "Healey" not in body


def test_outlets_are_created_once(seeds):
    assert sorted(Outlet.objects.values_list("name", flat=True)) == [
        "One India",
        "The Kyiv Independent",
    ]


def test_dry_run_writes_nothing(run_import):
    status, out, _ = run_import(SEEDS, "--dry-run")
    assert status == 0
    assert "seeds/002_0ce464d2b3789fd5.txt: would import" in out
    assert "Dry run, nothing written: 5 imported, 0 updated, 0 unchanged, 0 failed" in out
    assert Source.objects.count() == 0
    assert Outlet.objects.count() == 0


def test_command_imports_seeds_by_default(run_import, monkeypatch):
    monkeypatch.chdir(settings.BASE_DIR)
    status, out, _ = run_import()
    assert status == 0
    assert "5 imported" in out
    assert Source.objects.count() == 5


def test_imported_sources_are_searchable_logged_and_referenced(seeds):
    from wagtail.models import ModelLogEntry, ReferenceIndex
    from wagtail.search.backends import get_search_backend

    found = get_search_backend().search("Kallas", Source)
    assert [source.seed_file for source in found] == [seeds["003"].seed_file]
    created = ModelLogEntry.objects.filter(action="wagtail.create")
    assert sorted(created.values_list("object_id", flat=True)) == sorted(
        str(source.pk) for source in seeds.values()
    )
    kyiv = seeds["004"].outlet
    assert ReferenceIndex.get_references_to(kyiv).count() == 1


def test_terminal_gets_a_progress_bar_and_the_summary(run_import, monkeypatch):
    from newsroom.desk.management.commands.import_sources import Command

    monkeypatch.setattr(Command, "_on_terminal", lambda self: True)
    status, out, _ = run_import(SEEDS)
    assert status == 0
    assert "Importing" in out and "5/5" in out
    assert "seeds/000_a45109ac8b8cbc6e.txt: imported" not in out
    assert out.rstrip().endswith("5 imported, 0 updated, 0 unchanged, 0 failed, 87 lines set aside")

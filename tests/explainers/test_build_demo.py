"""The demo explainer, built from the imported seeds by `manage.py build_demo` as its data
file (seeds/demo.toml) describes it."""

import gzip
import io
import os
import shutil
import subprocess
import sys
import tomllib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from explainers.management.commands.build_demo import DEMO_DATA_NAME
from explainers.models import ExplainerPage
from newsroom.desk.models import Claim, Evidence, Source, Verification
from tests.factories import anchored

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("import_sources", verbosity=0)
    call_command("build_demo", verbosity=0)
    return ExplainerPage.objects.get(slug="are-france-and-russia-talking-again")


def test_the_demo_explainer_is_published_from_the_seeds(demo, client):
    assert demo.live
    assert demo.title == "Are France and Russia talking again?"
    claims = list(demo.cited_claims().prefetch_related("evidence__source"))
    assert len(claims) >= 8
    verified_claims = [claim for claim in claims if claim.status == Claim.Status.VERIFIED]
    assert len(verified_claims) >= 8
    for claim in claims:
        evidence = list(claim.evidence.all())
        assert evidence, claim
        for row in evidence:
            assert row.source.seed_file.startswith("seeds/")
            assert row.anchor_method == "exact"
            assert row.quote in row.source.body
            assert row.source.body[row.start_offset : row.end_offset] == row.quote
    for claim in verified_claims:
        assert claim.verified_by and claim.created_by
        assert claim.verified_by != claim.created_by
        assert claim.verifications.filter(verified_by=claim.verified_by).exists()
    assert any(claim.single_source and claim.verification_note for claim in verified_claims)

    html = client.get(demo.url).content.decode()
    assert "badge--verified" in html
    assert "Single source" in html


def test_a_claim_only_one_seed_makes_is_shown_honestly(demo, client):
    flagged = {pk for pk, shown in _flags(demo) if shown}
    not_verified = Claim.objects.filter(pk__in=flagged).exclude(status=Claim.Status.VERIFIED)
    assert not_verified.exists()
    for claim in not_verified:
        supporting = claim.evidence.filter(stance=Evidence.Stance.SUPPORTS)
        assert supporting.values("source").distinct().count() == 1
    html = client.get(demo.url).content.decode()
    assert "badge--unverified" in html


def test_every_status_rests_on_the_stances_of_its_quotes(demo):
    for claim in demo.cited_claims().prefetch_related("evidence"):
        stances = {row.stance for row in claim.evidence.all()}
        assert Evidence.Stance.SUPPORTS in stances, claim
        if claim.status in (Claim.Status.DISPUTED, Claim.Status.FALSE):
            # Disputed or false only on a quote that contradicts the claim.
            assert Evidence.Stance.DISPUTES in stances, claim
        if claim.status == Claim.Status.VERIFIED:
            assert Evidence.Stance.DISPUTES not in stances, claim


def _flags(page):
    from explainers.citations import iter_cited_claims

    return list(iter_cited_claims(page.body.raw_data))


def test_running_it_again_changes_nothing(demo):
    counts = (
        Claim.objects.count(),
        Evidence.objects.count(),
        Verification.objects.count(),
        Revision.objects.count(),
        ExplainerPage.objects.count(),
    )
    call_command("build_demo", verbosity=0)
    assert counts == (
        Claim.objects.count(),
        Evidence.objects.count(),
        Verification.objects.count(),
        Revision.objects.count(),
        ExplainerPage.objects.count(),
    )


def test_demo_users_cannot_log_in(demo):
    for username in ("demo-author", "demo-verifier"):
        assert not get_user_model().objects.get(username=username).has_usable_password()


def test_without_imported_seeds_it_refuses_clearly(db):
    with pytest.raises(CommandError, match="import_sources"):
        call_command("build_demo", verbosity=0)
    assert not Claim.objects.exists()


def test_each_point_of_a_compound_claim_has_its_own_supporting_quotes(demo):
    claim = Claim.objects.get(statement__contains="rather than leave it to the United States")
    supporting = claim.evidence.filter(stance=Evidence.Stance.SUPPORTS).select_related("source")
    for point in ("unified", "United States"):
        sources = {row.source.pk for row in supporting if point in row.quote}
        assert len(sources) == 2, point


# The data file -------------------------------------------------------------------------

SHIPPED = settings.NEWSROOM_SEEDS_DIR / DEMO_DATA_NAME
SLUG = "are-france-and-russia-talking-again"
OLD_DEMO_DATABASE = settings.BASE_DIR / "tests" / "data" / "demo_db_before_desk_app.sqlite3.gz"
KALLAS_QUOTE = (
    "EU foreign policy chief Kaja Kallas insisted that no concessions to Moscow should precede "
    "any dialogue."
)


@pytest.fixture
def imported(db):
    call_command("import_sources", verbosity=0)


def data_file(tmp_path, text):
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def shipped_with(*edits):
    """The shipped data file's text, each (old, new) replaced once (and known to be there)."""
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def build(path=None):
    out = io.StringIO()
    call_command("build_demo", *(["--data", str(path)] if path else []), stdout=out)
    return out.getvalue()


def assert_nothing_built():
    assert not Claim.objects.exists()
    assert not Evidence.objects.exists()
    assert not ExplainerPage.objects.exists()
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_every_quote_in_the_shipped_file_is_word_for_word_in_its_imported_source(demo):
    """Exactly and on word boundaries, in the source's text as readers see it (with the
    lines the file restores)."""
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    quotes = [
        (row["source"], row["quote"]) for claim in data["claims"] for row in claim["evidence"]
    ]
    quotes += [
        (block["source"], block["quote"])
        for explainer in data["explainers"]
        for block in explainer["body"]
        if block["type"] == "pull_quote"
    ]
    assert len(quotes) == 43
    for seed_file, quote in quotes:
        source = Source.objects.get(seed_file=seed_file)
        assert anchored(source.body, quote) == (quote, "exact"), (seed_file, quote)


MALFORMED = {
    "missing quote": (
        [(f'quote = "{KALLAS_QUOTE}"\n', "")],
        "claim 9 “kallas”, evidence 1: missing quote",
    ),
    "unknown source file": (
        [('source = "seeds/003_0474a2333bdbbac5.txt"', 'source = "seeds/003_gone.txt"')],
        "claim 6 “technical_contacts”, evidence 1: unknown source file “seeds/003_gone.txt”",
    ),
    "unknown stance": (
        [('stance = "context"', 'stance = "agrees"')],
        "claim 5 “bonne_visit”, evidence 2: unknown stance “agrees” (one of supports, "
        "disputes, context)",
    ),
    "quote not word for word": (
        [("Kaja Kallas insisted that", "Kaja Kallas said that")],
        "claim 9 “kallas”, evidence 1: This quote is not in “Macron Backs Dialogue With "
        "Russia” word for word. The closest passage is: “EU foreign policy chief Kaja Kallas "
        "insisted",
    ),
    "pull quote not word for word": (
        [('this can only be viewed positively"\n', 'this can only be seen positively"\n')],
        f"explainer 1 “{SLUG}”, body block 6 (pull_quote): This quote is not in",
    ),
    "unknown claim key": (
        [('claim = "meloni"', 'claim = "melon"')],
        f"explainer 1 “{SLUG}”, body block 16 (claim): no claim has the key “melon”",
    ),
    "unknown status": (
        [('status = "verified"', 'status = "confirmed"')],
        "claim 1 “kremlin_ready”: unknown status “confirmed” (one of verified, disputed, "
        "false, unverified)",
    ),
    "not TOML": (
        [('key = "kremlin_ready"', 'key = "kremlin_ready')],
        "not a readable TOML file (Illegal character",
    ),
}


@pytest.mark.parametrize("edits, problem", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_data_file_is_refused_naming_the_file_and_entry(
    imported, tmp_path, edits, problem
):
    path = data_file(tmp_path, shipped_with(*edits))
    with pytest.raises(CommandError) as refusal:
        build(path)
    assert f"{path}, {problem}" in str(refusal.value)
    assert_nothing_built()


def test_every_problem_in_the_file_is_named_at_once(imported, tmp_path):
    path = data_file(
        tmp_path,
        shipped_with(
            ('stance = "context"', 'stance = "agrees"'), ('claim = "meloni"', 'claim = "melon"')
        ),
    )
    with pytest.raises(CommandError) as refusal:
        build(path)
    lines = str(refusal.value).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}, ") for line in lines)


def test_a_data_file_that_does_not_exist_exits_non_zero_naming_it(tmp_path):
    missing = tmp_path / "no-demo.toml"
    # A process of its own, on a scratch SQLite file: the file is refused before any row
    # is read, whatever database the suite runs on.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "build_demo", "--data", str(missing)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert f"{missing}, no such file" in run.stderr


def test_a_decision_the_rules_refuse_undoes_the_whole_build(imported, tmp_path):
    # Kallas rests on one outlet: without "single source" the verifier cannot verify it,
    # and that decision comes after the explainer is published.
    single_source_note = 'single_source = true\nnote = "Reported by one source only'
    path = data_file(
        tmp_path, shipped_with((single_source_note, 'note = "Reported by one source only'))
    )
    with pytest.raises(CommandError, match="claim “kallas”: A verified claim needs"):
        build(path)
    assert_nothing_built()


def test_a_publication_the_guard_refuses_undoes_the_whole_build(imported, tmp_path):
    world_war = 'by one account:</p>"\nshow_as_unverified = true\n'
    path = data_file(tmp_path, shipped_with((world_war, 'by one account:</p>"\n')))
    with pytest.raises(CommandError, match=f"explainer “{SLUG}”: This explainer cannot be"):
        build(path)
    assert_nothing_built()


def test_the_data_file_is_found_in_the_seeds_folder_setting(imported, tmp_path, settings):
    settings.NEWSROOM_SEEDS_DIR = tmp_path
    (tmp_path / DEMO_DATA_NAME).write_text(
        shipped_with(('title = "Are France', 'title = "Are Paris')), encoding="utf-8"
    )
    assert "Published: “Are Paris and Russia talking again?”" in build()


SECOND_EXPLAINER = """
[[explainers]]
title = "Verified on one report"
slug = "verified-on-one-report"
standfirst = "Claims from the December 2025 reports that rest on a single report."
tags = ["France", "Russia"]

[[explainers.body]]
type = "key_facts"
heading = "Verified on one report"
claims = ["kallas", "meloni"]

[[explainers.body]]
type = "claim"
claim = "meeting_announced"
show_as_unverified = true
"""


def test_explainers_cite_the_same_claims_by_key(imported, tmp_path):
    build()
    out = build(data_file(tmp_path, SHIPPED.read_text(encoding="utf-8") + SECOND_EXPLAINER))
    assert "Already published: “Are France and Russia talking again?”" in out
    assert "Published: “Verified on one report”" in out
    first = ExplainerPage.objects.get(slug=SLUG)
    second = ExplainerPage.objects.get(slug="verified-on-one-report")
    assert second.live
    assert Claim.objects.count() == 20
    assert set(second.cited_claim_ids()) < set(first.cited_claim_ids())
    kallas = Claim.objects.get(statement__startswith="EU foreign policy chief Kaja Kallas")
    assert kallas.pk in second.cited_claim_ids()


JULY_CALL_WEB_DESK = (
    '[[claims.evidence]]\nsource = "seeds/002_0ce464d2b3789fd5.txt"\nquote = "The two leaders '
    "last spoke by phone in July, marking their first direct conversation in more than "
    'two-and-a-half years."\nstance = "supports"\n\n'
)
LAST_PARAGRAPH = (
    '\n[[explainers.body]]\ntype = "paragraph"\nhtml = "<p>No meeting had been announced'
)


def test_running_it_again_brings_an_older_demo_up_to_date(imported, tmp_path):
    older = shipped_with(
        (JULY_CALL_WEB_DESK, ""),
        ('standfirst = "In December 2025', 'standfirst = "Earlier: in December 2025'),
        ('tags = ["France", "Russia", "Diplomacy"]', 'tags = ["France"]'),
    )
    build(data_file(tmp_path, older[: older.index(LAST_PARAGRAPH)] + "\n"))
    page = ExplainerPage.objects.get(slug=SLUG)
    assert page.standfirst.startswith("Earlier")
    july_call = Claim.objects.get(statement__startswith="Macron and Putin last spoke by phone")
    assert july_call.evidence.count() == 2

    out = build()
    assert "20 claims from" in out and "(0 new, 1 updated, 1 decided)" in out
    assert "Updated: “Are France and Russia talking again?”" in out
    page = ExplainerPage.objects.get(slug=SLUG)
    assert page.live and not page.has_unpublished_changes
    assert page.standfirst.startswith("In December 2025")
    assert sorted(page.tags.names()) == ["Diplomacy", "France", "Russia"]
    assert page.body[-1].block_type == "paragraph"
    assert "No meeting had been announced" in str(page.body[-1].value)
    assert page.revisions.count() == 2
    july_call.refresh_from_db()
    quotes = [row.quote for row in july_call.evidence.order_by("sort_order", "pk")]
    assert len(quotes) == 3 and quotes[2].startswith("The two leaders last spoke")
    # New evidence reopened the claim, and the demo verifier decided it again.
    assert list(july_call.verifications.order_by("pk").values_list("status", flat=True)) == [
        Claim.Status.VERIFIED,
        Claim.Status.UNVERIFIED,
        Claim.Status.VERIFIED,
    ]
    assert july_call.verified_by.username == "demo-verifier"
    assert july_call.revisions.count() == 2

    assert "(0 new, 0 updated, 0 decided)" in build()


def test_the_data_file_rebuilds_the_demo_as_the_python_data_before_it_built_it(tmp_path):
    # The demo database as build_demo left it when claims and body were Python data
    # (tests/newsroom/test_migrate_forward.py): the file finds nothing to change.
    database = tmp_path / "before.sqlite3"
    with gzip.open(OLD_DEMO_DATABASE) as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("CELERY_BROKER_URL", "CACHE_URL", "API_CACHE_URL")
    }
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="newsroom.settings.dev")
    for command in (["migrate", "--no-input", "-v0"], ["build_demo"]):
        run = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
    # What the file has added since (restored lines, claims, two explainers) is built; the
    # first explainer, as it was, is left alone.
    assert "4 set-aside lines restored" in run.stdout
    assert "20 claims from" in run.stdout and "(8 new, 0 updated," in run.stdout
    assert "Already published: “Are France and Russia talking again?”" in run.stdout
    assert "Published: “What we could not confirm”" in run.stdout

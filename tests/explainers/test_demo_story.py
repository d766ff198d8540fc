"""The demo tells the whole story: three explainers from the seeds, related to one another by
the claims they share, and a page of what the desk could not confirm, each claim there with
its status, the verifier's note and a ClaimReview saying so."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from explainers.demo_data import DemoDataError
from explainers.models import Correction, ExplainerPage
from newsroom.desk.models import Claim, Source
from tests.explainers.test_build_demo import build, data_file, shipped_with

pytestmark = pytest.mark.django_db

SLUGS = [
    "are-france-and-russia-talking-again",
    "should-europe-talk-to-moscow",
    "what-we-could-not-confirm",
]
UNCONFIRMED = "what-we-could-not-confirm"
SPLICED_SEED = "seeds/001_13bdae42f34699c2.txt"
RATING = {Claim.Status.UNVERIFIED: "Unproven", Claim.Status.DISPUTED: "Disputed"}


@pytest.fixture
def demo(db, committed):
    call_command("import_sources", verbosity=0)
    with committed():  # the related-stories regeneration runs after the commit, in-process
        call_command("build_demo", verbosity=0)
    return {page.slug: page for page in ExplainerPage.objects.filter(slug__in=SLUGS)}


def page_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_three_explainers_each_with_related_stories_among_them(demo, client):
    assert sorted(demo) == sorted(SLUGS)
    titles = {page.title for page in demo.values()}
    for page in demo.values():
        assert page.live
        widget = page_of(client, page).select_one(".related-stories")
        assert widget is not None, page.slug
        related = {link.get_text(strip=True) for link in widget.select("a")}
        assert related & (titles - {page.title}), (page.slug, related)


def test_claims_shared_between_explainers_are_the_same_snippets(demo):
    cited = {slug: set(page.cited_claim_ids()) for slug, page in demo.items()}
    first, europe, unconfirmed = (cited[slug] for slug in SLUGS)
    assert first & europe and first & unconfirmed and europe & unconfirmed


def test_what_we_could_not_confirm_shows_each_claim_as_it_stands(demo, client):
    page = demo[UNCONFIRMED]
    soup = page_of(client, page)
    claims = Claim.objects.in_bulk(page.cited_claim_ids())
    assert len(claims) == 6
    reviews = {
        review["claimReviewed"]: review["reviewRating"]["alternateName"]
        for review in map(
            json.loads, (tag.string for tag in soup.select("script[type='application/ld+json']"))
        )
        if review["@type"] == "ClaimReview"
    }
    statuses = set()
    for claim in claims.values():
        assert claim.status != Claim.Status.VERIFIED
        statuses.add(claim.status)
        card = soup.select_one(f"#claim-{claim.pk}")
        assert card.select_one(".badge").get_text(strip=True) == claim.get_status_display()
        note = card.select_one(".claim-note").get_text(" ", strip=True)
        assert note == f"Verifier's note: {claim.verification_note}"
        assert claim.verified_by.username == "demo-verifier"
        assert reviews[claim.statement] == RATING[claim.status]
    assert statuses == {Claim.Status.UNVERIFIED, Claim.Status.DISPUTED}


def test_the_two_spliced_facts_are_quoted_from_lines_the_editor_restored(demo):
    seed = Source.objects.get(seed_file=SPLICED_SEED)
    restored = [line["text"] for line in seed.restored_lines]
    assert len(restored) == 4
    assert all(text in seed.body for text in restored)
    assert not any(line["text"] in restored for line in seed.set_aside)
    for start in ("France's foreign ministry announced on 12 December", "France hosted a “Minsk"):
        claim = Claim.objects.get(statement__startswith=start)
        assert claim.status == Claim.Status.UNVERIFIED
        assert {row.source for row in claim.evidence.filter(stance="supports")} == {seed}
        assert all(row.is_anchored for row in claim.evidence.all())


def test_a_claim_verified_then_reopened_has_one_correction_entry(demo, client):
    loan = Claim.objects.get(statement__startswith="The EU approved a 90 billion euro loan")
    assert loan.status == Claim.Status.UNVERIFIED
    history = list(loan.verifications.order_by("pk").values_list("status", flat=True))
    assert history == [Claim.Status.VERIFIED, Claim.Status.UNVERIFIED]
    page = demo[UNCONFIRMED]
    entries = Correction.objects.filter(page=page)
    assert [entry.claim_id for entry in entries] == [loan.pk]
    listed = page_of(client, page).select("ol.correction-list > li")
    assert len(listed) == 1 and loan.statement in listed[0].get_text()


def test_building_again_changes_nothing_and_restores_nothing(demo):
    out = build()
    assert "restored" not in out
    assert "(0 new, 0 updated, 0 decided)" in out
    assert out.count("Already published") == 3


def test_a_restored_line_that_is_not_set_aside_is_refused(db, tmp_path):
    call_command("import_sources", verbosity=0)
    text = shipped_with(
        ('text = "- Official announcement (12 Dec 2025)', 'text = "- Official notice (12 Dec 2025)')
    )
    with pytest.raises(DemoDataError) as refused:
        build(data_file(tmp_path, text))
    assert "restored line 1: “- Official notice (12 Dec 2025)" in str(refused.value)
    assert "is not a set-aside line of the source" in str(refused.value)
    assert not Claim.objects.exists()
    assert not Source.objects.get(seed_file=SPLICED_SEED).restored_lines


def test_the_home_page_lists_the_three_with_standfirst_and_last_verified(
    demo, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get("/")
    teasers = {
        teaser.select_one("h3 a").get_text(strip=True): teaser
        for teaser in BeautifulSoup(response.content, "html.parser").select(".explainer-teaser")
    }
    assert set(teasers) == {page.title for page in demo.values()}
    for page in demo.values():
        teaser = teasers[page.title]
        assert page.standfirst in teaser.get_text()
        last_verified = page.digest.last_verified
        times = [time["datetime"] for time in teaser.select("time")]
        if last_verified is None:
            assert "Last verified" not in teaser.get_text()
        else:
            assert "Last verified" in teaser.get_text()
            assert times[-1] == last_verified.isoformat()
    assert demo[UNCONFIRMED].digest.last_verified is None

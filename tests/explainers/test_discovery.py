"""How readers and machines find explainers: ClaimReview and NewsArticle JSON-LD, OpenGraph
and canonical tags, the RSS and Atom feeds, sitemap.xml, robots.txt and site search."""

import datetime
import json

import feedparser
import pytest
from bs4 import BeautifulSoup

from explainers.jsonld import dumps, first_appearance
from newsroom.desk.models import Claim, Evidence, Source
from tests.factories import cited_claim_block, claim_with_evidence, explainer_page, verified

pytestmark = pytest.mark.django_db

CLAIM_REVIEW_REQUIRED = {"claimReviewed", "reviewRating", "author", "datePublished", "url"}


def structured_data(client, page):
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    return [
        json.loads(script.string) for script in soup.select('script[type="application/ld+json"]')
    ]


@pytest.fixture
def ruled_claims(author, verifier):
    true = verified(
        claim_with_evidence(
            author, stances=("supports",) * 3, statement="Peskov spoke on 21 December."
        ),
        verifier,
    )
    false = claim_with_evidence(author, stances=("supports", "disputes"), statement="Talks began.")
    verified(false, verifier, Claim.Status.FALSE, note="No talks have begun.")
    pending = claim_with_evidence(
        author, stances=("supports",) * 3, statement="A summit is planned."
    )
    return true, false, pending


def test_claim_reviews_for_every_ruled_claim(client, ruled_claims):
    true, false, pending = ruled_claims
    page = explainer_page(
        body=[
            cited_claim_block(true),
            cited_claim_block(false, True),
            cited_claim_block(pending, True),
        ]
    )
    data = structured_data(client, page)
    reviews = {item["claimReviewed"]: item for item in data if item["@type"] == "ClaimReview"}
    assert set(reviews) == {true.statement, false.statement}

    for claim, rating, name in ((true, 5, "True"), (false, 1, "False")):
        review = reviews[claim.statement]
        assert set(review) >= CLAIM_REVIEW_REQUIRED
        assert review["@context"] == "https://schema.org"
        assert review["url"] == f"{page.full_url}#claim-{claim.pk}"
        assert review["datePublished"] == claim.verified_at.date().isoformat()
        assert review["author"]["@type"] == "Organization" and review["author"]["name"]
        assert review["reviewRating"]["@type"] == "Rating"
        assert review["reviewRating"]["ratingValue"] == rating
        assert review["reviewRating"]["alternateName"] == name
        assert {"bestRating", "worstRating"} <= set(review["reviewRating"])
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        # Appearances are the sources making the claim, never those disputing it.
        headlines = {appearance["headline"] for appearance in item["appearance"]}
        supporting = claim.evidence.filter(stance=Evidence.Stance.SUPPORTS)
        assert headlines == {evidence.source.title for evidence in supporting}
    disputing = false.evidence.get(stance=Evidence.Stance.DISPUTES).source.title
    false_item = reviews[false.statement]["itemReviewed"]
    assert disputing not in {appearance["headline"] for appearance in false_item["appearance"]}


def test_claim_review_dates_keep_their_precision(client, author, verifier):
    claim = claim_with_evidence(author, stances=("supports",) * 3)
    month, day, undated = (evidence.source for evidence in claim.evidence.order_by("pk"))
    Source.objects.filter(pk=month.pk).update(
        published_on=datetime.date(2025, 12, 1), date_precision=Source.DatePrecision.MONTH
    )
    Source.objects.filter(pk=day.pk).update(
        published_on=datetime.date(2025, 12, 21), date_precision=Source.DatePrecision.DAY
    )
    page = explainer_page(body=[cited_claim_block(verified(claim, verifier))])
    review = next(item for item in structured_data(client, page) if item["@type"] == "ClaimReview")
    dates = {
        work["headline"]: work.get("datePublished") for work in review["itemReviewed"]["appearance"]
    }
    assert dates == {month.title: "2025-12", day.title: "2025-12-21", undated.title: None}
    # "December 2025" may mean the 31st: the source dated the 21st is known to be first.
    assert review["itemReviewed"]["firstAppearance"]["headline"] == day.title
    assert review["itemReviewed"]["firstAppearance"]["datePublished"] == "2025-12-21"


@pytest.mark.parametrize(
    ("month_date", "day_date", "first"),
    [
        # November 2025 ended before 3 December: the month is certainly earlier.
        (datetime.date(2025, 11, 1), datetime.date(2025, 12, 3), "month"),
        # A day on the month's last day ties with the month: the precise date wins.
        (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31), "day"),
    ],
)
def test_first_appearance_is_the_source_known_to_be_earliest(month_date, day_date, first):
    month = Source(published_on=month_date, date_precision=Source.DatePrecision.MONTH)
    day = Source(published_on=day_date, date_precision=Source.DatePrecision.DAY)
    undated = Source()
    sources = {"month": month, "day": day}
    assert first_appearance([undated, month, day]) is sources[first]
    assert first_appearance([undated]) is None


def test_news_article_json_ld(client, ruled_claims):
    true, _, _ = ruled_claims
    page = explainer_page(
        title="Are they talking?", body=[cited_claim_block(true)], tags=["Russia"]
    )
    article = [item for item in structured_data(client, page) if item["@type"] == "NewsArticle"]
    assert len(article) == 1
    article = article[0]
    assert article["headline"] == "Are they talking?"
    assert article["url"] == page.full_url
    assert article["datePublished"] == page.first_published_at.isoformat()
    assert article["keywords"] == ["Russia"]
    assert len(article["citation"]) == 3


def test_json_ld_cannot_break_out_of_its_script(client, author, verifier):
    claim = claim_with_evidence(
        author, stances=("supports",) * 3, statement="</script><script>alert(1)</script> & more"
    )
    verified(claim, verifier)
    page = explainer_page(body=[cited_claim_block(claim)])
    html = client.get(page.url).content.decode()
    assert "</script><script>alert(1)" not in html
    reviews = [item for item in structured_data(client, page) if item["@type"] == "ClaimReview"]
    assert reviews[0]["claimReviewed"] == claim.statement
    assert dumps({"a": "<&>"}) == '{"a": "\\u003c\\u0026\\u003e"}'


def test_opengraph_and_canonical(client, ruled_claims):
    page = explainer_page(title="Are they talking?", body=[cited_claim_block(ruled_claims[0])])
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert soup.select_one('link[rel="canonical"]')["href"] == page.full_url
    og = {meta["property"]: meta["content"] for meta in soup.select("meta[property]")}
    assert og["og:title"] == "Are they talking?"
    assert og["og:type"] == "article"
    assert og["og:url"] == page.full_url
    assert og["og:description"] == page.standfirst


@pytest.mark.parametrize("url", ["/feeds/explainers.rss", "/feeds/explainers.atom"])
def test_feeds_list_published_explainers(client, url):
    explainer_page(title="Older", tags=["Russia"])
    newer = explainer_page(title="Newer <b>bold</b>", standfirst="What & why")
    explainer_page(title="Draft", publish=False)
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Newsroom: explainers"
    assert [entry.title for entry in feed.entries] == ["Newer <b>bold</b>", "Older"]
    assert feed.entries[0].link == f"http://testserver{newer.url}"
    assert feed.entries[0].summary == "What & why"
    assert [tag.term for tag in feed.entries[1].tags] == ["Russia"]


def test_sitemap_lists_live_explainers(client):
    live = explainer_page(title="Live one")
    draft = explainer_page(title="Not yet", publish=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "xml")
    locations = [loc.text for loc in soup.find_all("loc")]
    assert live.full_url in locations
    assert not any(draft.slug in location for location in locations)
    assert any(location.endswith("/explainers/") for location in locations)


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_search_finds_explainers_by_title_standfirst_and_cited_claims(client, author, verifier):
    claim = verified(
        claim_with_evidence(
            author, stances=("supports",) * 3, statement="Peskov welcomed the overture."
        ),
        verifier,
    )
    explainer_page(title="Kremlin and Elysee", standfirst="Dialogue resumes.")
    explainer_page(
        title="Energy prices", standfirst="Gas in winter.", body=[cited_claim_block(claim)]
    )
    explainer_page(title="Kremlin draft", standfirst="Not public yet.", publish=False)

    def titles(query):
        soup = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
        return [a.text for a in soup.select(".explainer-teaser h2 a")]

    assert titles("Kremlin") == ["Kremlin and Elysee"]
    assert titles("dialogue") == ["Kremlin and Elysee"]
    assert titles("overture") == ["Energy prices"]
    assert titles("zeppelin") == []
    page = client.get("/search/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in page
    assert client.get("/search/").status_code == 200

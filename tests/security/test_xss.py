"""Stored XSS: payloads planted in every field an editor or an imported text controls render
escaped on the reader's pages, in the admin, in the JSON-LD and in the feeds."""

import json
import re

import pytest
from bs4 import BeautifulSoup

from tests.factories import snippet_url
from tests.security.hostile import IMG, RAW_MARKERS, SCRIPT, build_hostile_world

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
DATA_SCRIPT_TYPES = ("application/ld+json", "application/json")


@pytest.fixture
def world(editor, verifier, tmp_path):
    return build_hostile_world(editor, verifier, tmp_path)


DATA_SCRIPT = re.compile(
    r'(<script[^>]*type="application/(?:ld\+)?json"[^>]*>)(.*?)(</script>)', re.S | re.I
)
# A quote is only dangerous inside an attribute; in text and in JSON it is just a quote.
MARKUP_MARKERS = tuple(marker for marker in RAW_MARKERS if not marker.startswith("onmouseover"))


def assert_escaped(html, url):
    for _, data, _ in DATA_SCRIPT.findall(html):
        assert "<" not in data, f"{url}: '<' inside a data script: {data[:200]}"
    markup = DATA_SCRIPT.sub(r"\1\3", html)
    for marker in RAW_MARKERS:
        at = markup.find(marker)
        assert at == -1, f"{url}: unescaped {marker!r} in …{markup[max(0, at - 120) : at + 80]}…"
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select('img[src="x"]'), url
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not (name.startswith("on") and "__xss" in text), (url, element)
            if name in ("href", "src", "action", "formaction"):
                assert not text.strip().lower().startswith(("javascript:", "data:text")), url
    for script in soup.find_all("script"):
        if script.get("type") in DATA_SCRIPT_TYPES:
            json.loads(script.string or "null")  # data, and whole: never cut short
        else:
            assert "__xss" not in (script.string or ""), (url, script)


def get_ok(http, url):
    response = http.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_payloads_reach_every_reader_page_escaped(client, world):
    for url in world.reader_urls:
        html = get_ok(client, url)
        assert_escaped(html, url)
    html = get_ok(client, world.page.url)
    # The payloads are shown as text, not dropped: readers see exactly what was written.
    soup = BeautifulSoup(html, "html.parser")
    assert world.claim.statement in soup.get_text()
    assert SCRIPT in soup.select_one("h1").get_text()


def test_the_related_widget_shows_a_hostile_title_as_text(client, world):
    html = get_ok(client, world.page.url)
    soup = BeautifulSoup(html, "html.parser")
    related = soup.select_one(".related-stories, [class*=related]")
    assert related is not None, "the related stories widget is missing from the page"
    assert world.other_page.title in related.get_text()


def test_json_ld_carries_the_payloads_as_data_and_never_ends_its_script(client, world):
    html = get_ok(client, world.page.url)
    blocks = LD_JSON.findall(html)
    assert blocks, "no JSON-LD on the explainer page"
    for raw in blocks:
        assert "</script" not in raw.lower() and "<" not in raw
    data = [json.loads(raw) for raw in blocks]
    by_type = {}
    for item in data:
        for entry in item if isinstance(item, list) else [item]:
            by_type.setdefault(entry["@type"], []).append(entry)
    assert by_type["NewsArticle"][0]["headline"] == world.page.title[:110]
    assert by_type["NewsArticle"][0]["description"] == world.page.standfirst
    reviewed = [review["claimReviewed"] for review in by_type["ClaimReview"]]
    assert world.claim.statement in reviewed


def test_every_admin_view_of_the_hostile_objects_escapes_them(admin_client, world):
    for url in world.admin_urls:
        assert_escaped(get_ok(admin_client, url), url)


def test_the_editor_and_verifier_see_the_same_views_escaped(editor_client, verifier_client, world):
    from django.urls import reverse

    for http in (editor_client, verifier_client):
        html = get_ok(http, reverse("wagtailadmin_home"))
        assert_escaped(html, "dashboard")
        assert "Awaiting" in html  # the hostile claim is on a dashboard panel, as text
    assert_escaped(get_ok(verifier_client, world.admin_urls[-1]), "explorer")


def test_the_set_aside_lines_of_a_hostile_import_are_shown_as_text(admin_client, world):
    assert any(SCRIPT in entry["text"] for entry in world.imported.set_aside)
    html = get_ok(admin_client, snippet_url("source", "inspect", world.imported.pk))
    assert_escaped(html, "imported source")
    cells = BeautifulSoup(html, "html.parser").select(".set-aside-line td")
    assert SCRIPT in [cell.get_text() for cell in cells]


@pytest.mark.parametrize("feed", ["/feeds/explainers.rss", "/feeds/explainers.atom"])
def test_feeds_escape_the_payloads(client, world, feed):
    import feedparser

    response = client.get(feed)
    assert response.status_code == 200
    xml = response.content.decode()
    for marker in MARKUP_MARKERS:
        assert marker not in xml
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = [entry.title for entry in parsed.entries]
    assert world.page.title in titles


def test_the_api_returns_payloads_as_json_strings(client, world):
    response = client.get("/api/claims/")
    assert response["Content-Type"] == "application/json"
    [item] = response.json()["results"]
    assert item["statement"] == world.claim.statement
    assert IMG in item["evidence"][0]["quote"]
    pages = client.get(f"/api/v2/pages/{world.page.pk}/")
    assert pages["Content-Type"] == "application/json"
    assert pages.json()["title"] == world.page.title

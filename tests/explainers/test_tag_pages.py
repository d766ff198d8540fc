"""Tag pages for tags in any script, and only for tags readers can already see: a tag in
Cyrillic or with accents links to a page that lists its explainers, a tag whose slug comes
out empty never breaks a page, and a tag used only on sources, claims, drafts or private
explainers answers 404 like a tag that does not exist (issue #14, items 1 and 5)."""

from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from tests.factories import ClaimFactory, SourceFactory, explainer_index, explainer_page

pytestmark = pytest.mark.django_db

UNICODE_TAGS = ["Élysée", "Україна"]


def tag_links(html):
    soup = BeautifulSoup(html, "html.parser")
    return {a.text: a["href"] for a in soup.select("ul.tags a")}


def teaser_titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.text for a in soup.select(".explainer-teaser h2 a")]


@pytest.mark.parametrize("name", UNICODE_TAGS)
def test_a_tag_in_any_script_links_to_its_page(client, name):
    page = explainer_page(title="Talks", tags=[name])
    tag = Tag.objects.get(name=name)
    assert tag.slug == name.lower()

    index = client.get(explainer_index().url)
    article = client.get(page.url)
    assert index.status_code == 200
    assert article.status_code == 200
    href = tag_links(index.content)[name]
    assert tag_links(article.content)[name] == href
    assert unquote(href) == f"{explainer_index().url}tag/{tag.slug}/"

    tag_page = client.get(href)
    assert tag_page.status_code == 200
    assert teaser_titles(tag_page) == ["Talks"]
    assert name in BeautifulSoup(tag_page.content, "html.parser").h1.text


def test_a_tag_with_an_empty_slug_is_shown_without_a_link(client):
    page = explainer_page(title="Talks", tags=["Élysée"])
    empty = Tag.objects.create(name="!!!")
    assert empty.slug == ""
    page.tags.add(empty)
    page.save_revision().publish()

    for url in (explainer_index().url, page.url):
        response = client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        items = [li.text.strip() for li in soup.select("ul.tags li")]
        assert "!!!" in items
        assert "!!!" not in tag_links(response.content)
        assert "Élysée" in tag_links(response.content)


def test_the_preview_of_an_explainer_with_a_unicode_tag_renders(admin_client):
    page = explainer_page(title="Talks", tags=["Україна"], publish=False)
    response = admin_client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert response.status_code == 200
    assert "Україна" in tag_links(response.content)


def hidden_tag_urls():
    """Tags used everywhere but on a live, public explainer."""
    SourceFactory().tags.add("On a source")
    ClaimFactory().tags.add("On a claim")
    explainer_page(title="Draft", tags=["On a draft"], publish=False)
    private = explainer_page(title="Private", tags=["Behind a password"])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    login = explainer_page(title="Login only", tags=["Behind a login"])
    PageViewRestriction.objects.create(page=login, restriction_type=PageViewRestriction.LOGIN)
    explainer_page(title="Public", tags=["Seen"])
    index_url = explainer_index().url
    slugs = ["on-a-source", "on-a-claim", "on-a-draft", "behind-a-password", "behind-a-login"]
    return index_url, [f"{index_url}tag/{slug}/" for slug in slugs]


def test_only_tags_of_live_public_explainers_have_a_page(client):
    index_url, hidden = hidden_tag_urls()
    assert set(Tag.objects.values_list("slug", flat=True)) >= {
        url.rstrip("/").rsplit("/", 1)[1] for url in hidden
    }
    for url in hidden:
        assert client.get(url).status_code == 404, url
    assert client.get(f"{index_url}tag/no-such-tag/").status_code == 404
    seen = client.get(f"{index_url}tag/seen/")
    assert seen.status_code == 200
    assert teaser_titles(seen) == ["Public"]

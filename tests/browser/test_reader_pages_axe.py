"""The reader's listing pages pass axe-core with no violations in Chromium: the home page,
the explainers index, a tag page and a page of search results, each showing the demo."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from explainers.models import ExplainerIndexPage

# serialized_rollback restores what the data migrations made (groups, pages) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def reader_pages(live_server):
    call_command("import_sources", verbosity=0)
    call_command("build_demo", verbosity=0)
    index = ExplainerIndexPage.objects.get()
    first = index.explainers().get(slug="are-france-and-russia-talking-again")
    tag = next(tag for tag in first.tags.all() if tag.slug == "diplomacy")
    return {
        "home": f"{live_server.url}/",
        "index": live_server.url + index.url,
        "tag": live_server.url + index.tag_url(tag),
        "search": f"{live_server.url}/search/?q=Kremlin",
    }


def test_listing_pages_are_accessible(page, reader_pages):
    reports = {}
    for name, url in reader_pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        # Each page lists the first demo explainer, so axe checks a real listing.
        teasers = page.locator("li.explainer-teaser")
        titles = [teaser.split("\n")[0] for teaser in teasers.all_inner_texts()]
        assert "Are France and Russia talking again?" in titles, name
        results = Axe().run(page)
        if results.violations_count:
            reports[name] = results.generate_report()
    assert not reports, "\n\n".join(f"{name}:\n{report}" for name, report in reports.items())


def test_index_teasers_carry_their_tags_inside_the_list_item(page, reader_pages):
    page.goto(reader_pages["index"])
    teaser = page.locator("ul.explainer-list > li.explainer-teaser").filter(
        has_text="Are France and Russia talking again?"
    )
    tags = teaser.locator("ul.tags a")
    assert sorted(tags.all_inner_texts()) == ["Diplomacy", "France", "Russia"]
    tags.filter(has_text="Diplomacy").click()
    page.wait_for_url(reader_pages["tag"])
    assert "Diplomacy" in page.get_by_role("heading", level=1).inner_text()

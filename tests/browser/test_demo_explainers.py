"""The three demo explainers in Chromium, as a newcomer meets them after `scripts/start`:
from the home page to each, each with its related stories; a related story followed to
another demo explainer; axe on each page. Screenshots go to
test-artifacts/screenshots/<test name>/."""

import pytest
from django.core.management import call_command
from django.utils.text import slugify
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLES = [
    "Are France and Russia talking again?",
    "Should Europe talk to Moscow, and who for?",
    "What we could not confirm",
]


@pytest.fixture
def demo(live_server):
    call_command("import_sources", verbosity=0)
    call_command("build_demo", verbosity=0)
    return live_server.url


def test_a_reader_goes_through_the_three_demo_explainers(page, demo, screenshot):
    page.goto(f"{demo}/")
    teasers = page.locator("li.explainer-teaser")
    expect(teasers.get_by_role("heading")).to_have_text(TITLES[::-1])  # newest first
    screenshot("home")
    assert_no_axe_violations(page)

    for title in TITLES:
        page.goto(f"{demo}/")
        page.get_by_role("link", name=title, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        related = page.locator(".related-stories a")
        expect(related.first).to_be_visible()
        assert set(related.all_inner_texts()) & (set(TITLES) - {title}), title
        screenshot(slugify(title))
        assert_no_axe_violations(page)

    # The last page, "What we could not confirm": not one claim there is shown as verified.
    badges = page.locator(".claim .badge").all_inner_texts()
    assert badges and "Verified" not in badges
    expect(page.locator(".claim-note").first).to_contain_text("Verifier's note")

    target = page.locator(".related-stories a").first
    followed = target.inner_text()
    target.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(followed)
    assert followed in TITLES[:2]
    screenshot("followed-a-related-story")

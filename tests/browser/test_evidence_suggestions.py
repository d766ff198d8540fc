"""Evidence suggestions in Chromium: the claim's form has a labelled "Evidence suggestions
(N)" toggle; its panel lists passages from the other seeds, with or without an outlet, each
with the guessed stance as a hint and Supports, Disputes and Context buttons; the editor's
button decides the stance, and adding comes back to the form. Axe checks the open panel.
Screenshots go to test-artifacts/screenshots/<test name>/."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from newsroom.desk.models import Claim, Evidence, Source
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import ClaimFactory, EvidenceFactory, claim_url
from tests.newsroom.test_suggestion_panel import KYIV_QUOTE, KYIV_SEED, READINESS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def claim(editor):
    call_command("import_sources", verbosity=0)
    claim = ClaimFactory(statement=READINESS, created_by=editor)
    EvidenceFactory(claim=claim, source=Source.objects.get(seed_file=KYIV_SEED), quote=KYIV_QUOTE)
    return claim


def test_an_editor_adds_a_suggestion_with_the_stance_they_choose(
    page, live_server, claim, screenshot
):
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}{claim_url('edit', claim)}")
    toggle = page.get_by_role("button", name="Evidence suggestions (")
    expect(toggle).to_be_visible()
    screenshot("form-with-labelled-toggle")
    toggle.click()
    panel = page.locator("[data-side-panel='suggestions']")
    expect(panel).to_be_visible()
    suggestions = panel.locator("li.suggestion")
    assert suggestions.count() >= 2
    expect(panel).to_contain_text("no outlet named")
    guessed_supports = suggestions.filter(has_text="Looks like it supports").first
    expect(guessed_supports.get_by_role("button")).to_have_text(["Supports", "Disputes", "Context"])
    quote = guessed_supports.locator(".suggestion-quote").inner_text().strip("“”")
    page.wait_for_timeout(500)  # the panel slides in: let it settle for the screenshot
    expect(guessed_supports.get_by_role("button", name="Context")).to_be_in_viewport()
    screenshot("suggestions-panel")
    assert_no_axe_violations(page, within="[data-side-panel='suggestions']")
    expect(toggle).to_have_attribute("aria-expanded", "true")

    guessed_supports.get_by_role("button", name="Context").click()
    expect(page).to_have_url(f"{live_server.url}{claim_url('edit', claim)}")
    expect(page.locator(".messages")).to_contain_text("Quote added")
    screenshot("added-as-context")
    added = Claim.objects.get(pk=claim.pk).evidence.get(quote=quote)
    assert added.stance == Evidence.Stance.CONTEXT
    assert added.is_anchored

"""A quote longer than an editor would use, in Chromium: the claim form refuses it with a
message saying how long a quote may be, offers no closest passage (none is sought), and
saves nothing. Screenshots go to test-artifacts/screenshots/<test name>/."""

import pytest
from playwright.sync_api import expect

from newsroom.desk.anchoring import MAX_QUOTE_LENGTH
from newsroom.desk.models import Claim, Evidence
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_claim_form_tools import (
    TOOL_PANELS,
    add_row,
    into_view,
    open_add_form,
    publish,
)
from tests.factories import SourceFactory

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_quote_over_the_cap_is_refused_with_its_length_and_nothing_is_saved(
    page, live_server, editor, screenshot
):
    source = SourceFactory(title="Kremlin readout")
    statement = "Putin is ready to talk to Macron."
    open_add_form(page, live_server, statement)
    add_row(page, 0, source)
    page.locator("[name=evidence-0-quote]").fill("Putin is ready to talk. " * 200)
    publish(page)

    errors = page.locator("#panel-child-evidence-0-child-quote-errors")
    expect(errors).to_contain_text(f"This quote is longer than {MAX_QUOTE_LENGTH:,} characters")
    expect(page.locator("[data-quote-repair]")).to_have_count(0)
    into_view(errors)
    screenshot("long-quote-refused")
    assert_no_axe_violations(page, within=TOOL_PANELS)
    assert not Claim.objects.filter(statement=statement).exists()
    assert not Evidence.objects.exists()

"""Desk review's e-mails lead to the real site, in Chromium (#13 point 10): with the site's
address set (WAGTAILADMIN_BASE_URL, then `manage.py set_site_address`), an editor submits an
explainer in the admin; the verifier follows the e-mailed link, port included, to the page's
edit view and approves it; the editor follows the approval e-mail's link to the live page.
Screenshots go to test-artifacts/screenshots/<test name>/."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.admin_steps import approve_in_page_editor, open_footer_actions, switch_user
from tests.browser.conftest import log_in
from tests.factories import cited_claim_block, claim_with_evidence, explainer_page, verified

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Are they talking again?"


def link_in(message, pattern):
    """The first link in the e-mail's text matching `pattern`."""
    found = re.search(pattern, message.body)
    assert found, message.body
    return found.group(0)


def e_mail_to(user):
    [message] = [message for message in mail.outbox if message.to == [user.email]]
    return message


def test_e_mailed_links_lead_to_the_site(page, live_server, settings, editor, verifier, screenshot):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    call_command("set_site_address", stdout=None)
    claim = verified(claim_with_evidence(editor, ("supports",) * 3), verifier)
    draft = explainer_page(TITLE, body=[cited_claim_block(claim)], publish=False)

    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    open_footer_actions(page)
    page.locator("button[name=action-submit]").click()
    expect(page.locator(".messages").first).to_contain_text(re.compile("submitted", re.I))
    edit_link = link_in(e_mail_to(verifier), rf"{re.escape(live_server.url)}/admin/pages/\d+/edit/")
    assert edit_link == f"{live_server.url}/admin/pages/{draft.pk}/edit/"

    switch_user(page, live_server, "verifier")
    mail.outbox.clear()
    page.goto(edit_link)
    # The page's edit view, with Desk review's Approve among its actions.
    expect(page.locator("button[data-workflow-action-name=approve]").first).to_be_attached()
    screenshot("verifier-follows-the-e-mail")
    approve_in_page_editor(page)
    expect(page.locator(".messages").first).to_contain_text("Approved and published")

    live_link = link_in(e_mail_to(editor), rf"{re.escape(live_server.url)}/explainers/[\w-]+/")
    page.context.clear_cookies()
    response = page.goto(live_link)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    screenshot("editor-follows-the-approval-e-mail")

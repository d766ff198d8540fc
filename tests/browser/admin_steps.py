"""Steps in the admin that several browser tests take, as an editor or verifier takes them."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username)


def choose_in_modal(page, opener, search, link_text):
    """Open a Wagtail chooser, search it, and pick the row whose link reads `link_text`."""
    opener.click()
    modal = page.locator(".modal-dialog, [role=dialog]").filter(has=page.locator("input")).last
    expect(modal).to_be_visible()
    # Let the search answer before choosing: the live server shares one SQLite connection
    # between its threads, so two requests at once could interleave their transactions.
    with page.expect_response(lambda response: "q=" in response.url):
        modal.locator("input[name=q]").fill(search)
    modal.get_by_role("link", name=link_text).first.click()
    expect(modal).to_be_hidden()


def open_footer_actions(page):
    toggle = page.locator("footer [data-w-dropdown-target=toggle], footer .dropdown-toggle").last
    if toggle.count() and toggle.is_visible():
        toggle.click()


def select_in_source_text(page, index, words):
    """Select `words` in row `index`'s source text, as a reader's drag would."""
    page.evaluate(
        """([id, words]) => {
            const text = document.querySelector(`#${id} [data-source-text-for]`).firstChild;
            const start = text.data.indexOf(words);
            if (start < 0) throw new Error("not in the shown text: " + words);
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + words.length);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [f"evidence-{index}-source-text", words],
    )


def approve_in_page_editor(page):
    """Approve the page's Desk review task from its edit view's footer, confirming the
    comment dialog when Wagtail opens one."""
    open_footer_actions(page)
    page.get_by_role("button", name=re.compile(r"^Approve")).first.click()
    dialog_submit = page.locator("[role=dialog] button[type=submit]")
    if dialog_submit.count() and dialog_submit.first.is_visible():
        dialog_submit.first.click()

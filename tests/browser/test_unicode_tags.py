"""Tags in any script, in Chromium: an editor previews a draft tagged in Cyrillic through the
admin, and once it is published a reader follows its tag from the explainers index to the
tag's page, which passes axe (issue #14, item 1)."""

import pytest

from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import explainer_index, explainer_page

# serialized_rollback restores what the data migrations made (groups, pages) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_reader_follows_a_cyrillic_tag_to_its_page(page, live_server, editor, screenshot):
    draft = explainer_page(title="Talks with Kyiv", tags=["Україна", "!!!"], publish=False)

    log_in(page, live_server, editor.username)
    response = page.goto(f"{live_server.url}/admin/pages/{draft.pk}/view_draft/")
    assert response.status == 200
    assert page.locator("ul.tags a", has_text="Україна").count() == 1
    # A tag whose slug is empty is shown, unlinked.
    assert page.locator("ul.tags li", has_text="!!!").count() == 1
    assert page.locator("ul.tags a", has_text="!!!").count() == 0
    screenshot("draft-preview")

    draft.get_latest_revision().publish()
    page.context.clear_cookies()
    response = page.goto(live_server.url + explainer_index().url)
    assert response.status == 200
    screenshot("index")
    page.locator("ul.tags a", has_text="Україна").click()
    page.wait_for_load_state()
    assert "Україна" in page.locator("h1").inner_text()
    titles = page.locator(".explainer-teaser h2 a").all_inner_texts()
    assert titles == ["Talks with Kyiv"]
    screenshot("tag-page")
    assert_no_axe_violations(page)

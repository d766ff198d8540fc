import pytest

from tests.browser.conftest import log_in

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_editor_logs_in_and_sees_the_evidence_desk(page, live_server, editor, screenshot):
    log_in(page, live_server, "editor")
    page.get_by_role("button", name="Evidence desk").click()
    assert page.get_by_role("link", name="Claims").is_visible()
    assert screenshot("dashboard").exists()

"""The Import sources page in Chromium, as an editor: from the Evidence desk menu, upload two
files and paste one URL (served by a local test server), follow the run's progress line by
line while a worker imports them, then open a source from its line. Axe checks both pages.
The worker is this test, running the task once the page shows the run waiting, so the
progress is seen before the end (under the embedded default the task runs in the request)."""

import pytest
from playwright.sync_api import expect

from newsroom.desk import tasks
from newsroom.desk.importing.runs import run_import
from newsroom.desk.models import ImportRun, Source
from tests.browser.conftest import assert_no_axe_violations, log_in

# serialized_rollback restores what the data migrations made (groups, home page) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STATEMENT = (
    "Ministry statement on the grain corridor\n\n"
    "The ministry said on Monday that the corridor would stay open through the winter.\n\n"
    "Officials added that insurance for ships would be reviewed every month.\n"
)
SPEECH = (
    "Minister's remarks to the press\n\n"
    "The minister told reporters that exports had doubled since the spring.\n\n"
    "She said the ports of Odesa handled most of the cargo.\n"
)


def test_an_editor_uploads_two_files_and_a_url_and_follows_the_import(
    page, live_server, editor, news_site, settings, tmp_path, monkeypatch, screenshot
):
    settings.NEWSROOM_IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    sent = []
    monkeypatch.setattr(tasks.import_sources, "delay", sent.append)
    statement, speech = tmp_path / "statement.txt", tmp_path / "speech.txt"
    statement.write_text(STATEMENT)
    speech.write_text(SPEECH)
    url = f"{news_site.url}/news/grain-exports"

    log_in(page, live_server, "editor")
    page.get_by_role("button", name="Evidence desk").click()
    page.get_by_role("link", name="Import sources").click()
    expect(page.get_by_role("heading", name="Import sources")).to_be_visible()
    assert_no_axe_violations(page, within="main")
    page.get_by_label("Files").set_input_files([statement, speech])
    page.get_by_label("URLs").fill(url)
    page.get_by_role("button", name="Import").click()

    progress = page.locator(".import-progress")
    expect(progress).to_have_text("Importing… 0 of 3 done.")
    expect(page.locator(".import-outcome")).to_have_text(["waiting"] * 3)
    screenshot("import-waiting")
    assert sent == [ImportRun.objects.get().pk]

    run_import(sent[0])

    expect(progress).to_contain_text("Done: 3 imported, 0 updated, 0 unchanged, 0 failed")
    expect(page.locator(".import-outcome")).to_have_text(["imported"] * 3)
    expect(page.locator(".import-line td:first-child")).to_have_text(
        ["statement.txt", "speech.txt", url]
    )
    screenshot("import-done")
    assert_no_axe_violations(page, within="main")
    page.get_by_role("link", name=url).click()
    source = Source.objects.get(url=url)
    expect(page.get_by_role("heading", name="Captured copies")).to_be_visible()
    expect(page.get_by_role("button", name="Re-capture")).to_be_visible()
    assert page.url.endswith(f"/inspect/{source.pk}/")

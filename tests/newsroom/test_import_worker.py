"""The Import sources page with a real Celery worker on Redis (not eager), as in production:
the request only records the run and sends the task; the worker, another process, fetches
the page, reads the upload from the private folder and fills in the lines the status
reports. PostgreSQL only (the worker opens the test database)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from newsroom.desk.importing.runs import run_folder
from newsroom.desk.models import ImportRun, Source
from tests.factories import snippet_url

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STATEMENT = (
    "Ministry statement on the grain corridor\n\n"
    "The ministry said on Monday that the corridor would stay open through the winter.\n"
)


@pytest.fixture
def worker(request, monkeypatch, settings, tmp_path, news_site):
    """A worker whose settings (from its environment) reach the local server and share the
    private upload folder with this process."""
    folder = tmp_path / "uploads"
    settings.NEWSROOM_IMPORT_UPLOAD_DIR = folder
    monkeypatch.setenv("NEWSROOM_IMPORT_UPLOAD_DIR", str(folder))
    monkeypatch.setenv("NEWSROOM_FETCH_ALLOWED_NETWORKS", "127.0.0.0/8")
    return request.getfixturevalue("celery_worker")


def test_the_worker_imports_what_the_page_sent(worker, editor_client, news_site):
    url = f"{news_site.url}/news/grain-exports"
    files = [SimpleUploadedFile("statement.txt", STATEMENT.encode(), content_type="text/plain")]

    response = editor_client.post(snippet_url("source", "import"), {"files": files, "urls": url})

    run = ImportRun.objects.get()
    assert response["Location"] == snippet_url("source", "import_run", run.pk)
    status_url = snippet_url("source", "import_run_status", run.pk)
    deadline = time.monotonic() + 60
    status = editor_client.get(status_url).json()
    while not status["done"] and time.monotonic() < deadline:
        time.sleep(0.5)
        status = editor_client.get(status_url).json()
    assert status["done"], worker.log.read_text(errors="replace")[-3000:]
    assert [(line["name"], line["outcome"]) for line in status["lines"]] == [
        ("statement.txt", "imported"),
        (url, "imported"),
    ]
    assert Source.objects.get(url=url).captures.count() == 1
    assert not run_folder(run).exists()

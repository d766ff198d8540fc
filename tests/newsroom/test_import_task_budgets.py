"""Import tasks are bounded and a stopped import is never run again (issue #25, A).

The import task (an admin import or a source's re-capture) has soft and hard time limits
from the settings and is acknowledged early, never requeued when its worker is lost, while
related-stories tasks keep their redelivery. A run is started once only: delivered again
after it started, it fails with the reason instead of fetching; stopped by its time limit,
a killed worker child or an error, it fails with the reason, each line not reached too.
The worker-process side is in test_import_worker_stops.py."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded, WorkerLostError
from celery.signals import task_failure
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from explainers.tasks import regenerate_related
from newsroom.desk.importing.importer import SourceImporter
from newsroom.desk.importing.runs import fail_abandoned_runs, run_folder, run_import, start_import
from newsroom.desk.importing.stops import STARTED_BEFORE, STOPPED
from newsroom.desk.models import ImportRun, Source
from newsroom.desk.tasks import import_sources
from tests.factories import snippet_url

pytestmark = pytest.mark.django_db

STATEMENT = b"Ministry statement\n\nThe ministry said the corridor would stay open.\n"


@pytest.fixture
def uploads(settings, tmp_path):
    settings.NEWSROOM_IMPORT_UPLOAD_DIR = tmp_path / "uploads"


def queued_run(editor, news_site, paths=("/news/grain-exports",)):
    files = [SimpleUploadedFile("statement.txt", STATEMENT)]
    return start_import(editor, files, [news_site.url + path for path in paths])


def test_the_import_task_has_time_limits_and_is_never_delivered_again(settings):
    assert import_sources.soft_time_limit == settings.NEWSROOM_IMPORT_TASK_SOFT_SECONDS
    assert import_sources.time_limit == settings.NEWSROOM_IMPORT_TASK_HARD_SECONDS
    assert import_sources.soft_time_limit < import_sources.time_limit
    assert (import_sources.acks_late, import_sources.reject_on_worker_lost) == (False, False)
    # Related stories are safe to run twice, and must not be lost: they keep redelivery.
    assert (regenerate_related.acks_late, regenerate_related.reject_on_worker_lost) == (True, True)
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0


def test_a_run_is_imported_once_then_left_alone(editor, news_site, uploads):
    run = queued_run(editor, news_site)
    run_import(run.pk)
    run.refresh_from_db()
    assert (run.status, run.failure_reason) == (ImportRun.Status.DONE, "")
    assert run.started_at is not None
    requests = len(news_site.requests)

    run_import(run.pk)  # delivered again after it finished

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert len(news_site.requests) == requests == 1


def test_a_run_delivered_again_after_it_started_fails_instead_of_fetching(
    editor, news_site, uploads
):
    run = queued_run(editor, news_site)
    # As a worker killed mid-import leaves it: running, its lines not reached.
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now()
    )

    run_import(run.pk)

    run.refresh_from_db()
    assert (run.status, run.failure_reason) == (ImportRun.Status.FAILED, STARTED_BEFORE)
    assert news_site.requests == []
    assert not Source.objects.exists()
    assert {(item.outcome, item.message) for item in run.items.all()} == {
        ("failed", STARTED_BEFORE)
    }
    assert not run_folder(run).exists()


def test_a_run_out_of_its_soft_time_limit_fails_with_the_reason(
    editor, news_site, uploads, settings
):
    settings.NEWSROOM_IMPORT_TASK_SOFT_SECONDS = 42
    run = queued_run(editor, news_site)
    with (
        patch.object(SourceImporter, "run", side_effect=SoftTimeLimitExceeded()),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        run_import(run.pk)

    run.refresh_from_db()
    reason = f"{STOPPED}: over its 42 s time limit"
    assert (run.status, run.failure_reason) == (ImportRun.Status.FAILED, reason)
    assert run.summary == f"Failed: {reason}"
    assert {item.message for item in run.items.all()} == {reason}
    assert not run_folder(run).exists()


def test_a_run_stopped_after_some_lines_keeps_them_and_fails_the_rest(editor, news_site, uploads):
    run = queued_run(editor, news_site, paths=("/news/grain-exports", "/statement.txt"))
    real = SourceImporter.run

    def stops_after_the_files(self, paths, report=None, urls=()):
        real(self, paths, report=report)  # the uploaded file only
        raise SoftTimeLimitExceeded()

    with (
        patch.object(SourceImporter, "run", stops_after_the_files),
        pytest.raises(SoftTimeLimitExceeded),
    ):
        run_import(run.pk)

    outcomes = {item.name: item.outcome for item in run.items.all()}
    assert outcomes["statement.txt"] == "imported"
    for path in ("/news/grain-exports", "/statement.txt"):
        assert outcomes[news_site.url + path] == "failed"
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (TimeLimitExceeded(660.0), "over its 660 s time limit, so it was killed"),
        (
            WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL) Job: 0."),
            "killed (Worker exited prematurely: signal 9 (SIGKILL) Job: 0.)",
        ),
        (MemoryError(), "out of memory"),
    ],
    ids=["hard time limit", "child killed", "memory"],
)
def test_what_the_workers_main_process_reports_fails_the_run(
    editor, news_site, uploads, error, words
):
    run = queued_run(editor, news_site)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)

    # As the main process sends it for a child it killed, or that died.
    task_failure.send(sender=import_sources, task_id="x", exception=error, args=[run.pk], kwargs={})

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.failure_reason.startswith(f"{STOPPED}: {words}")
    assert news_site.requests == []


def test_other_tasks_failures_leave_runs_alone(editor, news_site, uploads):
    run = queued_run(editor, news_site)
    task_failure.send(
        sender=regenerate_related, task_id="x", exception=MemoryError(), args=[run.pk]
    )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED


def test_a_run_no_worker_can_be_at_is_failed_past_its_hard_limit_only(
    editor, news_site, uploads, settings
):
    settings.NEWSROOM_IMPORT_TASK_HARD_SECONDS = 100
    now = timezone.now()
    within = queued_run(editor, news_site)
    past = queued_run(editor, news_site)
    # The hard limit and a minute's grace: 160 s is the budget.
    ImportRun.objects.filter(pk=within.pk).update(
        status=ImportRun.Status.RUNNING, started_at=now - timedelta(seconds=158)
    )
    ImportRun.objects.filter(pk=past.pk).update(
        status=ImportRun.Status.RUNNING, started_at=now - timedelta(seconds=161)
    )

    assert fail_abandoned_runs() == 1

    within.refresh_from_db()
    past.refresh_from_db()
    assert within.status == ImportRun.Status.RUNNING
    assert past.status == ImportRun.Status.FAILED
    assert "no word from its worker within its 100 s time limit" in past.failure_reason


def test_the_run_page_says_why_a_run_failed(editor, editor_client, news_site, uploads):
    run = queued_run(editor, news_site)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    run_import(run.pk)

    page = editor_client.get(snippet_url("source", "import_run", run.pk)).content.decode()
    assert f"Failed: {STARTED_BEFORE}." in page
    assert 'http-equiv="refresh"' not in page  # finished: the page stops asking
    status = editor_client.get(snippet_url("source", "import_run_status", run.pk)).json()
    assert (status["done"], status["failure_reason"]) == (True, STARTED_BEFORE)

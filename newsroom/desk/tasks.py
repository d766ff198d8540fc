"""Celery tasks of the evidence desk. Tasks stay thin: they call a service function."""

from celery import shared_task
from django.conf import settings

from newsroom.desk.audit import run_audit
from newsroom.desk.importing.runs import fail_abandoned_runs, run_import

IMPORT_TASK = "newsroom.import_sources"


@shared_task(name="newsroom.audit_evidence")
def audit_evidence():
    """The nightly evidence audit, run by beat; its findings show on the admin dashboard."""
    return len(run_audit().remaining)


# Bounded, and never delivered again: acknowledged when a worker takes it (not after) and
# not requeued when its worker is lost, so a page that killed a worker (its memory, its time)
# is not fetched again and again. Its run is failed with the reason instead (signal_handlers).
@shared_task(
    name=IMPORT_TASK,
    acks_late=False,
    reject_on_worker_lost=False,
    soft_time_limit=settings.NEWSROOM_IMPORT_TASK_SOFT_SECONDS,
    time_limit=settings.NEWSROOM_IMPORT_TASK_HARD_SECONDS,
)
def import_sources(run_id: int):
    """An import started from the admin's Import sources page, or a source's re-capture
    (see importing.runs)."""
    run_import(run_id)


@shared_task(name="newsroom.fail_abandoned_imports")
def fail_abandoned_imports():
    """Fail the runs whose whole worker died with them (no process was left to say so); run
    by beat."""
    return fail_abandoned_runs()

"""Celery tasks of the evidence desk. Tasks stay thin: they call a service function."""

from celery import shared_task

from newsroom.desk.audit import run_audit
from newsroom.desk.importing.runs import run_import


@shared_task(name="newsroom.audit_evidence")
def audit_evidence():
    """The nightly evidence audit, run by beat; its findings show on the admin dashboard."""
    return len(run_audit().remaining)


@shared_task(name="newsroom.import_sources")
def import_sources(run_id: int):
    """An import started from the admin's Import sources page (see importing.runs)."""
    run_import(run_id)

"""The desk's own receivers: thin, each hands its change to the write path that owns it."""

import resource

from celery.signals import task_failure, worker_process_init
from django.conf import settings
from django.dispatch import receiver

from newsroom.desk.actions import claims as claim_actions
from newsroom.desk.importing.runs import stop_run
from newsroom.desk.importing.stops import stop_reason
from newsroom.desk.models import Claim
from newsroom.desk.signals import claim_saved
from newsroom.desk.tasks import IMPORT_TASK


@receiver(claim_saved, sender=Claim)
def follow_up_claim_save(sender, claim, previous_statement, **kwargs):
    claim_actions.claim_saved(claim, previous_statement)


@task_failure.connect
def fail_stopped_import(sender=None, args=None, kwargs=None, exception=None, **extra):
    """An import task that failed, ran out of time or lost its worker child fails its run with
    the reason. Sent by the worker's main process for a killed child, where no code of the
    task could run."""
    if getattr(sender, "name", "") != IMPORT_TASK:
        return
    run_id = args[0] if args else (kwargs or {}).get("run_id")
    if run_id is not None:
        stop_run(run_id, stop_reason(exception))


@worker_process_init.connect
def cap_worker_child_memory(**kwargs):
    """Each prefork worker child gets its address space capped at NEWSROOM_WORKER_MEMORY_MB:
    past it, an allocation raises MemoryError in the task that asked for it."""
    megabytes = settings.NEWSROOM_WORKER_MEMORY_MB
    if megabytes:
        ceiling = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))

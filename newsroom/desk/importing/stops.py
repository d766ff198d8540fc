"""Why an import run stopped before its end, in words an editor can act on.

A run stops early when its Celery task runs out of time (its soft limit raises in the task,
its hard limit kills the worker child), when the child is killed (by the kernel, out of
memory, or by hand), or on an error. Whichever process sees it (the child, or the worker's
main process for a killed child) fails the run with one of these reasons."""

from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded, WorkerLostError
from django.conf import settings

STOPPED = "the worker stopped while importing"
#: A second delivery of a run already started: the first one's worker was lost.
STARTED_BEFORE = (
    f"{STOPPED}: this import had started before and was not finished "
    "(its worker was killed or lost); it is not run twice"
)


def stop_reason(error: BaseException) -> str:
    """The reason a run stopped on `error`."""
    if isinstance(error, SoftTimeLimitExceeded):
        return f"{STOPPED}: over its {settings.NEWSROOM_IMPORT_TASK_SOFT_SECONDS} s time limit"
    if isinstance(error, TimeLimitExceeded):
        seconds = error.args[0] if error.args else settings.NEWSROOM_IMPORT_TASK_HARD_SECONDS
        return f"{STOPPED}: over its {seconds:g} s time limit, so it was killed"
    if isinstance(error, WorkerLostError):
        return (
            f"{STOPPED}: killed ({error}); the kernel kills a worker over its memory, "
            "or it was stopped by hand"
        )
    if isinstance(error, MemoryError):
        return f"{STOPPED}: out of memory"
    return f"the import stopped on an error: {type(error).__name__}: {error}"[:300]


def abandoned_reason() -> str:
    seconds = settings.NEWSROOM_IMPORT_TASK_HARD_SECONDS
    return f"{STOPPED}: no word from its worker within its {seconds} s time limit"

"""Imports started from the admin: the files an editor uploads and the URLs they paste,
kept as an ImportRun whose items the import fills in one by one, so the Import sources
page can show its progress whichever process (the request's, or a Celery worker) runs it.

Uploads wait in a private folder (NEWSROOM_IMPORT_UPLOAD_DIR, never under a served path)
and are deleted once the import has read them, whatever happened. A file is known by its
content's hash and name (`uploads/<hash>/<name>`), so the same file uploaded again is
unchanged, and two editors' different files of one name are two sources.
"""

import hashlib
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from newsroom.desk.importing.importer import FAILED, FileOutcome, SourceImporter
from newsroom.desk.importing.reading import format_size
from newsroom.desk.importing.stops import STARTED_BEFORE, abandoned_reason, stop_reason
from newsroom.desk.models import ImportItem, ImportRun

_UNSAFE = re.compile(r"[^\w.-]+")


def run_folder(run: ImportRun) -> Path:
    return Path(settings.NEWSROOM_IMPORT_UPLOAD_DIR) / f"run-{run.pk}"


def start_import(user: AbstractBaseUser, uploads: list[UploadedFile], urls: list[str]) -> ImportRun:
    """Record an import of `uploads` and `urls` by `user`, for `run_import` to run (the
    caller sends the task). A file over the size limit fails at once, as the command fails
    it, and is never stored."""
    run = ImportRun.objects.create(requested_by=user)
    folder = run_folder(run)
    limit = settings.NEWSROOM_IMPORT_MAX_BYTES
    for upload in uploads:
        if upload.size > limit:
            reason = f"too large: {format_size(upload.size)}, over the {format_size(limit)} limit"
            ImportItem.objects.create(run=run, name=upload.name, outcome=FAILED, message=reason)
            continue
        ImportItem.objects.create(run=run, name=upload.name, stored_path=_store(upload, folder))
    for url in urls:
        ImportItem.objects.create(run=run, name=url)
    return run


def _store(upload, folder):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    name = _UNSAFE.sub("_", Path(upload.name).name).lstrip(".") or "upload"
    path = folder / "uploads" / digest.hexdigest()[:16] / name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str(path)


def run_import(run_id: int) -> ImportRun | None:
    """Run a recorded import: each item's outcome saved as the importer reaches it, the
    uploads deleted at the end. A run is started once only: one already done or failed is
    left alone, and one already started (its worker lost, the task delivered again) is
    failed with the reason, never fetched again. A run stopped on the way (its time limit,
    an error) is failed with the reason too."""
    run = _start(run_id)
    if run is None:
        return ImportRun.objects.filter(pk=run_id).first()
    pending = list(run.items.filter(outcome=""))
    by_name = {_item_key(item): item for item in pending}

    def report(outcome: FileOutcome):
        item = by_name.get(_outcome_key(outcome))
        if item is None:
            return
        item.outcome, item.message = outcome.status, outcome.message
        item.source_id, item.duplicate_of_id = outcome.source_id, outcome.duplicate_of
        item.save(update_fields=["outcome", "message", "source", "duplicate_of"])

    importer = SourceImporter(root=run_folder(run), user=run.requested_by)
    try:
        summary = importer.run(
            [item.stored_path for item in pending if not item.is_url],
            report=report,
            urls=[item.name for item in pending if item.is_url],
        )
    except BaseException as error:
        stop_run(run.pk, stop_reason(error))
        raise
    finally:
        shutil.rmtree(run_folder(run), ignore_errors=True)
    _finish(run, pending, summary)
    return run


def _start(run_id):
    """The run, now marked running, if this is its first start; else None (and a run
    already started is failed: its worker was lost, or the task was sent twice)."""
    started = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now()
    )
    if not started:
        stop_run(run_id, STARTED_BEFORE)
        return None
    return ImportRun.objects.select_related("requested_by").get(pk=run_id)


def _finish(run, pending, summary):
    # Whatever the importer skipped, no line is left waiting for ever.
    run.items.filter(outcome="").update(outcome=FAILED, message="the import stopped first")
    reported = {item.pk for item in pending if item.outcome}
    summary.outcomes += [
        FileOutcome(item.name, item.name, FAILED)
        for item in run.items.filter(outcome=FAILED).exclude(pk__in=reported)
    ]
    # Only a run still running is done: one failed meanwhile (delivered again) stays failed.
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.DONE, finished_at=timezone.now(), summary=summary.line()
    )
    run.refresh_from_db()


def stop_run(run_id: int, reason: str) -> bool:
    """Fail a run that is queued or running, with `reason` on the run and on each line
    not reached, and delete its uploads. Whether it was failed (False: it had finished)."""
    stopped = ImportRun.objects.filter(
        pk=run_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
    ).update(
        status=ImportRun.Status.FAILED,
        finished_at=timezone.now(),
        failure_reason=reason[:300],
        summary=f"Failed: {reason}"[:300],
    )
    if not stopped:
        return False
    ImportItem.objects.filter(run_id=run_id, outcome="").update(outcome=FAILED, message=reason)
    shutil.rmtree(run_folder(ImportRun(pk=run_id)), ignore_errors=True)
    return True


def fail_abandoned_runs() -> int:
    """Fail the runs no worker can still be at (ImportRun.objects.abandoned): how many."""
    reason = abandoned_reason()
    abandoned = ImportRun.objects.abandoned().values_list("pk", flat=True)
    return sum(stop_run(pk, reason) for pk in abandoned)


def _item_key(item):
    return item.name.strip() if item.is_url else str(Path(item.stored_path).resolve())


def _outcome_key(outcome):
    return str(Path(outcome.path).resolve()) if isinstance(outcome.path, Path) else outcome.path

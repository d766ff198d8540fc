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

from newsroom.desk.importing.importer import FAILED, FileOutcome, ImportSummary, SourceImporter
from newsroom.desk.importing.reading import format_size
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
    uploads deleted at the end. A run already done is left alone (a task sent twice)."""
    run = ImportRun.objects.filter(pk=run_id).select_related("requested_by").first()
    if run is None or run.status == ImportRun.Status.DONE:
        return run
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    pending = list(run.items.filter(outcome=""))
    by_name = {_item_key(item): item for item in pending}
    folder = run_folder(run)

    def report(outcome: FileOutcome):
        item = by_name.get(_outcome_key(outcome))
        if item is None:
            return
        item.outcome, item.message = outcome.status, outcome.message
        item.source_id, item.duplicate_of_id = outcome.source_id, outcome.duplicate_of
        item.save(update_fields=["outcome", "message", "source", "duplicate_of"])

    importer = SourceImporter(root=folder, user=run.requested_by)
    summary = ImportSummary()
    try:
        summary = importer.run(
            [item.stored_path for item in pending if not item.is_url],
            report=report,
            urls=[item.name for item in pending if item.is_url],
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        # Whatever stopped the import, no line is left waiting for ever.
        run.items.filter(outcome="").update(outcome=FAILED, message="the import stopped first")
        reported = {item.pk for item in pending if item.outcome}
        summary.outcomes += [
            FileOutcome(item.name, item.name, FAILED)
            for item in run.items.filter(outcome=FAILED).exclude(pk__in=reported)
        ]
        run.status, run.finished_at, run.summary = (
            ImportRun.Status.DONE,
            timezone.now(),
            summary.line(),
        )
        run.save(update_fields=["status", "finished_at", "summary"])
    return run


def _item_key(item):
    return item.name.strip() if item.is_url else str(Path(item.stored_path).resolve())


def _outcome_key(outcome):
    return str(Path(outcome.path).resolve()) if isinstance(outcome.path, Path) else outcome.path

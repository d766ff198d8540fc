from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ImportRunQuerySet(models.QuerySet):
    def abandoned(self) -> "ImportRunQuerySet":
        """Runs still marked running past their task's hard time limit (and a minute): no
        worker can still be at them (the limit kills it), but none said so, as when a whole
        worker was killed."""
        limit = settings.NEWSROOM_IMPORT_TASK_HARD_SECONDS + 60
        since = timezone.now() - timedelta(seconds=limit)
        # A run started before started_at was recorded goes by when it was made.
        started_long_ago = Q(started_at__lt=since) | Q(started_at=None, created_at__lt=since)
        return self.filter(started_long_ago, status=ImportRun.Status.RUNNING)


class ImportRun(models.Model):
    """One import started from the admin's Import sources page: the files and URLs an
    editor gave, run by a Celery task, with a line per item as the command reports it, so
    the page can show progress from whatever process runs the task. A run is started once
    only: a run whose worker stopped (killed, out of time or memory) is failed with the
    reason, never fetched again."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    summary = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    #: Why a failed run stopped, in words for the editor.
    failure_reason = models.CharField(max_length=300, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import {self.pk} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportItem(models.Model):
    """One file or URL of an import run, and its outcome once the import has reached it."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(max_length=2000, help_text="The file's name or the URL.")
    #: Where an uploaded file waits in the private upload folder; "" for a URL.
    stored_path = models.CharField(max_length=1000, blank=True)
    outcome = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    source = models.ForeignKey(
        "newsroom.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Another source at the URL the fetched page names as canonical: offered to the editor
    #: on the run's line, never merged.
    duplicate_of = models.ForeignKey(
        "newsroom.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def is_url(self) -> bool:
        return not self.stored_path

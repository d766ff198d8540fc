from django.db import models


class AuditRun(models.Model):
    """One run of `manage.py audit_evidence` (nightly, or by hand): what it found wrong
    with the promise that every claim rests on words its sources really wrote, and what it
    fixed. The admin's dashboard shows the latest."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    findings = models.JSONField(
        default=list, help_text="Each violation: rule, message and the admin link at fault."
    )
    fixed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Audit of {self.started_at:%Y-%m-%d %H:%M}: {len(self.findings)} findings"

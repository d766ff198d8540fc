from django.db import models


class SourceCapture(models.Model):
    """The copy of a web page a source was made from, byte for byte, as fetched: where a
    link later rots or its page changes, the evidence stays checkable. Each re-capture adds
    one, tied to the source revision its text became, and earlier ones are kept. Served to
    editors only, as a download, never rendered as a page of ours."""

    source = models.ForeignKey("newsroom.Source", on_delete=models.CASCADE, related_name="captures")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_url = models.URLField("requested URL", max_length=2000)
    final_url = models.URLField("final URL", max_length=2000, help_text="After redirects.")
    status = models.PositiveSmallIntegerField("HTTP status")
    content_type = models.CharField(max_length=200)
    content = models.BinaryField(help_text="The fetched bytes, exactly.")
    sha256 = models.CharField("SHA-256", max_length=64)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["-fetched_at", "-pk"]
        get_latest_by = "fetched_at"

    def __str__(self):
        return f"{self.final_url} captured {self.fetched_at:%Y-%m-%d %H:%M}"

    @classmethod
    def from_page(cls, source, page, revision=None) -> "SourceCapture":
        """A capture of `page` (a fetching.FetchedPage) for `source`."""
        return cls(
            source=source,
            revision=revision,
            requested_url=page.requested_url,
            final_url=page.final_url,
            status=page.status,
            content_type=page.content_type[:200],
            content=page.content,
            sha256=page.sha256,
            fetched_at=page.fetched_at,
        )

"""Pull quotes as live explainers show them, anchored in their sources like evidence."""

from django.db import models


class PullQuote(models.Model):
    """A pull quote on a live explainer, anchored at its place in the source's body: the
    source cannot be deleted under it, and a change to the source's text re-checks it. One
    row per pull quote block of the page's live content, kept by explainers.pull_quotes."""

    class AnchorStatus(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        LOST = "lost", "No longer found word for word"

    page = models.ForeignKey(
        "explainers.ExplainerPage", on_delete=models.CASCADE, related_name="pull_quotes"
    )
    block_id = models.CharField(max_length=64)
    source = models.ForeignKey(
        "newsroom.Source", on_delete=models.PROTECT, related_name="pull_quotes"
    )
    quote = models.TextField()
    start_offset = models.PositiveIntegerField(null=True, blank=True)
    end_offset = models.PositiveIntegerField(null=True, blank=True)
    anchor_status = models.CharField(
        max_length=10, choices=AnchorStatus.choices, default=AnchorStatus.ANCHORED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "block_id"], name="one_row_per_pull_quote")
        ]

    def __str__(self):
        return f"“{self.quote[:60]}”"

    @property
    def is_anchored(self):
        return self.anchor_status == self.AnchorStatus.ANCHORED and self.start_offset is not None

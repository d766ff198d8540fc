"""Corrections: what readers are told has changed on an explainer since it first went live."""

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.models import Page

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class CorrectionQuerySet(models.QuerySet):
    def public(self) -> Self:
        """Corrections anyone may read: those of live explainers outside private sections."""
        # Only explainers have corrections, so Page's live and public rules pick the same
        # rows; and the explainer's edit form writes corrections, so this module cannot
        # import the explainer model without a cycle.
        return self.filter(page__in=Page.objects.live().public().values("pk"))

    def record_prose(
        self, page: Page, note: str, user: "AbstractBaseUser | None" = None
    ) -> "Correction":
        """The editor's own note on what they corrected, published with the page."""
        return self.create(page=page, kind=Correction.Kind.PROSE, text=note.strip(), user=user)


class Correction(models.Model):
    """A dated note on a live explainer saying what readers were shown that has changed
    since it was first published: a claim's status, a claim withdrawn or reworded, or prose
    the editor corrected. Readers see them under "Corrections and updates", and on
    /corrections/. Written, never edited, by explainers.corrections (a claim's change),
    explainers.pull_quotes (a quote taken down) and the edit form (``record_prose``)."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status changed"
        WITHDRAWN = "withdrawn", "Claim withdrawn"
        REWORDED = "reworded", "Claim reworded"
        PROSE = "prose", "Prose corrected"
        QUOTE = "quote", "Pull quote taken down"

    page = models.ForeignKey(
        "explainers.ExplainerPage", on_delete=models.CASCADE, related_name="corrections"
    )
    claim = models.ForeignKey(
        "newsroom.Claim", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(help_text="What changed, as readers see it (without the date).")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d}: {self.text}"

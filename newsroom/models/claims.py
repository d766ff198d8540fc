from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin
from wagtail.search import index

from newsroom.anchoring import anchor_quote, closest_passage


class ClaimTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.Claim", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Claim(DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A short factual statement an explainer makes. Readers see its status and the
    quotes behind it; only a verifier can mark it verified, and only when the evidence holds."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"
        FALSE = "false", "False"
        NEEDS_RECHECK = "needs_recheck", "Needs re-check"

    statement = models.TextField(max_length=600)
    tags = ClusterTaggableManager(through=ClaimTag, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNVERIFIED, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="claims_written",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="claims_verified",
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    verification_note = models.TextField(blank=True, editable=False)
    single_source = models.BooleanField(
        default=False,
        editable=False,
        help_text="Verified on one outlet's word; readers see the verification note.",
    )

    panels = [
        FieldPanel("statement"),
        FieldPanel("tags"),
        InlinePanel("evidence", heading="Evidence", label="Quote"),
    ]

    search_fields = [
        index.SearchField("statement", boost=2),
        index.AutocompleteField("statement"),
        index.FilterField("status"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["-created_at"]
        permissions = [("verify_claim", "Can verify, dispute or mark claims false")]

    def __str__(self):
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"


class Evidence(Orderable):
    """An exact quote from a source, anchored at character offsets in its body, that
    supports, disputes or gives context to a claim."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        DISPUTES = "disputes", "Disputes"
        CONTEXT = "context", "Context"

    class AnchorStatus(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        MOVED = "moved", "Anchors elsewhere"
        LOST = "lost", "No longer found"

    claim = ParentalKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey("newsroom.Source", on_delete=models.PROTECT, related_name="evidence")
    quote = models.TextField(help_text="Word for word from the source.")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.SUPPORTS)
    note = models.TextField(blank=True)
    start_offset = models.PositiveIntegerField(null=True, blank=True, editable=False)
    end_offset = models.PositiveIntegerField(null=True, blank=True, editable=False)
    anchor_method = models.CharField(max_length=12, blank=True, editable=False)
    anchor_score = models.FloatField(null=True, blank=True, editable=False)
    anchor_status = models.CharField(
        max_length=10,
        choices=AnchorStatus.choices,
        default=AnchorStatus.ANCHORED,
        editable=False,
    )

    panels = [
        FieldPanel("source"),
        FieldPanel("quote"),
        FieldPanel("stance"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name_plural = "evidence"

    def __str__(self):
        return f"{self.get_stance_display()}: “{self.quote[:60]}”"

    def clean(self):
        super().clean()
        if not self.source_id or not self.quote:
            return
        anchor = anchor_quote(self.source.body, self.quote)
        if anchor is None:
            passage = closest_passage(self.source.body, self.quote)
            raise ValidationError(
                {
                    "quote": f"This quote is not in “{self.source.title}”. "
                    f"The closest passage is: “{passage}”"
                }
            )
        self.apply_anchor(anchor)

    def apply_anchor(self, anchor):
        self.start_offset, self.end_offset = anchor.start, anchor.end
        self.anchor_method, self.anchor_score = anchor.method, anchor.score
        self.anchor_status = self.AnchorStatus.ANCHORED

    @property
    def anchored_text(self):
        """The passage of the source's body the quote anchors to."""
        if self.start_offset is None:
            return ""
        return self.source.body[self.start_offset : self.end_offset]


class Verification(models.Model):
    """One verifier's decision on a claim: the claim's history of who decided what, when, why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verifications")
    status = models.CharField(max_length=20, choices=Claim.Status.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    single_source = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return (
            f"{self.get_status_display()} by {self.verified_by} at {self.created_at:%Y-%m-%d %H:%M}"
        )

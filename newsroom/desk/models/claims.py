import contextvars
import hashlib
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.html import format_html
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from newsroom.desk.anchoring import (
    Anchor,
    anchor_quote,
    closest_passage,
    quote_length_problem,
    refusal_message,
)
from newsroom.desk.signals import claim_saved
from newsroom.desk.text import statement_hash


@dataclass(frozen=True)
class Corroboration:
    """How many distinct sources and outlets hold a claim up or contradict it."""

    supporting_sources: int = 0
    supporting_outlets: int = 0
    disputing_sources: int = 0
    disputing_outlets: int = 0


class QuoteLocation(NamedTuple):
    """Where in its source a quote stands: in a recording, the transcript's label for the
    moment it is spoken ("01:42") and its seconds from the start, for a link to that moment;
    in a paged document, its page ("p. 3") and no seconds. Empty when the source has
    neither."""

    label: str = ""
    seconds: int | None = None

    @property
    def is_moment(self) -> bool:
        """Whether this is a moment in a recording (else a page, or nowhere)."""
        return self.seconds is not None


class ClaimQuerySet(models.QuerySet):
    """The desk's working queues, used by the dashboard panels and the list's filters."""

    def needs_recheck(self):
        return self.filter(status=Claim.Status.NEEDS_RECHECK)

    def awaiting_verification(self):
        cites = Evidence.objects.filter(claim=models.OuterRef("pk"))
        return self.filter(models.Exists(cites), status=Claim.Status.UNVERIFIED)

    def single_source(self):
        return self.filter(status=Claim.Status.VERIFIED, single_source=True)

    def disputed(self):
        return self.filter(status=Claim.Status.DISPUTED)


class ClaimTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.Claim", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Claim(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    """A short factual statement an explainer makes. Readers see its status and the
    quotes behind it; only a verifier can mark it verified, and only when the evidence holds.
    A change to the words or quotes of a decided claim goes through the Claim review
    workflow: readers keep the decided version until a verifier approves the change."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"
        FALSE = "false", "False"
        NEEDS_RECHECK = "needs_recheck", "Needs re-check"

    # The statuses a verifier's decision sets, which readers can rely on.
    DECIDED = (Status.VERIFIED, Status.DISPUTED, Status.FALSE)

    statement = models.TextField(max_length=600)
    # Exact duplicates share it (newsroom.desk.similar_claims); kept by save().
    statement_hash = models.CharField(max_length=64, editable=False, db_index=True, default="")
    tags = ClusterTaggableManager(through=ClaimTag, blank=True)
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.UNVERIFIED,
        editable=False,
        db_index=True,
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
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="merged_claims",
        help_text="The claim this duplicate was merged into; its API address redirects there.",
    )

    objects = ClaimQuerySet.as_manager()

    # The edit form (claim_forms.ClaimForm) is set on the admin's viewset: the form reads
    # these models, so they cannot import it.
    panels = [
        FieldPanel("statement"),
        FieldPanel("tags"),
        InlinePanel("evidence", heading="Evidence", label="Quote"),
        FieldPanel("correction_note"),
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

    # A decision belongs to the claim, not to one revision of it: restoring or publishing
    # a revision must never bring back an old status.
    DECISION_FIELDS = (
        "status",
        "verified_by",
        "verified_at",
        "verification_note",
        "single_source",
    )

    def __str__(self):
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    @property
    def verifier_note(self) -> str:
        """The note readers see as the verifier's words: only that of a verifier's standing
        ruling (verified, disputed, false, or left unverified with what they could not
        confirm). The desk's own notes (why a claim went back to unverified after a change,
        or needs a re-check) are not a verifier's, and are not shown as one."""
        ruling = self.is_decided or self.status == self.Status.UNVERIFIED
        return self.verification_note if ruling and self.verified_by_id else ""

    def with_content_json(self, content):
        claim = super().with_content_json(content)
        for name in (*self.DECISION_FIELDS, "created_by", "merged_into_id"):
            setattr(claim, name, getattr(self, name))
        return claim

    def save(self, *args, **kwargs):
        full = kwargs.get("update_fields") is None
        self.statement_hash = statement_hash(self.statement)
        if not full and "statement" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "statement_hash"}
        previous = None
        if full and self.pk:
            previous = Claim.objects.filter(pk=self.pk).values_list("statement", flat=True).first()
        super().save(*args, **kwargs)
        if full:
            # Only a full save changes what the claim says or cites.
            claim_saved.send(sender=Claim, claim=self, previous_statement=previous)

    def corroboration(self):
        """Distinct sources and outlets whose anchored quotes support or dispute the claim.
        Reads self.evidence.all(), so a prefetch of evidence with its source costs nothing."""
        found = {
            stance: (set(), set())
            for stance in (Evidence.Stance.SUPPORTS, Evidence.Stance.DISPUTES)
        }
        for evidence in self.evidence.all():
            if evidence.stance not in found or not evidence.is_anchored:
                continue
            sources, outlets = found[evidence.stance]
            sources.add(evidence.source_id)
            if evidence.source.outlet_id:
                outlets.add(evidence.source.outlet_id)
        supporting, disputing = found[Evidence.Stance.SUPPORTS], found[Evidence.Stance.DISPUTES]
        return Corroboration(
            supporting_sources=len(supporting[0]),
            supporting_outlets=len(supporting[1]),
            disputing_sources=len(disputing[0]),
            disputing_outlets=len(disputing[1]),
        )

    def evidence_fingerprint(self):
        """What a decision rests on, and readers see with it: the statement and each quote's
        (source, quote, stance, note)."""
        return {
            "statement": self.statement.strip(),
            "evidence": sorted(
                [evidence.source_id, evidence.quote.strip(), evidence.stance, evidence.note.strip()]
                for evidence in self.evidence.all()
            ),
        }


class Evidence(Orderable):
    """An exact quote from a source, anchored at character offsets in its body, that
    supports, disputes or gives context to a claim."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        DISPUTES = "disputes", "Disputes"
        CONTEXT = "context", "Context"

    class AnchorStatus(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        LOST = "lost", "No longer found word for word"

    claim = ParentalKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey("newsroom.Source", on_delete=models.PROTECT, related_name="evidence")
    quote = models.TextField(help_text="Word for word from the source.")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.SUPPORTS)
    note = models.TextField(blank=True, help_text="Shown to readers beside the quote.")
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

    # What anchoring sets, so rows anchored again can be saved in bulk.
    ANCHOR_FIELDS = ("start_offset", "end_offset", "anchor_method", "anchor_score", "anchor_status")

    class Meta(Orderable.Meta):
        verbose_name_plural = "evidence"

    def __str__(self):
        return f"{self.get_stance_display()}: “{self.quote[:60]}”"

    def clean(self):
        super().clean()
        too_long = quote_length_problem(self.quote)
        if too_long:
            raise ValidationError({"quote": too_long})
        if not self.source_id or not self.quote:
            return
        anchor = anchor_quote(self.source.body, self.quote)
        if anchor is None:
            raise ValidationError({"quote": refusal_message(self.source, self.quote)})
        self.apply_anchor(anchor)

    def apply_anchor(self, anchor: Anchor) -> None:
        self.start_offset, self.end_offset = anchor.start, anchor.end
        self.anchor_method, self.anchor_score = anchor.method, anchor.score
        self.anchor_status = self.AnchorStatus.ANCHORED

    def lose_anchor(self) -> None:
        self.start_offset = self.end_offset = None
        self.anchor_method, self.anchor_score = "", None
        self.anchor_status = self.AnchorStatus.LOST

    def reanchor(self, body: str) -> bool:
        """Anchor the quote again in `body`, its source's text as it is now: at the words'
        new place if it still has them word for word, else lost, however close a passage it
        has. Returns whether the quote still anchors; nothing is saved."""
        anchor = anchor_quote(body, self.quote)
        if anchor is None:
            self.lose_anchor()
            return False
        self.apply_anchor(anchor)
        return True

    def anchor_state(self) -> tuple:
        """What anchoring sets, to tell whether anchoring again changed it."""
        return tuple(getattr(self, name) for name in self.ANCHOR_FIELDS)

    @property
    def is_anchored(self):
        return self.anchor_status == self.AnchorStatus.ANCHORED and self.start_offset is not None

    def in_context(self, margin=240):
        """The quote marked in its surrounding text, escaped (the source text is untrusted),
        widened to whole words and marked with ellipses where the body goes on."""
        if not self.is_anchored:
            return ""
        body = self.source.body
        start = max(0, self.start_offset - margin)
        end = min(len(body), self.end_offset + margin)
        while start > 0 and not body[start - 1].isspace():
            start -= 1
        while end < len(body) and not body[end].isspace():
            end += 1
        return format_html(
            "{}{}<mark>{}</mark>{}{}",
            "… " if start > 0 else "",
            body[start : self.start_offset].lstrip(),
            body[self.start_offset : self.end_offset],
            body[self.end_offset : end].rstrip(),
            " …" if end < len(body) else "",
        )

    @property
    def location(self) -> QuoteLocation:
        """Where the quote stands in its source: the segment (a transcript's timed line, a
        document's page) that is the last to start at or before its first word. A quote
        running on into the next segment is cited where it begins, and one from a line with
        no time of its own at the time given last before it, so a link to the moment never
        starts after the words. Empty for a quote not anchored, or a source with no
        segments. The admin and the reader's page both cite this."""
        if not self.is_anchored:
            return QuoteLocation()
        begun = [
            segment
            for segment in self.source.segments or []
            if segment.get("start_offset") is not None
            and segment["start_offset"] <= self.start_offset
        ]
        if not begun:
            return QuoteLocation()
        segment = max(begun, key=lambda segment: segment["start_offset"])
        seconds = segment.get("start")
        return QuoteLocation(segment.get("label", ""), None if seconds is None else int(seconds))

    @property
    def transcript_moment(self) -> QuoteLocation:
        """The quote's location when it is a moment in a recording ("01:42", 102), else
        empty."""
        location = self.location
        return location if location.is_moment else QuoteLocation()

    @property
    def timestamp(self) -> str:
        """The label of the quote's transcript moment ("01:42"), or ""."""
        return self.transcript_moment.label

    @property
    def nearest_passage(self):
        """For a quote no longer found word for word, the source's passage most like it: a
        hint for the editor fixing the quote, never evidence. Sought once per text of the
        source and the quote, then read from the cache."""
        if self.is_anchored or quote_length_problem(self.quote):
            return ""
        body = self.source.body
        digest = hashlib.sha256(body.encode() + b"\0" + self.quote.encode()).hexdigest()
        key = f"newsroom:closest-passage:{digest}"
        passage = cache.get(key)
        if passage is None:
            passage = closest_passage(body, self.quote)
            cache.set(key, passage, 60 * 60 * 24)
        return passage

    @property
    def anchored_text(self):
        """The passage of the source's body the quote anchors to."""
        if self.start_offset is None:
            return ""
        return self.source.body[self.start_offset : self.end_offset]


_approving = contextvars.ContextVar("claim_change_approver", default=None)


def approver_of_change(claim_id: int):
    """The verifier whose approval in Claim review is publishing this claim's change right
    now, or None: the one publication that records a decision instead of reopening it."""
    approving = _approving.get()
    if approving is None or approving[0] != str(claim_id):
        return None
    return approving[1]


class ClaimReviewTask(AbstractGroupApprovalTask):
    """Wagtail's group approval for a change to a claim. Approving publishes the change, and
    for a decided claim records the verifier's decision on the new words, under the same
    rules as a decision (newsroom.desk.verification): a refusal undoes the approval whole."""

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        token = _approving.set((str(task_state.workflow_state.object_id), user))
        try:
            with transaction.atomic():
                return super().on_action(task_state, user, action_name, **kwargs)
        finally:
            _approving.reset(token)

    @classmethod
    def get_description(cls):
        return "Verifiers approve a change to a claim; for a decided claim, that is its decision."

    class Meta:
        verbose_name = "Claim review task"


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
    fingerprint = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the decision rested on; a change to it reopens the claim.",
    )
    merge = models.BooleanField(
        default=False,
        help_text="A record of a merge of two claims, not a decision: the status is unchanged.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return (
            f"{self.get_status_display()} by {self.verified_by} at {self.created_at:%Y-%m-%d %H:%M}"
        )

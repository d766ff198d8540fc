"""Related stories: what the widget under each explainer shows, and why.

The ranking lives in the ``explainers.related`` package; these tables hold its inputs (the
feature index), its results (one row per story shown) and its bookkeeping (whether a widget
is stale).
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, PageChooserPanel, Panel
from wagtail.models import Orderable

from newsroom.desk.text import counted


class RelatedStory(models.Model):
    """One story in an explainer's related-stories widget, with its score split into the
    parts an editor reads to see why it is there. The related page's title, URL and
    standfirst are copied in, so the widget renders in one query however many it shows."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="related_stories"
    )
    related_page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="related_to"
    )
    rank = models.PositiveSmallIntegerField()
    pinned = models.BooleanField(default=False, help_text="Chosen by an editor, shown first.")
    score = models.FloatField(default=0)
    claims_score = models.FloatField("shared claims", default=0)
    sources_score = models.FloatField("shared sources and outlets", default=0)
    tags_score = models.FloatField("shared tags", default=0)
    text_score = models.FloatField("similar wording", default=0)
    shared_claims = models.PositiveSmallIntegerField(default=0)
    shared_sources = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=1000)
    standfirst = models.TextField(blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["page", "rank"]
        verbose_name_plural = "related stories"
        constraints = [
            models.UniqueConstraint(fields=["page", "related_page"], name="unique_related_story"),
        ]

    def __str__(self):
        return f"{self.title} (#{self.rank})"

    @property
    def reasons(self):
        """Why the story is related, in words, strongest first."""
        # An outlet in common adds to the sources part without being a shared source.
        sources = (
            counted(self.shared_sources, "shared source") if self.shared_sources else "same outlets"
        )
        parts = [
            (self.claims_score, counted(self.shared_claims, "shared claim")),
            (self.sources_score, sources),
            (self.tags_score, "shared tags"),
            (self.text_score, "similar wording"),
        ]
        reasons = [label for value, label in sorted(parts, key=lambda p: -p[0]) if value > 0]
        return (["pinned by an editor"] if self.pinned else []) + reasons


class RelatedFeature(models.Model):
    """The inverted index: one row per (published explainer, feature) it has, so the pages
    sharing a claim, source, outlet, tag or significant term are one indexed lookup away
    and ranking never compares all pairs. Only live, public explainers are indexed."""

    class Kind(models.TextChoices):
        CLAIM = "c", "Claim"
        SOURCE = "s", "Source"
        OUTLET = "o", "Outlet"
        TAG = "t", "Tag"
        TERM = "w", "Term"

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120, help_text="Kind and value, e.g. c:42 or t:russia.")
    weight = models.FloatField(default=1.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "page"], name="unique_related_feature"),
        ]
        # The foreign key's own index serves lookups by page; (key, page) serves postings.

    def __str__(self):
        return f"{self.page_id} {self.key}"

    @property
    def kind(self):
        return self.key.split(":", 1)[0]


class RelatedState(models.Model):
    """Whether an explainer's widget is stale. The change that makes it stale writes this
    marker in the same transaction, so a lost task or a broker that is down delays the
    update but never loses it: the beat sweeper recomputes whatever is still stale.
    ``generation`` counts the marks, so a task finishing after a newer change leaves the
    marker set."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    stale = models.BooleanField(default=True, db_index=True)
    stale_since = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveBigIntegerField(default=0)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a regeneration was last sent to the broker."
    )
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "related-stories state"

    def __str__(self):
        return f"{self.page_id}: {'stale' if self.stale else 'current'}"


class RelatedStoryChoice(Orderable):
    """An editor's say over an explainer's related stories: pin a story to the top of the
    widget, or exclude one it must never show. Saved with the page's revisions, so a choice
    takes effect when the page is published."""

    class Choice(models.TextChoices):
        PIN = "pin", "Pin to the top"
        EXCLUDE = "exclude", "Never show"

    page = ParentalKey(
        "explainers.ExplainerPage", on_delete=models.CASCADE, related_name="related_choices"
    )
    story = models.ForeignKey(
        "explainers.ExplainerPage", on_delete=models.CASCADE, related_name="+"
    )
    choice = models.CharField(max_length=8, choices=Choice.choices, default=Choice.PIN)

    panels = [
        PageChooserPanel("story", "explainers.ExplainerPage"),
        FieldPanel("choice"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "related story choice"

    def __str__(self):
        return f"{self.get_choice_display()}: {self.story_id}"


class RelatedStoriesPanel(Panel):
    """The editor's view of the widget as readers see it now: each story with its score,
    split into the parts that say why it is related, and whether it is waiting to be
    recomputed."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "explainers/admin/related_stories_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page_id = self.instance.pk
            context["stories"] = (
                list(RelatedStory.objects.filter(page_id=page_id).order_by("rank"))
                if page_id
                else []
            )
            context["state"] = (
                RelatedState.objects.filter(page_id=page_id).first() if page_id else None
            )
            return context

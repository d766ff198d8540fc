import hashlib
from urllib.parse import urlsplit

from django.db import models
from django.db.models.functions import Lower
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index


class SourceTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.Source", on_delete=models.CASCADE, related_name="tagged_items"
    )


def url_variants(url: str) -> set[str]:
    """The spellings of `url`, lowercased, that one page may go by: either scheme, with or
    without "www.", with or without a trailing slash, with or without its query, never its
    fragment. For finding a possible duplicate only: never to decide what a page is."""
    try:
        parts = urlsplit(url.strip().lower())
    except ValueError:
        return set()
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return set()
    host = parts.netloc.split("@")[-1].removeprefix("www.")
    path = parts.path.rstrip("/")
    queries = {"", f"?{parts.query}"} if parts.query else {""}
    return {
        f"{scheme}://{www}{host}{path}{slash}{query}"
        for scheme in ("http", "https")
        for www in ("", "www.")
        for slash in ("", "/")
        for query in queries
    }


class SourceQuerySet(models.QuerySet):
    def named_by(self, url: str) -> "SourceQuerySet":
        """The sources whose URL is `url` however spelt (url_variants): those a page naming
        `url` as its canonical URL may duplicate."""
        variants = url_variants(url)
        if not variants:
            return self.none()
        return self.annotate(url_key=Lower("url")).filter(url_key__in=variants)


class Source(RevisionMixin, index.Indexed, ClusterableModel):
    """A text we quote from: an article, a transcript, a statement. Its text changes only
    by re-import, and each version is kept as a revision, so evidence stays checkable
    against the words it quoted."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        TRANSCRIPT = "transcript", "Video transcript"
        STATEMENT = "statement", "Official statement"
        WIRE = "wire", "Wire copy"
        OTHER = "other", "Other"

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(
        "newsroom.Outlet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources",
    )
    url = models.URLField("URL", max_length=1000, unique=True, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    language = models.CharField(max_length=16, blank=True, help_text="ISO 639-1 code, e.g. en")
    published_on = models.DateField("publication date", null=True, blank=True)
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, blank=True, default=""
    )
    original_text = models.TextField(
        "original text", blank=True, help_text="The text exactly as imported."
    )
    body = models.TextField(blank=True, help_text="The article or transcript alone, as prose.")
    segments = models.JSONField(
        default=list,
        blank=True,
        help_text="A transcript's timed segments: start (seconds) and offsets into the body.",
    )
    set_aside = models.JSONField(
        default=list,
        blank=True,
        help_text="Lines the importer kept out of the body, each with its reason.",
    )
    restored_lines = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Set-aside lines an editor put back (line and text): a re-import keeps "
        "them in the body while the file still has them.",
    )
    content_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    seed_file = models.CharField(max_length=500, unique=True, null=True, blank=True, editable=False)
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    author = models.CharField(max_length=300, blank=True, help_text="As the page names them.")
    #: When the web page its text came from was fetched (its latest SourceCapture); None
    #: for a source from a file or a paste.
    captured_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: The URL the fetched page names as its own (<link rel="canonical">), as it names it.
    #: The page's word only: recorded, and offered as a possible duplicate when another
    #: source holds it, but never what decides which source the page is (that is its URL).
    canonical_url = models.URLField(
        "canonical URL", max_length=2000, blank=True, default="", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    tags = ClusterTaggableManager(through=SourceTag, blank=True)

    objects = SourceQuerySet.as_manager()

    # The edit form (forms.SourceForm) is set on the admin's viewset: the form saves through
    # the write path, which reads these models, so they cannot import it.
    #: Where the source comes from: in the edit form, and in the admin's paste-and-import
    #: form, where they win over what the importer infers.
    provenance_panels = [
        FieldPanel("outlet"),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
        FieldRowPanel([FieldPanel("published_on"), FieldPanel("date_precision")]),
    ]
    panels = [
        FieldPanel("title"),
        MultiFieldPanel(provenance_panels, heading="Provenance"),
        FieldPanel("tags"),
        # Only offered when a source is created by hand; afterwards text changes by re-import.
        FieldPanel("original_text"),
    ]

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("outlet_id"),
        index.FilterField("published_on"),
        index.FilterField("language"),
        index.RelatedFields("outlet", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            models.Index(fields=["kind", "published_on"]),
            # Possible duplicates are looked up by URL however spelt (SourceQuerySet.named_by).
            models.Index(Lower("url"), name="source_url_lower"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # An empty URL is "no URL", so several sources without one don't collide.
        self.url = self.url or None
        if not self.content_hash and self.original_text:
            self.content_hash = self.hash_text(self.original_text)
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        # A revision may name an outlet merged away since: the source keeps its outlet now
        # (where the merge moved it), so an old revision can still be read and reverted to.
        outlet = content.get("outlet")
        if outlet and not type(self).outlet.field.related_model.objects.filter(pk=outlet).exists():
            content = {**content, "outlet": self.outlet_id}
        return super().with_content_json(content)

    @property
    def possible_duplicate(self) -> "Source | None":
        """Another source at the URL this source's page names as canonical: perhaps the same
        text under a second address, for an editor to judge (nothing is merged)."""
        if not self.canonical_url:
            return None
        return Source.objects.named_by(self.canonical_url).exclude(pk=self.pk).first()

    @staticmethod
    def hash_text(text):
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def outlet_name(self):
        return self.outlet.name if self.outlet_id else ""

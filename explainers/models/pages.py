import logging

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from explainers.blocks import ExplainerBodyBlock, iter_cited_claims
from explainers.forms import ExplainerPageForm
from explainers.guard import PublishRefused, check_publishable
from explainers.models.related import RelatedStoriesPanel

logger = logging.getLogger(__name__)


class HomePage(Page):
    """The site's front page: what Newsroom is and where its explainers live."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["explainers"] = (
            ExplainerPage.objects.live().public().order_by("-first_published_at")[:10]
        )
        return context


class ExplainerIndexPage(RoutablePageMixin, Page):
    """The explainers section: every published explainer, newest first, and a page per tag.
    The "Desk review" workflow is assigned here, so every explainer goes through it."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["explainers.HomePage"]
    subpage_types = ["explainers.ExplainerPage"]
    max_count = 1
    per_page = 20

    def explainers(self):
        return (
            ExplainerPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-first_published_at", "-pk")
            .prefetch_related("tags")
        )

    def listing_context(self, request, explainers, **extra):
        paginator = Paginator(explainers, self.per_page)
        listing = paginator.get_page(request.GET.get("page"))
        context = self.get_context(request)
        context.update(explainers=listing, **extra)
        return context

    @path("")
    def index(self, request):
        context = self.listing_context(request, self.explainers())
        return self.render(request, context_overrides=context)

    @path("tag/<slug:tag>/", name="tag")
    def tag(self, request, tag):
        tag = get_object_or_404(Tag, slug=tag)
        context = self.listing_context(request, self.explainers().filter(tags=tag), tag=tag)
        return self.render(
            request,
            context_overrides=context,
            template="explainers/explainer_tag_page.html",
        )

    def tag_url(self, tag):
        return self.url + self.reverse_subpage("tag", kwargs={"tag": tag.slug})


class ExplainerPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "explainers.ExplainerPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ExplainerPage(Page):
    """An evidence-backed explainer: prose and claims, each claim showing its status and
    the quotes behind it. It cannot be published while it cites a claim that is not
    verified, unless that citation is marked to show it as not verified."""

    standfirst = models.TextField(
        max_length=400, help_text="One or two sentences under the headline: what this explains."
    )
    tags = ClusterTaggableManager(through=ExplainerPageTag, blank=True)
    body = StreamField(ExplainerBodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        FieldPanel("tags"),
        FieldPanel("body"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [
                RelatedStoriesPanel(),
                InlinePanel("related_choices", label="Pinned or excluded story"),
            ],
            heading="Related stories",
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst", boost=2),
        index.SearchField("body"),
        index.SearchField("cited_statements"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
    ]

    parent_page_types = ["explainers.ExplainerIndexPage"]
    subpage_types = []
    base_form_class = ExplainerPageForm
    template = "explainers/explainer_page.html"

    class Meta:
        verbose_name = "explainer"

    def cited_claim_ids(self):
        """Ids of the claims the body cites, in order of first citation (no query)."""
        return list(dict.fromkeys(pk for pk, _ in iter_cited_claims(self.body.raw_data)))

    def cited_claims(self):
        """The claims the body cites, as a queryset."""
        from newsroom.models import Claim

        return Claim.objects.filter(pk__in=self.cited_claim_ids())

    def cited_statements(self):
        return "\n".join(self.cited_claims().values_list("statement", flat=True))

    def publish(self, revision, user=None, **kwargs):
        """Every way of going live passes the publish guard. Scheduled publishing (no user)
        is refused quietly, with the schedule cleared and a warning logged, so one bad
        explainer does not stop the others."""
        try:
            check_publishable(revision.as_object())
        except PublishRefused as refusal:
            if user is not None:
                raise
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            logger.warning("Scheduled publishing of %r refused: %s", self.title, refusal)
            return None
        return super().publish(revision, user=user, **kwargs)

    @cached_property
    def tag_list(self):
        """The page's tags, fetched once per render."""
        return list(self.tags.all())

    @cached_property
    def digest(self):
        from explainers.evidence import ExplainerDigest

        return ExplainerDigest(self.body.raw_data)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["digest"] = self.digest
        context["claim_anchors"] = set()
        # A preview shows unsaved content: never cache it, never serve it from cache.
        is_preview = getattr(request, "is_preview", False)
        context["cache_key"] = None if is_preview else self.cache_key()
        context["index_page"] = self.get_parent().specific
        return context

    def cache_key(self):
        """Changes with a new revision, any cited claim's status, decision or evidence, and
        any cited source's re-import."""
        return f"{self.pk}:{self.latest_revision_id}:{self.digest.fingerprint()}"

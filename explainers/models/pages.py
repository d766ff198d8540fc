import logging

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.search import index

from explainers.blocks import ExplainerBodyBlock
from explainers.citations import iter_cited_claims
from explainers.evidence import ExplainerDigest
from explainers.forms import ExplainerPageForm
from explainers.guard import PublishRefused, check_publishable, unverified_citations
from explainers.models.related_stories import RelatedFeature, RelatedStoriesPanel
from explainers.page_cache.keys import (
    INDEX,
    add_keys,
    claim_key,
    page_key,
    source_key,
    tag_key,
)
from explainers.serializers import CitedClaimsField, TagNamesField
from newsroom.desk.models import Claim

logger = logging.getLogger(__name__)

# The audit log action written when the guard refuses a scheduled go-live.
PUBLISH_REFUSED = "explainers.publish_refused"


class HomePage(Page):
    """The site's front page: what Newsroom is and where its explainers live."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        add_keys(request, [INDEX])
        context["explainers"] = ExplainerPage.mark_last_verified(
            list(ExplainerPage.objects.live().public().order_by("-first_published_at")[:10])
        )
        return context


class ExplainerIndexPage(RoutablePageMixin, Page):
    """The explainers section: every published explainer, newest first, and a page per tag.
    The "Desk review" workflow is assigned here, so every explainer goes through it."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

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
        # Imported here: explainers.query_params needs Wagtail's API, which needs the models.
        from explainers.page_cache.query import listing_page

        listing = listing_page(request, Paginator(explainers, self.per_page))
        # A page leaving the listing (a tag removed) purges it through its own key.
        add_keys(request, [page_key(explainer.pk) for explainer in listing])
        context = self.get_context(request)
        context.update(explainers=listing, **extra)
        return context

    @path("")
    def index(self, request):
        add_keys(request, [INDEX])
        context = self.listing_context(request, self.explainers())
        return self.render(request, context_overrides=context)

    # Taggit's slugs are Unicode ("élysée", "україна"): \w is Unicode in Python.
    @re_path(r"^tag/(?P<tag>[-\w]+)/$", name="tag")
    def tag(self, request, tag):
        # Only a tag readers can see on a live, public explainer has a page: a tag used
        # only on sources, claims, drafts or private pages is not told apart from none.
        explainers = self.explainers()
        seen = ExplainerPageTag.objects.filter(content_object__in=explainers).values("tag")
        tag = get_object_or_404(Tag, slug=tag, pk__in=seen)
        add_keys(request, [tag_key(tag.slug)])
        context = self.listing_context(request, explainers.filter(tags=tag), tag=tag)
        return self.render(
            request,
            context_overrides=context,
            template="explainers/explainer_tag_page.html",
        )

    def tag_url(self, tag: Tag) -> str:
        """The page for `tag`, or "" for a tag whose slug came out empty (all punctuation):
        such a tag is shown without a link."""
        if not tag.slug:
            return ""
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
        # Not a model field: the form turns it into a Correction when it publishes.
        FieldPanel("correction_note"),
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

    # What the read API offers a reader's app: the prose, and each cited claim's statement
    # and status (with where the claims endpoint has a verified claim's evidence).
    api_fields = [
        APIField("standfirst"),
        APIField("tags", serializer=TagNamesField()),
        APIField("last_published_at"),
        APIField("body"),
        APIField("cited_claims", serializer=CitedClaimsField()),
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
        return Claim.objects.filter(pk__in=self.cited_claim_ids())

    @classmethod
    def mark_last_verified(cls, pages):
        """Give each page `last_verified`: when a live claim it cites, and shows as
        verified, was last verified (as its digest says), or None. One query for them all."""
        cited = {page.pk: page.cited_claim_ids() for page in pages}
        verified = dict(
            Claim.objects.filter(
                pk__in={pk for ids in cited.values() for pk in ids},
                live=True,
                status=Claim.Status.VERIFIED,
                verified_at__isnull=False,
            ).values_list("pk", "verified_at")
        )
        for page in pages:
            page.last_verified = max(
                (verified[pk] for pk in cited[page.pk] if pk in verified), default=None
            )
        return pages

    @classmethod
    def live_citing_pages(cls, claim_ids):
        """{claim id: [ids of the live explainers citing it]}, public or private, each judged
        on its live content. Public ones come from the related-stories index (one indexed
        query: it holds a ``c:<claim id>`` feature per live, public explainer, kept in step in
        the publishing transaction); the few private ones are read."""
        wanted = {f"{RelatedFeature.Kind.CLAIM}:{pk}": pk for pk in claim_ids}
        claim_ids = set(wanted.values())
        citing = {}
        public = RelatedFeature.objects.filter(key__in=list(wanted)).values_list("key", "page_id")
        for key, page_id in public:
            citing.setdefault(wanted[key], set()).add(page_id)
        for page in cls.objects.live().not_public().only("pk", "body"):
            for pk in claim_ids.intersection(page.cited_claim_ids()):
                citing.setdefault(pk, set()).add(page.pk)
        return {claim_id: sorted(pages) for claim_id, pages in citing.items()}

    @classmethod
    def live_citing(cls, claim_ids):
        """{claim id: [titles of the live explainers citing it]}: see live_citing_pages."""
        citing = cls.live_citing_pages(claim_ids)
        titles = dict(
            cls.objects.filter(pk__in={pk for pages in citing.values() for pk in pages})
            .order_by("title", "pk")
            .values_list("pk", "title")
        )
        return {
            claim_id: sorted(titles[pk] for pk in pages if pk in titles)
            for claim_id, pages in citing.items()
        }

    def cited_statements(self):
        """What site search finds the page by besides its own text: the statements readers
        see, those of its live claims as published (a claim's row holds its live version).
        Re-indexed when a cited claim is published or withdrawn (explainers.search_index)."""
        cited = self.cited_claims().filter(live=True)
        return "\n".join(cited.values_list("statement", flat=True))

    def publish(self, revision, user=None, **kwargs):
        """Every way of going live passes the publish guard. Scheduled publishing (no user)
        is refused quietly, so one bad explainer does not stop the others: the schedule is
        cleared, and the page's history says why (an audit log entry naming the claims)."""
        try:
            check_publishable(revision.as_object())
        except PublishRefused as refusal:
            if user is not None:
                raise
            self.refuse_scheduled_publishing(revision, refusal)
            return None
        return super().publish(revision, user=user, **kwargs)

    def refuse_scheduled_publishing(self, revision, refusal):
        revision.approved_go_live_at = None
        revision.save(update_fields=["approved_go_live_at"])
        log(
            instance=self,
            action=PUBLISH_REFUSED,
            revision=revision,
            data={
                "claims": [
                    {"id": claim.pk, "statement": claim.statement} for claim in refusal.claims
                ],
                "reason": str(refusal),
            },
        )
        logger.warning("Scheduled publishing of %r refused: %s", self.title, refusal)

    def publish_refusals(self):
        """The claims that keep this page's live content from being published again, e.g.
        as a published copy (none when it may go live)."""
        return unverified_citations(self.body.raw_data)

    def copy(self, *args, keep_live=True, **kwargs):
        """A copy is published with the original only if the guard allows it; otherwise it is
        made as a draft. (The admin's copy view refuses instead, naming the claims: see
        explainers.wagtail_hooks.)"""
        if keep_live and self.live and self.publish_refusals():
            keep_live = False
        return super().copy(*args, keep_live=keep_live, **kwargs)

    @cached_property
    def tag_list(self):
        """The page's tags, fetched once per render."""
        return list(self.tags.all())

    @cached_property
    def correction_list(self):
        """The page's corrections, newest first, fetched once per render (none for a page
        not yet saved, e.g. previewed from the create form)."""
        return list(self.corrections.all()) if self.pk else []

    def last_modified_at(self):
        """When what readers see last changed: the last publication or the newest correction,
        whichever is later."""
        published = self.last_published_at or self.latest_revision_created_at
        corrected = self.correction_list[0].created_at if self.correction_list else None
        return max(filter(None, (published, corrected)), default=None)

    def get_sitemap_urls(self, request=None):
        return [
            {**url, "lastmod": self.last_modified_at()} for url in super().get_sitemap_urls(request)
        ]

    @cached_property
    def digest(self):
        return ExplainerDigest(self.body.raw_data)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["digest"] = self.digest
        context["claim_anchors"] = set()
        # A preview shows unsaved content: never cache it, never serve it from cache.
        is_preview = getattr(request, "is_preview", False)
        context["cache_key"] = None if is_preview else self.cache_key()
        add_keys(request, self.surrogate_keys())
        context["index_page"] = self.get_parent().specific
        return context

    def surrogate_keys(self):
        """What a reader's copy of this page shows besides itself: the claims it cites and
        the sources it pull-quotes (a claim's sources are purged through the claim), without
        a query."""
        return [
            *(claim_key(pk) for pk in self.digest.claim_ids),
            *(source_key(pk) for pk in self.digest.pull_quote_source_ids),
        ]

    def cache_key(self):
        """Changes with what is live (the live revision, by whatever path it was published),
        any cited claim's status, decision or evidence, any cited source's change, and any
        correction added (one query, whose rows the render then reuses)."""
        published = self.last_published_at.timestamp() if self.last_published_at else 0
        corrections = self.correction_list
        newest = max((correction.pk for correction in corrections), default=0)
        return (
            f"{self.pk}:{self.live_revision_id}:{published}:{self.digest.fingerprint()}"
            f":{len(corrections)}.{newest}"
        )

"""RSS and Atom feeds of published explainers, and an RSS feed of their corrections, newest
first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from explainers.models import Correction, ExplainerIndexPage, ExplainerPage

FEED_LENGTH = 30


class ExplainersFeed(Feed):
    title = f"{settings.WAGTAIL_SITE_NAME}: explainers"
    description = (
        "Evidence-backed explainers: every claim with its status and the quotes behind it."
    )

    def link(self):
        index_page = ExplainerIndexPage.objects.live().first()
        return index_page.url if index_page else "/"

    def items(self):
        return (
            ExplainerPage.objects.live()
            .public()
            .order_by("-first_published_at", "-pk")
            .prefetch_related("tags")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_guid(self, item):
        return f"explainer-{item.pk}"

    item_guid_is_permalink = False


class ExplainersAtomFeed(ExplainersFeed):
    feed_type = Atom1Feed
    subtitle = ExplainersFeed.description


class CorrectionsFeed(Feed):
    """What /corrections/ lists: every correction on a live, public explainer."""

    title = f"{settings.WAGTAIL_SITE_NAME}: corrections and updates"
    description = "Every correction and update to our published explainers, newest first."

    def link(self):
        return reverse("corrections")

    def items(self):
        return Correction.objects.public().select_related("page").defer("page__body")[:FEED_LENGTH]

    def item_title(self, item):
        return f"Correction: {item.page.title}"

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return f"{item.page.url}#corrections"

    def item_pubdate(self, item):
        return item.created_at

    def item_guid(self, item):
        return f"correction-{item.pk}"

    item_guid_is_permalink = False

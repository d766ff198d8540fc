"""What keeps related-stories widgets current: each change that can alter a widget refreshes
the index and marks the affected widgets stale in its own transaction (see related.py)."""

from django.db.models.signals import post_delete, post_init, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from explainers import related
from explainers.models import ExplainerPage, RelatedFeature
from newsroom.models import Claim, Source


@receiver(page_published, sender=ExplainerPage)
@receiver(page_unpublished, sender=ExplainerPage)
def explainer_published_or_unpublished(sender, instance, **kwargs):
    related.refresh_pages({instance.pk})


@receiver(post_page_move)
def section_moved(sender, instance, **kwargs):
    # A move changes URLs below the page, and may put them inside a private section.
    related.refresh_pages(related.explainers_within(instance))


@receiver(pre_delete, sender=Page)
@receiver(pre_delete, sender=ExplainerPage)
def explainer_deleted(sender, instance, **kwargs):
    # Before the rows go: which widgets show this page? Its own rows cascade with it.
    showing = related.pages_showing({instance.pk}) - {instance.pk}
    related.mark_stale(showing)
    related.schedule_regeneration(showing)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    related.refresh_pages(related.explainers_within(instance.page))


# What must change on a cited claim or source before a widget citing it can differ: the
# field to watch, and what kind of feature it is cited as.
WATCHED_FIELDS = {
    Claim: ("status", RelatedFeature.Kind.CLAIM),
    Source: ("content_hash", RelatedFeature.Kind.SOURCE),
}


@receiver(post_init, sender=Claim)
@receiver(post_init, sender=Source)
def remember_watched_field(sender, instance, **kwargs):
    field, _kind = WATCHED_FIELDS[sender]
    # __dict__, so that a deferred field is not loaded just to be remembered.
    instance._related_seen = instance.__dict__.get(field)


@receiver(post_save, sender=Claim)
@receiver(post_save, sender=Source)
def watched_field_changed(sender, instance, created, **kwargs):
    field, kind = WATCHED_FIELDS[sender]
    previous, instance._related_seen = instance._related_seen, getattr(instance, field)
    if created or previous == instance._related_seen:
        return
    related.refresh_pages(related.pages_citing(kind, instance.pk))

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


@receiver(post_init, sender=Claim)
def remember_claim_status(sender, instance, **kwargs):
    instance._related_status = instance.__dict__.get("status")


@receiver(post_save, sender=Claim)
def claim_status_changed(sender, instance, created, **kwargs):
    previous, instance._related_status = instance._related_status, instance.status
    if created or previous == instance.status:
        return
    related.refresh_pages(related.pages_citing(RelatedFeature.Kind.CLAIM, instance.pk))


@receiver(post_init, sender=Source)
def remember_source_text(sender, instance, **kwargs):
    instance._related_hash = instance.__dict__.get("content_hash")


@receiver(post_save, sender=Source)
def source_reimported(sender, instance, created, **kwargs):
    previous, instance._related_hash = instance._related_hash, instance.content_hash
    if created or previous == instance.content_hash:
        return
    related.refresh_pages(related.pages_citing(RelatedFeature.Kind.SOURCE, instance.pk))

"""What keeps related-stories widgets current: each change that can alter a widget refreshes
the index and marks the affected widgets stale in its own transaction (see
explainers.related.changes). What writes corrections: the desk's signals of changes
readers see (corrections.py). And what purges the page cache, at origin and at the edge,
of exactly the responses each change alters (explainers.page_cache.changes), after commit."""

from django.db.models.signals import post_delete, post_init, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from explainers import corrections, pull_quotes, search_index
from explainers.models import Correction, ExplainerPage, RelatedFeature
from explainers.page_cache import changes as cache_changes
from explainers.page_cache.purging import purge
from explainers.related import changes
from newsroom.desk.models import Claim, Evidence, Outlet, Source, Verification
from newsroom.desk.signals import (
    claim_reworded,
    claim_saved,
    claim_status_changed,
    claim_withdrawn,
    source_text_changed,
)


@receiver(page_published, sender=ExplainerPage)
@receiver(page_unpublished, sender=ExplainerPage)
def explainer_published_or_unpublished(sender, instance, **kwargs):
    changes.refresh_pages({instance.pk})


@receiver(published, sender=Claim)
@receiver(unpublished, sender=Claim)
def claim_published_or_withdrawn(sender, instance, **kwargs):
    # Site search finds a page by its live claims' words: they may have changed or gone.
    search_index.reindex_explainers_citing(instance.pk)


@receiver(post_page_move)
def section_moved(sender, instance, **kwargs):
    # A move changes URLs below the page, and may put them inside a private section.
    changes.refresh_pages(changes.explainers_within(instance))


@receiver(pre_delete, sender=Page)
@receiver(pre_delete, sender=ExplainerPage)
def explainer_deleted(sender, instance, **kwargs):
    # Before the rows go: which widgets show this page? Its own rows cascade with it.
    changes.refresh_showing({instance.pk})


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    changes.refresh_pages(changes.explainers_within(instance.page))


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
    changes.refresh_pages(changes.pages_citing(kind, instance.pk))


@receiver(claim_status_changed, sender=Claim)
def claim_status_corrected(sender, claim, previous, status, note="", user=None, **kwargs):
    corrections.record_claim_status_change(claim, previous, status, note, user)


@receiver(claim_withdrawn, sender=Claim)
def claim_withdrawal_corrected(sender, claim, note="", user=None, **kwargs):
    corrections.record_claim_withdrawn(claim, note, user)


@receiver(claim_reworded, sender=Claim)
def claim_rewording_corrected(sender, claim, previous_statement, statement, user=None, **kwargs):
    corrections.record_claim_reworded(claim, previous_statement, statement, user)


@receiver(page_published, sender=ExplainerPage)
@receiver(page_unpublished, sender=ExplainerPage)
def pull_quotes_follow_live_content(sender, instance, **kwargs):
    pull_quotes.sync_pull_quotes(instance)


@receiver(source_text_changed, sender=Source)
def source_text_changed_recheck_pull_quotes(sender, source, user=None, **kwargs):
    pull_quotes.recheck_pull_quotes(source, user=user)


# The page cache: every change readers can see purges what it alters.


@receiver(page_published)
@receiver(page_unpublished)
def page_cache_follows_live_pages(sender, instance, **kwargs):
    purge(cache_changes.pages_changed({instance.pk}))


@receiver(post_page_move)
def page_cache_follows_moves(sender, instance, **kwargs):
    purge(cache_changes.section_changed(instance))


@receiver(pre_delete, sender=Page)
def page_cache_forgets_deleted_pages(sender, instance, **kwargs):
    # Before the rows go, while the page's tags can still be read.
    purge(cache_changes.pages_changed({instance.pk}))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def page_cache_follows_restrictions(sender, instance, **kwargs):
    purge(cache_changes.section_changed(instance.page))


@receiver(claim_status_changed, sender=Claim)
@receiver(claim_withdrawn, sender=Claim)
@receiver(claim_reworded, sender=Claim)
@receiver(claim_saved, sender=Claim)
def page_cache_follows_claims(sender, claim, **kwargs):
    purge(cache_changes.claims_changed({claim.pk}))


@receiver(published, sender=Claim)
@receiver(unpublished, sender=Claim)
def page_cache_follows_claim_publication(sender, instance, **kwargs):
    purge(cache_changes.claims_changed({instance.pk}))


@receiver(post_save, sender=Evidence)
@receiver(post_delete, sender=Evidence)
@receiver(post_save, sender=Verification)
@receiver(post_delete, sender=Verification)
def page_cache_follows_evidence(sender, instance, **kwargs):
    purge(cache_changes.claims_changed({instance.claim_id}))


@receiver(source_text_changed, sender=Source)
def page_cache_follows_source_text(sender, source, **kwargs):
    purge(cache_changes.sources_changed({source.pk}))


@receiver(post_save, sender=Source)
@receiver(post_delete, sender=Source)
def page_cache_follows_sources(sender, instance, **kwargs):
    purge(cache_changes.sources_changed({instance.pk}))


@receiver(post_save, sender=Outlet)
def page_cache_follows_outlets(sender, instance, **kwargs):
    purge(cache_changes.outlet_changed(instance.pk))


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def page_cache_follows_corrections(sender, instance, **kwargs):
    purge(cache_changes.pages_changed({instance.page_id}))


@receiver(post_save, sender=Tag)
@receiver(pre_delete, sender=Tag)
def page_cache_follows_tags(sender, instance, **kwargs):
    purge(cache_changes.tag_changed(instance))

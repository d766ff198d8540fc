"""Celery tasks for what readers see. Tasks stay thin: they call a service function."""

from celery import shared_task
from django.core.management import call_command

from explainers.related import regeneration


@shared_task(name="explainers.publish_scheduled")
def publish_scheduled():
    """Wagtail's scheduled publishing (go-live and expiry dates), run by beat: no cron."""
    call_command("publish_scheduled")


@shared_task(name="explainers.regenerate_related", acks_late=True, reject_on_worker_lost=True)
def regenerate_related(page_ids):
    """Recompute these explainers' related-stories widgets. Safe to run twice."""
    return regeneration.regenerate_related(page_ids)


@shared_task(name="explainers.sweep_stale_related", acks_late=True)
def sweep_stale_related(older_than=None):
    """Recompute every widget still marked stale: what a lost task or a down broker left."""
    return regeneration.sweep_stale(older_than)

"""Celery tasks for what readers see. Tasks stay thin: they call a service function."""

import time

from celery import shared_task
from celery.utils.log import get_task_logger
from django.conf import settings
from django.core.management import call_command

logger = get_task_logger(__name__)


@shared_task(name="explainers.publish_scheduled")
def publish_scheduled():
    """Wagtail's scheduled publishing (go-live and expiry dates), run by beat: no cron."""
    call_command("publish_scheduled")


@shared_task(name="explainers.regenerate_related", acks_late=True, reject_on_worker_lost=True)
def regenerate_related(page_ids):
    """Recompute these explainers' related-stories widgets. Safe to run twice."""
    from explainers import related

    pause = settings.RELATED_STORIES_TEST_PAUSE
    if pause:
        # Only the SIGKILL test sets this: it holds the task mid-flight to kill the worker.
        logger.info("regenerate_related pausing %ss before %s", pause, page_ids)
        time.sleep(pause)
    return related.regenerate_related(page_ids)


@shared_task(name="explainers.sweep_stale_related", acks_late=True)
def sweep_stale_related(older_than=None):
    """Recompute every widget still marked stale: what a lost task or a down broker left."""
    from explainers import related

    return related.sweep_stale(older_than)

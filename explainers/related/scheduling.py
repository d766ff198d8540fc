"""Sending stale widgets to Celery after the change commits: one coalesced task per batch,
and a page already sent within ``RELATED_STORIES_QUEUE_TTL`` is left to the task on its way,
so a burst of edits is one regeneration. A broker that is down loses nothing: the stale
markers wait for beat's sweeper (``explainers.related.regeneration.sweep_stale``)."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from explainers.models import RelatedState
from explainers.related.regeneration import BATCH_SIZE
from explainers.tasks import regenerate_related as regeneration_task

logger = logging.getLogger(__name__)


def schedule_regeneration(page_ids: Iterable[int]) -> None:
    """After the caller's transaction commits, send the stale widgets to Celery."""
    page_ids = sorted(set(page_ids))
    if page_ids:
        transaction.on_commit(partial(enqueue_regeneration, page_ids))


# A broker that does not answer is retried briefly, never long enough to hold up a publish.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError, RedisError)


def enqueue_regeneration(page_ids: Iterable[int]) -> list[int]:
    """Send one coalesced task for these widgets: pages already queued within the last
    ``RELATED_STORIES_QUEUE_TTL`` seconds are left to the task already on its way. If the
    broker is down, log it and leave the stale markers to the sweeper. Returns the ids sent."""
    now = timezone.now()
    expired = now - timedelta(seconds=settings.RELATED_STORIES_QUEUE_TTL)
    free = RelatedState.objects.filter(page_id__in=list(page_ids), stale=True).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=expired)
    )
    to_send = sorted(free.values_list("pk", flat=True))
    if not to_send:
        return []
    RelatedState.objects.filter(page_id__in=to_send).update(queued_at=now)
    delay = settings.RELATED_STORIES_DELAY
    try:
        for start in range(0, len(to_send), BATCH_SIZE):
            regeneration_task.apply_async(
                (to_send[start : start + BATCH_SIZE],), countdown=delay, retry_policy=PUBLISH_RETRY
            )
    except BROKER_ERRORS as error:
        logger.warning(
            "Broker unavailable (%s): %d related-stories widgets stay stale for the sweeper",
            error,
            len(to_send),
        )
        RelatedState.objects.filter(page_id__in=to_send, queued_at=now).update(queued_at=None)
        return []
    except Exception:
        if not regeneration_task.app.conf.task_always_eager:
            raise
        # In-process (no broker), the task runs here, after the change has committed: a
        # failure must not turn the editor's successful publish into an error page.
        logger.exception("Regenerating related stories failed; %s stay stale", to_send)
        RelatedState.objects.filter(page_id__in=to_send, queued_at=now).update(queued_at=None)
        return []
    return to_send

"""Celery tasks of the guessing brakes; thin, as every task."""

from celery import shared_task
from django.conf import settings

from newsroom.throttling.models import FailedGuesses


@shared_task(name="newsroom.forget_expired_guesses")
def forget_expired_guesses():
    """Run by beat: counts whose cool-off has passed lock nobody and are deleted."""
    return FailedGuesses.objects.forget_expired(settings.AXES_COOLOFF_TIME)

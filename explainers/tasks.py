"""Celery tasks for what readers see. Tasks stay thin: they call a service function."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="explainers.publish_scheduled")
def publish_scheduled():
    """Wagtail's scheduled publishing (go-live and expiry dates), run by beat: no cron."""
    call_command("publish_scheduled")

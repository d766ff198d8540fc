"""Scheduled publishing runs through Celery, so go-live dates work without cron."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from explainers.models import HomePage
from explainers.tasks import publish_scheduled


def scheduled_page():
    home = Page.objects.get(depth=2)
    page = home.add_child(instance=HomePage(title="Scheduled", slug="scheduled", live=False))
    page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    return page


def test_beat_runs_scheduled_publishing():
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "explainers.publish_scheduled" in entries


@pytest.mark.django_db
def test_the_task_publishes_pages_whose_go_live_date_has_passed():
    page = scheduled_page()
    publish_scheduled.delay()
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_publishes_scheduled_pages(celery_worker):
    page = scheduled_page()
    publish_scheduled.delay()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        page.refresh_from_db()
        if page.live:
            break
        time.sleep(0.25)
    assert page.live, celery_worker.log.read_text()[-2000:]


@pytest.mark.django_db
def test_a_refused_go_live_is_in_the_page_history_naming_the_claims(admin_client):
    from django.urls import reverse
    from wagtail.models import PageLogEntry

    from tests.factories import UserFactory, cited_claim_block, claim_with_evidence, explainer_page

    claim = claim_with_evidence(
        UserFactory(), stances=("supports",) * 3, statement="Macron will fly to Moscow."
    )
    page = explainer_page(title="Scheduled", body=[cited_claim_block(claim)], publish=False)
    page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))

    publish_scheduled.delay()

    page.refresh_from_db()
    assert not page.live
    entry = PageLogEntry.objects.get(page=page, action="explainers.publish_refused")
    assert entry.data["claims"] == [{"id": claim.pk, "statement": "Macron will fly to Moscow."}]
    assert entry.revision_id == page.latest_revision_id
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    html = history.content.decode()
    assert "Publishing refused" in html
    assert "Scheduled publishing refused" in html
    assert "Macron will fly to Moscow." in html

"""Related stories with a real Celery worker on Redis (not eager): publishing updates the
related widgets within a bounded wait, a broker outage is made good by the sweeper, and a
worker killed with SIGKILL mid-task loses no update. PostgreSQL only."""

import signal
import time

import pytest

from explainers.models import RelatedState
from explainers.tasks import sweep_stale_related
from newsroom.celery import app
from tests.celery_worker import CeleryWorker, broker_url, use_broker
from tests.explainers.related_site import build_site, explainer, widget

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLOSED_PORT = "redis://127.0.0.1:1/0"


class PatientWorker(CeleryWorker):
    """Django and Wagtail take a while to import on a busy 2-core CI machine."""

    def wait_until_ready(self, timeout=120):
        super().wait_until_ready(timeout)


def wait_for(condition, worker, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    logs = worker.log.read_text(errors="replace")[-3000:] if worker else ""
    pytest.fail(f"not within {timeout}s; worker log:\n{logs}")


def all_current():
    return not RelatedState.objects.filter(stale=True).exists()


@pytest.fixture
def eager_site():
    """The hand-made site, built before any worker starts (tasks run in-process)."""
    return build_site()


@pytest.fixture
def workers(transactional_db):
    """Start real workers on Redis, this process sending to them; stop them all after."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database another process can open (PostgreSQL)")
    started = []
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}

    def start(pause=0):
        use_broker(task_always_eager=False, broker_url=broker_url())
        worker = PatientWorker(regeneration_pause=pause)
        worker.log = worker.log.with_name(f"{worker.log.stem}-{len(started)}.log")
        started.append(worker)  # stopped after the test even if it never became ready
        return worker.start()

    yield start
    for worker in started:
        worker.stop()
    use_broker(**previous)


def test_publishing_updates_related_widgets_through_a_real_worker(workers, eager_site):
    pages, claims, _ = eager_site
    worker = workers()
    new = explainer("Kyiv and the call", [claims["kyiv"], claims["call"]], ["ukraine"])
    wait_for(lambda: "Kyiv and the call" in widget(pages["main"]), worker)
    wait_for(lambda: "Kyiv and the call" in widget(pages["kyiv"]), worker)
    wait_for(lambda: "Macron and Putin reopen dialogue" in widget(new), worker)
    wait_for(all_current, worker)
    assert "Kyiv and the call" not in widget(pages["budget"])


def test_after_a_broker_outage_the_sweeper_makes_every_widget_right(workers, eager_site):
    pages, claims, _ = eager_site
    worker = workers()
    use_broker(broker_url=CLOSED_PORT)
    new = explainer("Kyiv and the call", [claims["kyiv"], claims["call"]], ["ukraine"])
    assert new.live
    stale = set(RelatedState.objects.filter(stale=True).values_list("page_id", flat=True))
    assert {new.pk, pages["main"].pk, pages["kyiv"].pk} <= stale
    time.sleep(3)
    assert "Kyiv and the call" not in widget(pages["main"])

    use_broker(broker_url=broker_url())  # the broker is back; beat sends the sweeper
    sweep_stale_related.delay(older_than=0)
    wait_for(all_current, worker)
    assert "Kyiv and the call" in widget(pages["main"])
    assert "Macron and Putin reopen dialogue" in widget(new)


def test_a_worker_killed_mid_task_loses_no_update(workers, eager_site):
    pages, claims, _ = eager_site
    slow = workers(pause=120)
    new = explainer("Kyiv and the call", [claims["kyiv"], claims["call"]], ["ukraine"])
    wait_for(lambda: "regenerate_related pausing" in slow.log.read_text(errors="replace"), slow)
    slow.kill(signal.SIGKILL)
    assert RelatedState.objects.filter(page_id=pages["main"].pk, stale=True).exists()
    assert "Kyiv and the call" not in widget(pages["main"])

    # The new worker starts on an emptied queue: even the message the dead worker held is
    # gone, the worst case. The stale marker is what brings the update back.
    fresh = workers()
    sweep_stale_related.delay(older_than=0)
    wait_for(all_current, fresh)
    assert "Kyiv and the call" in widget(pages["main"])
    assert "Kyiv and the call" in widget(pages["kyiv"])
    assert "Macron and Putin reopen dialogue" in widget(new)

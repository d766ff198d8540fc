"""Nothing lost: with the broker unreachable, publishing still succeeds, the affected widgets
are marked stale in the same transaction, and the sweeper makes every widget right."""

import logging

import pytest
from django.urls import reverse

from explainers.models import RelatedState, RelatedStory
from explainers.related import regeneration, storage
from explainers.tasks import sweep_stale_related
from tests.celery_worker import sending_to
from tests.explainers.related_site import explainer, widget

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    with sending_to(CLOSED_PORT):
        yield


def stale_ids():
    return set(RelatedState.objects.filter(stale=True).values_list("page_id", flat=True))


def test_publishing_with_the_broker_down_succeeds_and_marks_widgets_stale(
    site, committed, broker_down, caplog
):
    pages, claims, _ = site
    with caplog.at_level(logging.WARNING, logger="explainers.related"), committed():
        new = explainer("Kyiv and the call", [claims["kyiv"], claims["call"]], ["ukraine"])
    assert new.live
    assert "Broker unavailable" in caplog.text
    assert {new.pk, pages["main"].pk, pages["kyiv"].pk} <= stale_ids()
    assert pages["budget"].pk not in stale_ids()
    assert "Kyiv and the call" not in widget(pages["main"])
    # Nothing claims to be queued: the next change, or the sweeper, may send it again.
    assert not RelatedState.objects.filter(queued_at__isnull=False).exists()

    stale = stale_ids()
    assert regeneration.sweep_stale(older_than=0) == len(stale)
    assert stale_ids() == set()
    assert "Kyiv and the call" in widget(pages["main"])
    assert "Kyiv and the call" in widget(pages["kyiv"])
    assert "Macron and Putin reopen dialogue" in widget(new)


def test_unpublishing_in_the_admin_with_the_broker_down(site, committed, broker_down, admin_client):
    pages, _, _ = site
    with committed():
        response = admin_client.post(
            reverse("wagtailadmin_pages:unpublish", args=[pages["twin"].pk])
        )
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_explore", args=[pages["twin"].get_parent().pk])
    pages["twin"].refresh_from_db()
    assert not pages["twin"].live
    # Taken out of every widget at once, in the unpublish transaction; the gap is refilled later.
    assert not RelatedStory.objects.filter(related_page=pages["twin"]).exists()
    assert pages["main"].pk in stale_ids()
    sweep_stale_related.apply(kwargs={"older_than": 0})
    assert widget(pages["main"]) == ["Ukraine wants a seat", "Moscow stays cautious"]
    assert stale_ids() == set()


def test_the_sweeper_leaves_fresh_markers_to_the_tasks_in_flight(site, committed, broker_down):
    pages, claims, _ = site
    with committed():
        explainer("Kyiv and the call", [claims["kyiv"]], ["ukraine"])
    assert regeneration.sweep_stale() == 0
    assert pages["kyiv"].pk in stale_ids()


def test_a_task_finishing_after_a_newer_change_leaves_the_page_stale(site):
    pages, _, _ = site
    page_id = pages["main"].pk
    storage.mark_stale([page_id])
    generations = dict(RelatedState.objects.filter(pk=page_id).values_list("pk", "generation"))
    storage.mark_stale([page_id])  # a change lands while the task computes
    storage.store_stories({page_id: []}, generations)
    assert RelatedState.objects.get(pk=page_id).stale


def test_a_burst_of_edits_sends_one_regeneration_per_page(site, committed, monkeypatch):
    from explainers.tasks import regenerate_related

    pages, _, _ = site
    sent = []
    monkeypatch.setattr(
        regenerate_related, "apply_async", lambda args, **kwargs: sent.append(args[0])
    )
    kyiv = pages["kyiv"].specific
    for number in range(4):
        kyiv.standfirst = f"Kyiv's position, update {number}."
        with committed():
            kyiv.save_revision().publish()
    assert sum(ids.count(kyiv.pk) for ids in sent) == 1
    assert sum(ids.count(pages["main"].pk) for ids in sent) == 1
    regeneration.regenerate_related(sent[0])
    with committed():
        kyiv.save_revision().publish()
    assert sum(ids.count(kyiv.pk) for ids in sent) == 2


def test_an_in_process_failure_does_not_fail_the_publish(site, committed, monkeypatch, caplog):
    pages, claims, _ = site

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(regeneration, "store_stories", broken)
    with caplog.at_level(logging.ERROR, logger="explainers.related"), committed():
        new = explainer("Kyiv and the call", [claims["kyiv"], claims["call"]], ["ukraine"])
    assert new.live
    assert "Regenerating related stories failed" in caplog.text
    assert {new.pk, pages["main"].pk} <= stale_ids()
    monkeypatch.undo()
    regeneration.sweep_stale(older_than=0)
    assert "Kyiv and the call" in widget(pages["main"])

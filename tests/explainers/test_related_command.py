"""manage.py rebuild_related: the stale widgets, or with --all every widget from scratch."""

from io import StringIO

import pytest
from django.core.management import call_command

from explainers.models import RelatedFeature, RelatedState, RelatedStory
from tests.explainers.related_site import widget

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("rebuild_related", *args, stdout=out)
    return out.getvalue()


def test_rebuild_all_recreates_every_widget_from_nothing(site):
    pages, _, _ = site
    expected = {page.pk: widget(page) for page in pages.values()}
    RelatedStory.objects.all().delete()
    RelatedFeature.objects.all().delete()
    RelatedState.objects.all().delete()
    output = run("--all")
    assert "Recomputed 5 related-stories widgets" in output
    assert {page.pk: widget(page) for page in pages.values()} == expected
    assert not RelatedState.objects.filter(stale=True).exists()


def test_rebuild_all_drops_what_readers_may_no_longer_see(site):
    pages, _, _ = site
    from wagtail.models import Page

    # Unpublished behind the signals' back (e.g. a raw SQL fix): --all still cleans it up.
    Page.objects.filter(pk=pages["twin"].pk).update(live=False)
    run("--all")
    assert "Elysee confirms the phone call" not in widget(pages["main"])
    assert not RelatedFeature.objects.filter(page_id=pages["twin"].pk).exists()


def test_without_all_it_recomputes_only_the_stale_widgets(site):
    pages, _, _ = site
    RelatedStory.objects.filter(page=pages["main"]).delete()
    RelatedStory.objects.filter(page=pages["kyiv"]).delete()
    RelatedState.objects.filter(page_id=pages["main"].pk).update(stale=True)
    output = run()
    assert "Recomputed 1 related-stories widgets" in output
    assert widget(pages["main"])[0] == "Elysee confirms the phone call"
    assert widget(pages["kyiv"]) == []

"""Related stories: ranking on a hand-made site, pins and excludes, what never leaks into a
widget, and each trigger that recomputes widgets (Celery eager, in-process)."""

import pytest
from django.template import Context, Template
from django.utils.text import slugify
from wagtail.models import PageViewRestriction

from explainers.models import ExplainerIndexPage, RelatedState, RelatedStory, RelatedStoryChoice
from explainers.related import changes, ranking, regeneration
from newsroom.desk.models import Claim
from tests.explainers.related_site import explainer, section, widget

pytestmark = pytest.mark.django_db


def computed_at(page):
    return RelatedState.objects.get(page_id=page.pk).computed_at


def new_section(title):
    """A new section beside the explainers section."""
    index = ExplainerIndexPage(title=title, slug=slugify(title))
    return section().get_parent().add_child(instance=index)


def new_private_section():
    """A new section that only logged-in readers may see."""
    private = new_section("Internal")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return private


def test_stories_rank_by_shared_claims_then_sources_and_tags(site):
    pages, _, _ = site
    assert widget(pages["main"]) == [
        "Elysee confirms the phone call",
        "Ukraine wants a seat",
        "Moscow stays cautious",
    ]


def test_the_score_parts_say_why_a_story_is_related(site):
    pages, _, _ = site
    stories = {s.related_page_id: s for s in RelatedStory.objects.filter(page=pages["main"])}
    twin, kyiv, kremlin = (stories[pages[name].pk] for name in ("twin", "kyiv", "kremlin"))
    assert (twin.shared_claims, kyiv.shared_claims, kremlin.shared_claims) == (2, 1, 0)
    assert twin.claims_score > kyiv.claims_score > 0 == kremlin.claims_score
    assert kremlin.sources_score > 0 and kremlin.tags_score > 0
    assert kyiv.tags_score == 0
    assert twin.score == pytest.approx(
        twin.claims_score + twin.sources_score + twin.tags_score + twin.text_score, abs=1e-3
    )
    assert "1 shared source" in kremlin.reasons and "shared tags" in kremlin.reasons
    assert twin.reasons[0] == "2 shared claims"


def test_a_story_about_something_else_is_never_related(site):
    pages, _, _ = site
    assert "Berlin votes its budget" not in widget(pages["main"])
    assert widget(pages["budget"]) == []
    assert "Macron and Putin reopen dialogue" not in widget(pages["budget"])


def test_relatedness_is_mutual(site):
    pages, _, _ = site
    assert widget(pages["twin"])[0] == "Macron and Putin reopen dialogue"
    assert "Macron and Putin reopen dialogue" in widget(pages["kyiv"])


def test_the_widget_holds_at_most_the_configured_number(site, settings):
    pages, _, _ = site
    settings.RELATED_STORIES_COUNT = 2
    regeneration.regenerate_related([pages["main"].pk])
    assert widget(pages["main"]) == ["Elysee confirms the phone call", "Ukraine wants a seat"]


def test_regenerating_twice_changes_nothing(site):
    pages, _, _ = site
    fields = ("related_page_id", "rank", "score", "claims_score", "title", "url")
    before = list(RelatedStory.objects.order_by("page_id", "rank").values_list(*fields))
    regeneration.regenerate_related([page.pk for page in pages.values()])
    regeneration.regenerate_related([page.pk for page in pages.values()])
    assert list(RelatedStory.objects.order_by("page_id", "rank").values_list(*fields)) == before
    assert not RelatedState.objects.filter(stale=True).exists()


# Pins and excludes ---------------------------------------------------------------------


def choose(page, story, choice, committed):
    page = page.specific
    page.related_choices.add(RelatedStoryChoice(story=story, choice=choice))
    with committed():
        page.save_revision().publish()


def test_a_pinned_story_comes_first_even_if_unrelated(site, committed):
    pages, _, _ = site
    choose(pages["main"], pages["budget"], RelatedStoryChoice.Choice.PIN, committed)
    assert widget(pages["main"])[0] == "Berlin votes its budget"
    assert RelatedStory.objects.get(page=pages["main"], rank=1).pinned


def test_an_excluded_story_never_shows(site, committed):
    pages, _, _ = site
    choose(pages["main"], pages["twin"], RelatedStoryChoice.Choice.EXCLUDE, committed)
    assert widget(pages["main"]) == ["Ukraine wants a seat", "Moscow stays cautious"]


def test_a_pinned_story_that_is_unpublished_leaves_the_widget(site, committed):
    pages, _, _ = site
    choose(pages["main"], pages["budget"], RelatedStoryChoice.Choice.PIN, committed)
    with committed():
        pages["budget"].specific.unpublish()
    assert "Berlin votes its budget" not in widget(pages["main"])


# Drafts, private and deleted pages -----------------------------------------------------


def test_a_draft_never_appears_in_a_widget(site, committed):
    pages, claims, _ = site
    with committed():
        explainer("Draft on the call", [claims["call"], claims["kyiv"]], ["france"], publish=False)
    regeneration.regenerate_related([page.pk for page in pages.values()])
    assert all("Draft on the call" not in widget(page) for page in pages.values())


def test_unpublished_changes_do_not_change_the_widget(site, committed):
    pages, claims, _ = site
    kremlin = pages["kremlin"].specific
    kremlin.title = "Moscow: a new draft title"
    with committed():
        kremlin.save_revision()
    regeneration.regenerate_related([pages["main"].pk])
    assert "Moscow stays cautious" in widget(pages["main"])
    assert "Moscow: a new draft title" not in widget(pages["main"])


def test_an_unpublished_page_leaves_every_widget(site, committed):
    pages, _, _ = site
    with committed():
        pages["twin"].specific.unpublish()
    assert "Elysee confirms the phone call" not in widget(pages["main"])
    assert not RelatedStory.objects.filter(related_page=pages["twin"]).exists()
    assert widget(pages["twin"]) == []


def test_a_private_page_leaves_every_widget_and_returns_when_public(site, committed):
    pages, _, _ = site
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=pages["twin"], restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    assert "Elysee confirms the phone call" not in widget(pages["main"])
    assert not RelatedStory.objects.filter(related_page=pages["twin"]).exists()
    with committed():
        restriction.delete()
    assert widget(pages["main"])[0] == "Elysee confirms the phone call"


def test_a_page_in_a_private_section_never_appears(site, committed):
    pages, claims, _ = site
    private = new_private_section()
    with committed():
        explainer("Internal memo on the call", [claims["call"]], parent=private)
    assert all("Internal memo on the call" not in widget(page) for page in pages.values())


def test_a_deleted_page_leaves_every_widget(site, committed):
    pages, _, _ = site
    with committed():
        pages["twin"].specific.delete()
    assert widget(pages["main"]) == ["Ukraine wants a seat", "Moscow stays cautious"]


# Triggers: each recomputes the affected widgets, and only those -------------------------


def test_publishing_a_page_puts_it_in_the_widgets_it_belongs_to(site, committed):
    pages, claims, _ = site
    before = computed_at(pages["budget"])
    with committed():
        explainer("Kyiv and the call", [claims["kyiv"], claims["call"]], ["ukraine"])
    assert "Kyiv and the call" in widget(pages["main"])
    assert "Kyiv and the call" in widget(pages["kyiv"])
    assert computed_at(pages["budget"]) == before


def test_moving_a_page_updates_its_link_in_other_widgets(site, committed):
    pages, _, _ = site
    other = new_section("Archive")
    with committed():
        pages["twin"].specific.move(other, pos="last-child")
    story = RelatedStory.objects.get(page=pages["main"], related_page=pages["twin"])
    assert story.url == "/archive/elysee-confirms-the-phone-call/"


def test_moving_a_page_into_a_private_section_takes_it_out(site, committed):
    pages, _, _ = site
    private = new_private_section()
    with committed():
        pages["twin"].specific.move(private, pos="last-child")
    assert "Elysee confirms the phone call" not in widget(pages["main"])


def test_a_claim_status_change_recomputes_the_pages_citing_it(site, committed):
    pages, claims, _ = site
    kyiv_story = RelatedStory.objects.get(page=pages["main"], related_page=pages["kyiv"])
    budget_before = computed_at(pages["budget"])
    claim = claims["kyiv"]
    claim.status = Claim.Status.VERIFIED
    with committed():
        claim.save()
    updated = RelatedStory.objects.get(page=pages["main"], related_page=pages["kyiv"])
    assert updated.claims_score > kyiv_story.claims_score
    assert computed_at(pages["budget"]) == budget_before


def test_saving_a_claim_without_a_status_change_recomputes_nothing(site, committed):
    pages, claims, _ = site
    before = computed_at(pages["main"])
    claim = Claim.objects.get(pk=claims["kyiv"].pk)
    claim.statement = "Kyiv asked, again, to be consulted first."
    with committed():
        claim.save()
    assert computed_at(pages["main"]) == before


def test_a_source_reimport_recomputes_the_pages_citing_it(site, committed):
    pages, _, sources = site
    budget_outlet = sources["d"].outlet
    source = sources["b"]
    source.outlet = budget_outlet
    source.original_text = source.original_text + "\n\nUpdated."
    source.content_hash = source.hash_text(source.original_text)
    with committed():
        source.save()
    # Kyiv's source now comes from the Berlin outlet: the budget story shares an outlet.
    assert "Berlin votes its budget" in widget(pages["kyiv"])
    story = RelatedStory.objects.get(page=pages["kyiv"], related_page=pages["budget"])
    assert story.sources_score > 0 and story.claims_score == 0


def test_only_affected_pages_are_recomputed(site, committed):
    pages, claims, _ = site
    with committed():
        affected = changes.refresh_pages({pages["kremlin"].pk})
    assert pages["budget"].pk not in affected
    assert pages["kremlin"].pk in affected


# Rendering -----------------------------------------------------------------------------


def test_the_widget_renders_in_one_query(site, django_assert_max_num_queries):
    pages, _, _ = site
    template = Template("{% load related_tags %}{% related_stories page %}")
    with django_assert_max_num_queries(1):
        html = template.render(Context({"page": pages["main"]}))
    assert html.count("<li>") == 3
    assert 'href="/explainers/elysee-confirms-the-phone-call/"' in html


def test_the_reader_sees_the_widget_on_the_explainer(site, client):
    pages, _, _ = site
    response = client.get(pages["main"].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Related stories" in html
    assert html.index("Elysee confirms the phone call") < html.index("Moscow stays cautious")


def test_imported_titles_are_escaped_in_the_widget(site, committed):
    pages, claims, _ = site
    with committed():
        explainer("<script>alert(1)</script> call", [claims["call"], claims["kyiv"]])
    html = Template("{% load related_tags %}{% related_stories page %}").render(
        Context({"page": pages["main"]})
    )
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_pages_sharing_only_a_common_claim_still_relate(committed, monkeypatch):
    """A running story: every explainer cites the same claim, so nothing they hold is rare.
    Each widget still shows the others, found through the rarest common feature."""
    from tests.explainers.related_site import claim_from
    from tests.factories import OutletFactory, SourceFactory

    monkeypatch.setattr(ranking, "common_threshold", lambda total_pages: 2)
    source = SourceFactory(title="Kremlin readout", outlet=OutletFactory(name="Kremlin wire"))
    claim = claim_from(source, "Putin said he was ready for a call with Macron.")
    titles = ["Talks resume", "Envoys named", "Summit planned", "Kyiv consulted"]
    pages = []
    for title in titles:  # published one by one: the incremental path
        with committed():
            pages.append(explainer(title, [claim]))
    shown = {page.title: sorted(widget(page)) for page in pages}
    with committed():
        regeneration.rebuild_all()

    for page, title in zip(pages, titles, strict=True):
        others = sorted(t for t in titles if t != title)
        assert shown[title] == others
        assert sorted(widget(page)) == others
        assert RelatedStory.objects.filter(page=page, shared_claims=1).count() == 3

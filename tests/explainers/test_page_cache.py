"""The whole-response cache at origin (explainers.page_cache): an anonymous reader's copy is
served without a query, with the HTTP caching headers shared caches need; nobody's private
answer is kept; and every path that changes what readers see purges exactly the copies it
alters, so the next reader gets the change (publish by the edit form, Desk review approval,
bulk and scheduled publishing, revert, unpublish, delete, claim decisions, source
re-imports, related-stories regeneration, corrections and tags)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import PageViewRestriction

from explainers.models import ExplainerPage
from explainers.related.regeneration import regenerate_related
from newsroom.desk.actions.sources import save_source
from newsroom.desk.models import Claim, Source
from tests.explainers.test_publish_guard import edit_form_data, post_edit
from tests.explainers.test_publish_guard_paths import bulk_publish
from tests.explainers.test_workflow import approve, submit
from tests.factories import cited_claim_block, explainer_index, explainer_page, verified

pytestmark = pytest.mark.django_db

FEED = "/feeds/explainers.rss"
SITEMAP = "/sitemap.xml"
CLAIMS_API = "/api/claims/"
PAGES_API = "/api/v2/pages/?type=explainers.ExplainerPage&fields=title"


@pytest.fixture
def explainer(verified_claim):
    return explainer_page(
        title="Are they talking?", body=[cited_claim_block(verified_claim)], tags=["diplomacy"]
    )


def tag_url(tag="diplomacy"):
    index = explainer_index()
    return index.url + index.reverse_subpage("tag", kwargs={"tag": tag})


def kept(client, url):
    """Fetch `url` twice as an anonymous reader: the second answer must come from the store.
    Returns its text."""
    first = client.get(url)
    assert first.status_code == 200, url
    assert first["X-Page-Cache"] == "miss", url
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit", url
    assert second.content == first.content
    return second.content.decode()


def fresh(client, url):
    """What the next reader of `url` is served; it must be a new render."""
    response = client.get(url)
    assert response.get("X-Page-Cache") != "hit", url
    return response


def readers_urls(page):
    return [page.url, explainer_index().url, tag_url(), FEED, SITEMAP]


def edit_data(page, claims, action="action-publish"):
    """The edit form as an editor posts it, the page's tag kept."""
    return {**edit_form_data(page, claims, action), "tags": "diplomacy"}


def revised(page, **changes):
    page = ExplainerPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    return page


# What a kept copy is, and who gets one.


def test_an_anonymous_reader_is_served_the_kept_copy_without_a_query(
    client, explainer, verified_claim, django_assert_num_queries
):
    kept(client, explainer.url)
    with django_assert_num_queries(0):
        response = client.get(explainer.url)
    assert response["X-Page-Cache"] == "hit"
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=3600", "stale-while-revalidate=60"} <= control
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Cookie", "Accept-Encoding"} <= vary
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"].endswith("GMT")
    keys = set(response["xkey"].split())
    assert {f"page-{explainer.pk}", f"claim-{verified_claim.pk}"} <= keys


def test_conditional_requests_are_answered_304(client, explainer):
    kept(client, explainer.url)
    response = client.get(explainer.url)
    etag, modified = response["ETag"], response["Last-Modified"]

    assert client.get(explainer.url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(explainer.url, headers={"if-modified-since": modified}).status_code == 304
    assert client.get(explainer.url, headers={"if-none-match": '"other"'}).status_code == 200
    # The first request answered by a render gets its 304 too.
    assert client.get(FEED).status_code == 200
    etag = client.get(FEED)["ETag"]
    assert client.get(FEED, headers={"if-none-match": etag}).status_code == 304


@pytest.mark.parametrize(
    "url", ["/", "/explainers/", FEED, "/feeds/explainers.atom", SITEMAP, "/robots.txt"]
)
def test_listings_feeds_sitemap_robots_and_api_are_kept(client, explainer, url):
    assert kept(client, url)


@pytest.mark.parametrize("url", [PAGES_API, CLAIMS_API])
def test_the_api_is_labelled_for_the_edge_and_kept_by_its_own_cache(client, explainer, url):
    client.get(url)
    response = client.get(url)
    assert response["X-Newsroom-Cache"] == "hit"
    assert "X-Page-Cache" not in response
    assert response["xkey"] == "api"
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "s-maxage=3600"} <= control


def test_search_is_never_kept(client, explainer):
    response = client.get("/search/?q=talking")
    assert "X-Page-Cache" not in response
    assert "xkey" not in response


def test_a_logged_in_reader_gets_a_private_answer_never_the_kept_copy(
    client, editor_client, explainer
):
    kept(client, explainer.url)
    own = editor_client.get(explainer.url)
    assert "X-Page-Cache" not in own
    assert "xkey" not in own
    control = {part.strip() for part in own["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control
    # The editor's visit neither replaced nor purged the anonymous readers' copy.
    assert client.get(explainer.url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/"])
def test_admin_answers_are_private_and_no_store(editor_client, path):
    response = editor_client.get(path)
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control


def test_a_preview_is_private_and_never_kept(editor_client, explainer):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[explainer.pk])
    response = editor_client.get(url)
    assert "no-store" in response["Cache-Control"]
    assert "xkey" not in response


def test_a_page_behind_a_password_is_never_kept(client, explainer):
    PageViewRestriction.objects.create(
        page=explainer, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(2):
        response = client.get(explainer.url)
        assert "X-Page-Cache" not in response
        assert "xkey" not in response


def test_a_restriction_added_later_purges_the_kept_copy(client, explainer):
    kept(client, explainer.url)
    PageViewRestriction.objects.create(
        page=explainer, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    assert "Are they talking?" not in fresh(client, explainer.url).content.decode()


def test_a_reader_with_a_session_cookie_is_not_served_from_the_store(client, explainer):
    kept(client, explainer.url)
    client.cookies["sessionid"] = "anything"
    assert "X-Page-Cache" not in client.get(explainer.url)


# Every path that changes what readers see.


def warm(client, urls):
    for url in urls:
        kept(client, url)


def test_publishing_from_the_edit_form_purges_page_listings_feeds_sitemap_and_api(
    client, verifier_client, explainer, verified_claim
):
    urls = readers_urls(explainer)
    warm(client, urls)
    client.get(PAGES_API)
    page = revised(explainer, title="Talks are on")
    post_edit(verifier_client, page, edit_data(page, [verified_claim]))
    for url in [*urls, PAGES_API]:
        if url != SITEMAP:
            assert "Talks are on" in fresh(client, url).content.decode(), url
        else:
            fresh(client, url)


def test_an_approval_in_desk_review_purges(
    client, editor_client, verifier_client, explainer, verified_claim
):
    warm(client, readers_urls(explainer))
    state = submit(editor_client, revised(explainer, title="Approved title"), [verified_claim])
    assert client.get(explainer.url)["X-Page-Cache"] == "hit"
    approve(verifier_client, explainer, state)
    for url in (explainer.url, explainer_index().url, FEED, PAGES_API):
        assert "Approved title" in fresh(client, url).content.decode(), url
    # The revision submitted had no tags: the page left its tag's listing.
    assert fresh(client, tag_url()).status_code == 404


def test_a_bulk_publish_purges(client, editor_client, admin_client, explainer, verified_claim):
    page = revised(explainer, title="Bulk title")
    post_edit(editor_client, page, edit_data(page, [verified_claim], "action-save"))
    warm(client, readers_urls(explainer))
    bulk_publish(admin_client, [explainer])
    for url in (explainer.url, explainer_index().url, tag_url(), FEED, PAGES_API):
        assert "Bulk title" in fresh(client, url).content.decode(), url


def test_a_scheduled_publish_purges(client, editor_client, explainer, verified_claim):
    page = revised(explainer, title="Scheduled title")
    post_edit(editor_client, page, edit_data(page, [verified_claim], "action-save"))
    warm(client, readers_urls(explainer))
    revision = ExplainerPage.objects.get(pk=explainer.pk).get_latest_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled", stdout=StringIO())
    for url in (explainer.url, explainer_index().url, tag_url(), FEED, PAGES_API):
        assert "Scheduled title" in fresh(client, url).content.decode(), url


def test_a_revert_to_an_earlier_revision_purges(client, explainer):
    first = explainer.live_revision
    revised(explainer, title="Second title").save_revision().publish()
    warm(client, [explainer.url, FEED])
    first.publish()
    assert "Are they talking?" in fresh(client, explainer.url).content.decode()
    assert "Second title" not in fresh(client, FEED).content.decode()


def test_unpublishing_purges(client, admin_client, explainer):
    warm(client, readers_urls(explainer))
    admin_client.post(reverse("wagtailadmin_pages:unpublish", args=[explainer.pk]))
    assert fresh(client, explainer.url).status_code == 404
    for url in (explainer_index().url, FEED, PAGES_API):
        assert "Are they talking?" not in fresh(client, url).content.decode(), url
    assert fresh(client, tag_url()).status_code == 404


def test_deleting_purges(client, admin_client, explainer):
    warm(client, readers_urls(explainer))
    admin_client.post(reverse("wagtailadmin_pages:delete", args=[explainer.pk]))
    assert not ExplainerPage.objects.filter(pk=explainer.pk).exists()
    assert fresh(client, explainer.url).status_code == 404
    for url in (explainer_index().url, FEED, PAGES_API):
        assert "Are they talking?" not in fresh(client, url).content.decode(), url


def test_a_claim_decision_purges_the_pages_citing_it_and_their_listings(
    client, verifier, explainer, verified_claim
):
    other = explainer_page(title="Unrelated", tags=["other"])
    warm(client, [explainer.url, explainer_index().url, other.url, tag_url("other")])
    verified(Claim.objects.get(pk=verified_claim.pk), verifier, Claim.Status.UNVERIFIED, "Doubt.")
    assert "claim--unverified" in fresh(client, explainer.url).content.decode()
    fresh(client, explainer_index().url)
    # Exactly: a page that does not cite the claim, and a listing it is not in, stay kept.
    assert client.get(other.url)["X-Page-Cache"] == "hit"
    assert client.get(tag_url("other"))["X-Page-Cache"] == "hit"


def test_a_source_reimport_purges_the_pages_quoting_it(client, explainer, verified_claim):
    warm(client, [explainer.url])
    source = Source.objects.get(pk=verified_claim.evidence.first().source_id)
    source.title = "Re-imported title"
    save_source(source)
    assert "Re-imported title" in fresh(client, explainer.url).content.decode()


def test_a_related_stories_regeneration_purges_the_widget(client, verified_claim, explainer):
    other = explainer_page(
        title="Also about talks", body=[cited_claim_block(verified_claim)], tags=["diplomacy"]
    )
    regenerate_related([explainer.pk, other.pk])
    warm(client, [explainer.url])
    ExplainerPage.objects.filter(pk=other.pk).update(title="Retitled story")
    other = ExplainerPage.objects.get(pk=other.pk)
    other.save_revision().publish()
    regenerate_related([explainer.pk])
    assert "Retitled story" in fresh(client, explainer.url).content.decode()


def test_a_correction_purges_the_page_and_the_corrections(
    client, verifier_client, explainer, verified_claim
):
    warm(client, [explainer.url, "/corrections/", "/feeds/corrections.rss"])
    page = revised(explainer, standfirst="Corrected standfirst.")
    data = edit_data(page, [verified_claim])
    data["correction_note"] = "We misnamed the city."
    post_edit(verifier_client, page, data)
    assert "We misnamed the city." in fresh(client, explainer.url).content.decode()
    assert "We misnamed the city." in fresh(client, "/corrections/").content.decode()
    assert "We misnamed the city." in fresh(client, "/feeds/corrections.rss").content.decode()


def test_a_tag_change_purges_both_tag_pages(client, verifier_client, explainer, verified_claim):
    warm(client, [tag_url(), explainer.url])
    page = revised(explainer)
    data = {**edit_data(page, [verified_claim]), "tags": "summits"}
    post_edit(verifier_client, page, data)
    assert fresh(client, tag_url()).status_code == 404
    assert "Are they talking?" in fresh(client, tag_url("summits")).content.decode()
    assert "summits" in fresh(client, explainer.url).content.decode()


# The edge, for a CDN that purges by URL only.


class RecordingBackend(BaseBackend):
    """A frontend cache backend that purges by URL and records what it was sent."""

    purged: list[str] = []

    def purge(self, url):
        RecordingBackend.purged.append(url)


@override_settings(
    WAGTAILFRONTENDCACHE={
        "cdn": {"BACKEND": "tests.explainers.test_page_cache.RecordingBackend"},
    }
)
def test_a_backend_purging_by_url_gets_the_urls_of_what_changed(committed, explainer):
    RecordingBackend.purged = []
    with committed():
        revised(explainer, title="For the CDN").save_revision().publish()
    root = explainer.get_site().root_url
    index = explainer_index()
    assert {
        explainer.full_url,
        index.full_url,
        root + tag_url(),
        root + FEED,
        root + "/feeds/explainers.atom",
        root + SITEMAP,
        root + "/corrections/",
    } <= set(RecordingBackend.purged)

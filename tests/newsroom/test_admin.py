"""The evidence desk through the Wagtail admin, as a logged-in editor."""

import pytest
from django.urls import reverse

from newsroom.desk.models import Claim, Evidence, Outlet, Source
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    snippet_url,
)

pytestmark = pytest.mark.django_db


def evidence_formset(rows):
    data = {
        "evidence-TOTAL_FORMS": str(len(rows)),
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"evidence-{index}-{key}"] = value
        data[f"evidence-{index}-ORDER"] = str(index + 1)
    return data


def test_editor_creates_an_outlet(editor_client):
    response = editor_client.post(
        snippet_url("outlet", "add"),
        {"name": "The Kyiv Independent", "domain": "kyivindependent.com", "country": "Ukraine"},
    )
    assert (response.status_code, response["Location"]) == (302, snippet_url("outlet", "list"))
    outlet = Outlet.objects.get(name="The Kyiv Independent")
    assert outlet.domain == "kyivindependent.com"


def test_editor_creates_a_source_by_hand(editor_client):
    outlet = OutletFactory(name="Wire")
    fields = {
        "title": "Kremlin open to talks",
        "outlet": outlet.pk,
        "url": "https://example.org/kremlin",
        "kind": "article",
        "language": "en",
        "published_on": "2025-12-21",
        "date_precision": "day",
        "tags": "france, russia",
        "original_text": "Peskov said Putin was ready for dialogue.",
    }
    # Pasted text goes through the importer: a preview first (tests/newsroom/test_source_admin.py).
    previewed = editor_client.post(snippet_url("source", "add"), {**fields, "preview": "1"})
    assert previewed.context["preview"] is not None, previewed.context["form"].errors
    text_hash = previewed.context["form"].text_hash
    response = editor_client.post(snippet_url("source", "add"), {**fields, "previewed": text_hash})
    assert response.status_code == 302, response.context["form"].errors
    source = Source.objects.get(title="Kremlin open to talks")
    assert response["Location"] == snippet_url("source", "inspect", source.pk)
    assert source.outlet == outlet
    assert source.body == "Peskov said Putin was ready for dialogue."
    assert sorted(source.tags.names()) == ["france", "russia"]
    assert len(source.content_hash) == 64


def test_source_text_is_not_editable_after_creation(editor_client):
    source = SourceFactory(original_text="Original words.", body="Original words.")
    response = editor_client.get(snippet_url("source", "edit", source.pk))
    assert response.status_code == 200
    assert "original_text" not in response.context["form"].fields
    response = editor_client.post(
        snippet_url("source", "edit", source.pk),
        {"title": "Retitled", "kind": "article", "original_text": "Forged words."},
    )
    assert (response.status_code, response["Location"]) == (302, snippet_url("source", "list"))
    source.refresh_from_db()
    assert source.title == "Retitled"
    assert source.original_text == "Original words."


def test_empty_urls_do_not_collide():
    SourceFactory(url="")
    SourceFactory(url="")
    assert Source.objects.filter(url__isnull=True).count() == 2


def test_editor_creates_a_claim_with_two_evidence_rows(editor_client, editor):
    first, second = SourceFactory(), SourceFactory()
    data = {
        "statement": "Putin said he was ready for dialogue with Macron.",
        "tags": "diplomacy",
        "action-publish": "publish",
        **evidence_formset(
            [
                {
                    "source": first.pk,
                    "quote": "Putin was ready for dialogue with Macron",
                    "stance": "supports",
                },
                {
                    "source": second.pk,
                    "quote": "any talks would be held in full transparency",
                    "stance": "context",
                },
            ]
        ),
    }
    response = editor_client.post(snippet_url("claim", "add"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == snippet_url("claim", "list")
    claim = Claim.objects.get(statement__startswith="Putin said")
    assert claim.live
    assert claim.created_by == editor
    assert claim.status == Claim.Status.UNVERIFIED
    rows = list(claim.evidence.order_by("sort_order"))
    assert [row.source for row in rows] == [first, second]
    assert rows[0].anchored_text == "Putin was ready for dialogue with Macron"
    assert rows[1].stance == Evidence.Stance.CONTEXT


def test_a_quote_not_in_the_source_is_refused_and_nothing_is_saved(editor_client):
    source = SourceFactory()
    data = {
        "statement": "A claim with a made-up quote.",
        "action-publish": "publish",
        **evidence_formset(
            [
                {
                    "source": source.pk,
                    "quote": "Macron flew to Moscow on Tuesday",
                    "stance": "supports",
                }
            ]
        ),
    }
    response = editor_client.post(snippet_url("claim", "add"), data)
    assert response.status_code == 200
    assert "is not in" in response.content.decode()
    assert not Claim.objects.exists()


def test_status_cannot_be_forged_through_the_edit_form(editor_client):
    claim = ClaimFactory()
    data = {"statement": "Reworded.", "status": "verified", **evidence_formset([])}
    response = editor_client.post(snippet_url("claim", "edit", claim.pk), data)
    # The form was accepted (saved as a draft, so Wagtail stays on the edit page)...
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == snippet_url("claim", "edit", claim.pk)
    claim.refresh_from_db()
    assert claim.latest_revision.as_object().statement == "Reworded."
    # ...but the status it carried was not.
    assert claim.status == Claim.Status.UNVERIFIED
    assert claim.latest_revision.as_object().status == Claim.Status.UNVERIFIED


def test_claim_list_filters_by_status_and_tag_and_searches(editor_client):
    verified = ClaimFactory(statement="Peskov spoke to state media.", status="verified")
    verified.tags.add("kremlin")
    verified.save()
    other = ClaimFactory(statement="Macron called Zelensky.")

    response = editor_client.get(snippet_url("claim", "list"), {"status": "verified"})
    assert list(response.context["object_list"]) == [verified]

    response = editor_client.get(snippet_url("claim", "list"), {"tag": "Kremlin"})
    assert list(response.context["object_list"]) == [verified]

    response = editor_client.get(snippet_url("claim", "list"), {"q": "Zelensky"})
    assert list(response.context["object_list"]) == [other]


def test_source_list_filters_by_kind_outlet_date_and_tag(editor_client):
    kyiv = OutletFactory(name="Kyiv Independent")
    article = SourceFactory(outlet=kyiv, published_on="2025-12-21", title="Article")
    article.tags.add("ukraine")
    article.save()
    transcript = SourceFactory(kind="transcript", published_on="2025-07-01", title="Video")

    def listed(**params):
        response = editor_client.get(snippet_url("source", "list"), params)
        assert response.status_code == 200
        return set(response.context["object_list"])

    assert listed(kind="transcript") == {transcript}
    assert listed(outlet=kyiv.pk) == {article}
    assert listed(published_on_from="2025-12-01") == {article}
    assert listed(tag="Ukraine") == {article}
    assert listed(q="Video") == {transcript}


def test_source_view_lists_the_claims_citing_it(editor_client):
    evidence = EvidenceFactory()
    uncited = ClaimFactory(statement="A claim about something else.")
    response = editor_client.get(snippet_url("source", "inspect", evidence.source.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert evidence.claim.statement in content
    assert uncited.statement not in content
    assert "Putin was ready for dialogue with Macron" in content


@pytest.mark.parametrize(
    ("target", "refused_to"),
    [
        # The desk's own rule: back to the source, with a message naming the claims.
        ("source", lambda source: snippet_url("source", "edit", source.pk)),
        # Sources protect their outlet: Wagtail refuses, as it refuses any forbidden action.
        ("outlet", lambda outlet: reverse("wagtailadmin_home")),
    ],
)
def test_deleting_what_evidence_cites_is_refused(editor_client, target, refused_to):
    evidence = EvidenceFactory()
    obj = evidence.source if target == "source" else evidence.source.outlet
    response = editor_client.post(snippet_url(target, "delete", obj.pk))
    assert response.status_code == 302
    assert response["Location"] == refused_to(obj)
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    page = editor_client.get(snippet_url(target, "delete", obj.pk)).content.decode()
    assert "prevent it from being deleted" in page


def test_deleting_an_uncited_source_works(editor_client):
    source = SourceFactory()
    response = editor_client.post(snippet_url("source", "delete", source.pk))
    assert (response.status_code, response["Location"]) == (302, snippet_url("source", "list"))
    assert not Source.objects.filter(pk=source.pk).exists()


def test_editors_cannot_reach_user_management(editor_client):
    response = editor_client.get(reverse("wagtailusers_users:index"))
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


@pytest.mark.parametrize(
    "url", ["/admin/snippets/newsroom/claim/add/", "/admin/snippets/newsroom/source/add/"]
)
def test_forms_do_not_autosave(editor_client, url):
    """Revisions are saved when an editor chooses to: no background save that could race a
    Publish into two copies of one claim, or add revisions nobody chose to make."""
    import re

    html = editor_client.get(url).content.decode()
    controllers = re.findall(r'data-controller="([^"]*w-unsaved[^"]*)"', html)
    assert controllers, "the form warns about unsaved changes"
    assert all("w-autosave" not in names.split() for names in controllers)
    assert "data-w-autosave-interval-value" not in html

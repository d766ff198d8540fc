"""The publish guard on the admin's other ways of putting a page live: copying with
"Publish copies" and bulk publishing. Each is refused with a message naming the claims in
the way, never a bare "permission denied", and puts nothing live that the guard refuses."""

import pytest
from django.urls import reverse

from explainers.models import ExplainerPage
from newsroom.desk.models import Claim
from tests.factories import (
    cited_claim_block,
    explainer_index,
    explainer_page,
    messages_of,
    verified,
)

pytestmark = pytest.mark.django_db


def copy_page(client, page, slug, publish_copies=True):
    data = {
        "new_title": f"Copy of {page.title}",
        "new_slug": slug,
        "new_parent_page": explainer_index().pk,
    }
    if publish_copies:
        data["publish_copies"] = "on"
    return client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), data, follow=True)


@pytest.fixture
def no_longer_verified(verified_claim, verifier):
    """A live explainer whose verified claim was later sent back to unverified."""
    page = explainer_page(title="Was verified", body=[cited_claim_block(verified_claim)])
    verified(verified_claim, verifier, Claim.Status.UNVERIFIED)
    return page


def test_publish_copies_is_refused_naming_the_claims(
    admin_client, no_longer_verified, verified_claim
):
    response = copy_page(admin_client, no_longer_verified, "copy-published")

    assert response.status_code == 200
    message = messages_of(response)
    assert "Nothing was copied" in message
    assert "“Was verified”" in message
    assert f"“{verified_claim}” (unverified)" in message
    assert not ExplainerPage.objects.filter(slug="copy-published").exists()


def test_copying_as_a_draft_still_works(admin_client, no_longer_verified):
    copy_page(admin_client, no_longer_verified, "copy-draft", publish_copies=False)
    copy = ExplainerPage.objects.get(slug="copy-draft")
    assert not copy.live


def test_publish_copies_works_when_the_guard_allows_it(admin_client, verified_claim):
    page = explainer_page(title="Sound", body=[cited_claim_block(verified_claim)])
    copy_page(admin_client, page, "sound-copy")
    assert ExplainerPage.objects.get(slug="sound-copy").live


def test_copying_in_code_makes_a_draft_when_the_guard_refuses(no_longer_verified, superuser):
    copy = no_longer_verified.copy(
        update_attrs={"title": "Code copy", "slug": "code-copy"}, keep_live=True, user=superuser
    )
    assert not ExplainerPage.objects.get(pk=copy.pk).live


# Bulk publishing.


def bulk_publish(client, pages, include_descendants=False):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = "&".join(f"id={page.pk}" for page in pages)
    data = {"include_descendants": "on"} if include_descendants else {}
    return client.post(f"{url}?{query}&next=/admin/", data, follow=True)


def test_a_refused_bulk_publish_names_the_claims_and_publishes_nothing(
    admin_client, verified_claim, unverified_claim
):
    refused = explainer_page(
        title="Cites the unverified", body=[cited_claim_block(unverified_claim)], publish=False
    )
    allowed = explainer_page(
        title="Cites the verified", body=[cited_claim_block(verified_claim)], publish=False
    )

    response = bulk_publish(admin_client, [refused, allowed])

    assert response.status_code == 200
    message = messages_of(response)
    assert "Nothing was published" in message
    assert "“Cites the unverified”" in message
    assert f"“{unverified_claim}” (unverified)" in message
    assert "Cites the verified" not in message
    assert not ExplainerPage.objects.get(pk=refused.pk).live
    assert not ExplainerPage.objects.get(pk=allowed.pk).live


def test_a_refused_draft_descendant_stops_a_bulk_publish_with_descendants(
    admin_client, unverified_claim
):
    refused = explainer_page(
        title="Under the index", body=[cited_claim_block(unverified_claim)], publish=False
    )
    response = bulk_publish(admin_client, [explainer_index()], include_descendants=True)
    assert "“Under the index”" in messages_of(response)
    assert not ExplainerPage.objects.get(pk=refused.pk).live


def test_a_bulk_publish_the_guard_allows_publishes(admin_client, verified_claim):
    pages = [
        explainer_page(title=f"Fine {n}", body=[cited_claim_block(verified_claim)], publish=False)
        for n in range(2)
    ]
    response = bulk_publish(admin_client, pages)
    assert "2 pages have been published" in messages_of(response)
    assert all(ExplainerPage.objects.get(pk=page.pk).live for page in pages)

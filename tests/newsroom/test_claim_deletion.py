"""A claim a live explainer cites cannot be deleted from the admin, singly or in bulk: the
refusal names the explainers. Uncited claims, and claims only drafts cite, delete as before,
and who may delete is unchanged."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from newsroom.desk.models import Claim
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    admin_login_url,
    cited_claim_block,
    claim_url,
    explainer_page,
    logged_in_client,
    messages_of,
)

pytestmark = pytest.mark.django_db


def claim(statement):
    return EvidenceFactory(claim=ClaimFactory(statement=statement)).claim


def cite(title, *claims, publish=True):
    return explainer_page(
        title,
        body=[cited_claim_block(claim, show_as_unverified=True) for claim in claims],
        publish=publish,
    )


def bulk_delete_url(*claims):
    url = reverse("wagtail_bulk_action", args=["newsroom", "claim", "delete"])
    return url + "?" + "&".join(f"id={claim.pk}" for claim in claims) + "&next=/admin/"


def assert_refused(client, response, claim, back_to):
    """Deleting was refused: back to `back_to` (the claim's page, or the list after a bulk
    deletion) with the refusal's message, the claim still there. Returns the message."""
    assert (response.status_code, response["Location"]) == (302, back_to)
    assert Claim.objects.filter(pk=claim.pk).exists()
    return messages_of(client.get(back_to))


def test_deleting_a_claim_a_live_explainer_cites_is_refused_naming_it(editor_client):
    cited = claim("Peskov said Putin was ready for dialogue.")
    cite("What the Kremlin said", cited)
    cite("Where talks stand", cited)
    cite("Still a draft", cited, publish=False)

    response = editor_client.post(claim_url("delete", cited))

    message = assert_refused(editor_client, response, cited, claim_url("edit", cited))
    assert "Nothing was deleted" in message
    assert "“What the Kremlin said”, “Where talks stand”" in message
    assert "Still a draft" not in message
    # The confirmation page warns before anyone confirms.
    confirmation = editor_client.get(claim_url("delete", cited))
    assert confirmation.status_code == 200
    assert "Live explainers cite these claims" in messages_of(confirmation)


def test_a_private_live_explainer_counts_too(editor_client):
    cited = claim("Paris wants talks in full view of Kyiv.")
    page = cite("Embargoed", cited)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    response = editor_client.post(claim_url("delete", cited))
    assert "“Embargoed”" in assert_refused(editor_client, response, cited, claim_url("edit", cited))


def test_bulk_deleting_is_refused_if_any_claim_is_cited(editor_client):
    cited = claim("Cited claim.")
    uncited = claim("Nobody cites this.")
    cite("Live explainer", cited)

    response = editor_client.post(bulk_delete_url(cited, uncited))

    message = assert_refused(editor_client, response, cited, claim_url("list"))
    assert "“Cited claim.” is cited by “Live explainer”" in message
    assert "Nobody cites this." not in message
    assert Claim.objects.filter(pk__in=[cited.pk, uncited.pk]).count() == 2


def test_claims_no_live_explainer_cites_can_be_deleted(editor_client):
    uncited = claim("Nobody cites this.")
    drafted = claim("Only a draft cites this.")
    cite("Still a draft", drafted, publish=False)
    withdrawn = claim("Only an unpublished explainer cites this.")
    cite("Taken down", withdrawn).unpublish()

    response = editor_client.post(claim_url("delete", uncited))
    assert (response.status_code, response["Location"]) == (302, claim_url("list"))
    response = editor_client.post(bulk_delete_url(drafted, withdrawn))
    # The bulk action goes where its `next` says; a refusal would go to the claim list.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))

    assert not Claim.objects.filter(pk__in=[uncited.pk, drafted.pk, withdrawn.pk]).exists()


def test_who_may_delete_is_unchanged(client, editor):
    from django.contrib.auth.models import Permission

    cited = claim("Cited claim.")
    cite("Live explainer", cited)
    url = claim_url("delete", cited)
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, admin_login_url(url))

    editor.groups.clear()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    no_delete = logged_in_client(editor)
    response = no_delete.post(url)
    # Wagtail's own refusal, not the citation rule's.
    home = reverse("wagtailadmin_home")
    assert "Nothing was deleted" not in assert_refused(no_delete, response, cited, home)

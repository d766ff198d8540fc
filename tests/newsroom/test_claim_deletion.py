"""A claim a live explainer cites cannot be deleted from the admin, singly or in bulk: the
refusal names the explainers. Uncited claims, and claims only drafts cite, delete as before,
and who may delete is unchanged."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from newsroom.desk.models import Claim
from tests.factories import ClaimFactory, EvidenceFactory, cited_claim_block, explainer_page

pytestmark = pytest.mark.django_db


def claim(statement):
    return EvidenceFactory(claim=ClaimFactory(statement=statement)).claim


def cite(title, *claims, publish=True):
    return explainer_page(
        title,
        body=[cited_claim_block(claim, show_as_unverified=True) for claim in claims],
        publish=publish,
    )


def delete_url(claim):
    return reverse("wagtailsnippets_newsroom_claim:delete", args=[claim.pk])


def bulk_delete_url(*claims):
    url = reverse("wagtail_bulk_action", args=["newsroom", "claim", "delete"])
    return url + "?" + "&".join(f"id={claim.pk}" for claim in claims) + "&next=/admin/"


def messages_of(response):
    return " ".join(str(message) for message in response.context["messages"])


def test_deleting_a_claim_a_live_explainer_cites_is_refused_naming_it(editor_client):
    cited = claim("Peskov said Putin was ready for dialogue.")
    cite("What the Kremlin said", cited)
    cite("Where talks stand", cited)
    cite("Still a draft", cited, publish=False)

    response = editor_client.post(delete_url(cited), follow=True)

    assert response.status_code == 200
    message = messages_of(response)
    assert "Nothing was deleted" in message
    assert "“What the Kremlin said”, “Where talks stand”" in message
    assert "Still a draft" not in message
    assert Claim.objects.filter(pk=cited.pk).exists()
    # The confirmation page warns before anyone confirms.
    confirmation = editor_client.get(delete_url(cited))
    assert confirmation.status_code == 200
    assert "Live explainers cite these claims" in messages_of(confirmation)


def test_a_private_live_explainer_counts_too(editor_client):
    cited = claim("Paris wants talks in full view of Kyiv.")
    page = cite("Embargoed", cited)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    response = editor_client.post(delete_url(cited), follow=True)
    assert "“Embargoed”" in messages_of(response)
    assert Claim.objects.filter(pk=cited.pk).exists()


def test_bulk_deleting_is_refused_if_any_claim_is_cited(editor_client):
    cited = claim("Cited claim.")
    uncited = claim("Nobody cites this.")
    cite("Live explainer", cited)

    response = editor_client.post(bulk_delete_url(cited, uncited), follow=True)

    message = messages_of(response)
    assert "“Cited claim.” is cited by “Live explainer”" in message
    assert "Nobody cites this." not in message
    assert Claim.objects.filter(pk__in=[cited.pk, uncited.pk]).count() == 2


def test_claims_no_live_explainer_cites_can_be_deleted(editor_client):
    uncited = claim("Nobody cites this.")
    drafted = claim("Only a draft cites this.")
    cite("Still a draft", drafted, publish=False)
    withdrawn = claim("Only an unpublished explainer cites this.")
    cite("Taken down", withdrawn).unpublish()

    editor_client.post(delete_url(uncited))
    editor_client.post(bulk_delete_url(drafted, withdrawn))

    assert not Claim.objects.filter(pk__in=[uncited.pk, drafted.pk, withdrawn.pk]).exists()


def test_who_may_delete_is_unchanged(client, editor):
    from django.contrib.auth.models import Permission

    from tests.conftest import _client_for

    cited = claim("Cited claim.")
    cite("Live explainer", cited)
    response = client.post(delete_url(cited))
    assert response.status_code == 302 and "/login/" in response["Location"]

    editor.groups.clear()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    no_delete = _client_for(editor)
    response = no_delete.post(delete_url(cited), follow=True)
    assert "Nothing was deleted" not in " ".join(
        str(message) for message in response.context["messages"]
    )
    assert Claim.objects.filter(pk=cited.pk).exists()

"""Bulk work on claims through the admin's listing (issue #17, point 5): tag, submit for
verification (Claim review), withdraw. Each claim is judged on its own: those the user may
not act on, or the rules keep as they are, are listed as refused and left unchanged. There
is no bulk verify."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from newsroom.desk.models import Claim
from tests.factories import (
    ClaimFactory,
    UserFactory,
    admin_login_url,
    cited_claim_block,
    claim_url,
    claim_with_evidence,
    explainer_page,
    logged_in_client,
    verified,
)

pytestmark = pytest.mark.django_db


def bulk_url(action, *claims, raw_ids=()):
    ids = "&".join(f"id={claim.pk}" for claim in claims)
    ids += "".join(f"&id={value}" for value in raw_ids)
    return reverse("wagtail_bulk_action", args=["newsroom", "claim", action]) + "?" + ids


def messages_after(response):
    return " ".join(str(message) for message in response.wsgi_request._messages)


def live_claim(author, statement):
    claim = ClaimFactory(created_by=author, statement=statement)
    claim.save_revision(user=author).publish(user=author)
    return Claim.objects.get(pk=claim.pk)


def locked_by_someone_else(claim):
    someone = UserFactory(username="someone", groups=["Verifiers"])
    claim.locked, claim.locked_by, claim.locked_at = True, someone, timezone.now()
    claim.save(update_fields=["locked", "locked_by", "locked_at"])
    return claim


def live_tags(claim):
    return sorted(Claim.objects.get(pk=claim.pk).tags.names())


def draft_tags(claim):
    return sorted(Claim.objects.get(pk=claim.pk).get_latest_revision_as_object().tags.names())


def test_tagging_claims(editor, editor_client):
    plain = live_claim(editor, "Putin is ready to talk.")
    drafted = live_claim(editor, "Macron will call.")
    drafted.statement = "Macron will call Putin."
    drafted.save_revision(user=editor)
    locked = locked_by_someone_else(live_claim(editor, "Kyiv must be at the table."))
    url = bulk_url("tag_claims", plain, drafted, locked)

    confirmation = editor_client.get(url)
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Add these tags to the claims below?" in page
    assert "“Kyiv must be at the table.”: It is locked." in page

    response = editor_client.post(url, {"tags": "ukraine, talks"})
    assert response.status_code == 302
    assert "Tags added to 2 claims." in messages_after(response)
    assert "Left unchanged: “Kyiv must be at the table.”: It is locked." in messages_after(response)
    # Live at once for a claim with nothing else pending; in the draft for the other.
    assert live_tags(plain) == ["talks", "ukraine"] == draft_tags(plain)
    assert live_tags(drafted) == [] and draft_tags(drafted) == ["talks", "ukraine"]
    assert Claim.objects.get(pk=drafted.pk).statement == "Macron will call."
    assert live_tags(locked) == [] == draft_tags(locked)


def test_tagging_a_decided_claim_keeps_its_decision(editor, verifier, editor_client):
    claim = verified(claim_with_evidence(editor, ("supports", "supports")), verifier)
    editor_client.post(bulk_url("tag_claims", claim), {"tags": "talks"})
    after = Claim.objects.get(pk=claim.pk)
    assert after.status == Claim.Status.VERIFIED and live_tags(after) == ["talks"]


def test_tagging_needs_a_tag(editor, editor_client):
    claim = live_claim(editor, "Putin is ready to talk.")
    response = editor_client.post(bulk_url("tag_claims", claim), {"tags": " , "})
    assert response.status_code == 200 and response.context["form"].errors
    assert claim.revisions.count() == 1


def test_submitting_claims_for_verification(editor, editor_client, verifier):
    fresh = ClaimFactory(created_by=editor, statement="Putin is ready to talk.")
    published = live_claim(editor, "Macron will call.")
    in_review = live_claim(editor, "Kyiv must be at the table.")
    in_review.get_workflow().start(in_review, editor)
    decided = verified(claim_with_evidence(editor, ("supports", "supports")), verifier)
    url = bulk_url("submit_claims", fresh, published, in_review, decided)

    page = editor_client.get(url).content.decode()
    assert "“Kyiv must be at the table.”: A change to it is waiting in Claim review." in page
    assert "It is already verified, with no change since to review." in page

    response = editor_client.post(url)
    assert response.status_code == 302
    assert "2 claims submitted to Claim review." in messages_after(response)
    for claim in (fresh, published):
        claim = Claim.objects.get(pk=claim.pk)
        assert claim.workflow_in_progress
        state = claim.current_workflow_state
        assert state.requested_by == editor
        assert state.current_task_state.revision == claim.get_latest_revision()
    # The verifier finds them among the tasks they may approve.
    task = Claim.objects.get(pk=fresh.pk).current_workflow_task
    assert task.specific.user_can_access_editor(fresh, verifier)
    assert Claim.objects.get(pk=in_review.pk).workflow_states.count() == 1
    assert not Claim.objects.get(pk=decided.pk).workflow_in_progress


def test_withdrawing_claims(editor, editor_client):
    spare = live_claim(editor, "Nobody cites this claim.")
    cited = live_claim(editor, "Putin is ready to talk.")
    explainer_page("Where the talks stand", body=[cited_claim_block(cited, True)])
    draft = ClaimFactory(created_by=editor, statement="A draft.", live=False)
    url = bulk_url("withdraw_claims", spare, cited, draft)

    page = editor_client.get(url).content.decode()
    assert "is cited by “Where the talks stand”" in page
    assert "“A draft.”: It is not published." in page

    response = editor_client.post(url)
    assert response.status_code == 302
    assert "1 claim withdrawn." in messages_after(response)
    assert not Claim.objects.get(pk=spare.pk).live
    assert Claim.objects.get(pk=cited.pk).live


def test_a_user_without_claim_permissions_is_refused_every_claim(editor):
    claim = live_claim(editor, "Putin is ready to talk.")
    looker = UserFactory(username="looker")
    looker.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_claim"])
    )
    client = logged_in_client(looker)
    for action in ("tag_claims", "submit_claims", "withdraw_claims"):
        url = bulk_url(action, claim)
        page = client.get(url).content.decode()
        assert "You do not have permission to do this to it." in page
        response = client.post(url, {"tags": "talks"})
        assert response.status_code == 302
        assert "Nothing was done." in messages_after(response)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.live and not claim.workflow_in_progress and live_tags(claim) == []
    assert claim.revisions.count() == 1


def test_anonymous_users_and_forged_ids(client, editor_client, editor):
    claim = live_claim(editor, "Putin is ready to talk.")
    url = bulk_url("withdraw_claims", claim)
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, admin_login_url(url))
    assert Claim.objects.get(pk=claim.pk).live
    assert editor_client.get(bulk_url("withdraw_claims", raw_ids=["abc"])).status_code == 400
    assert editor_client.get(bulk_url("tag_claims", raw_ids=["99999999"])).status_code == 404


def test_there_is_no_bulk_verify(verifier_client, editor):
    claim = claim_with_evidence(editor, ("supports", "supports"))
    assert verifier_client.get(bulk_url("verify", claim)).status_code == 404
    actions = bulk_action_registry.get_bulk_actions_for_model("newsroom", "claim")
    assert sorted(action.action_type for action in actions) == [
        "delete",
        "submit_claims",
        "tag_claims",
        "withdraw_claims",
    ]
    listing = verifier_client.get(claim_url("list")).content.decode()
    assert "Submit for verification" in listing and "Withdraw" in listing

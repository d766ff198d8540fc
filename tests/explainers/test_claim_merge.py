"""Merging a duplicate claim B into claim A through the admin (issue #17, point 3): B's
citations move to A in every explainer (a live one is published again, a draft saved again),
the publish guard holds (a merge it would refuse changes nothing and names the explainers),
related stories follow, B's quotes are offered to A as new evidence, B is withdrawn and
/api/claims/<B>/ answers 301 to A, and both histories and the audit log record it."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from explainers.citations import iter_cited_claims
from explainers.models import Correction, ExplainerPage, RelatedStory
from newsroom.desk.actions.claim_merges import MERGED
from newsroom.desk.models import Claim
from tests.factories import (
    UserFactory,
    cited_claim_block,
    claim_url,
    claim_with_evidence,
    explainer_page,
    logged_in_client,
    messages_of,
    verified,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def merger(db):
    """The verifier who merges: neither author nor earlier verifier of either claim."""
    return UserFactory(username="merger", groups=["Verifiers"])


@pytest.fixture
def merger_client(merger):
    return logged_in_client(merger)


@pytest.fixture
def claim_a(editor, verifier):
    claim = claim_with_evidence(editor, ("supports", "supports"), statement="Putin will talk.")
    return verified(claim, verifier)


@pytest.fixture
def claim_b(editor, verifier):
    claim = claim_with_evidence(
        editor, ("supports", "supports", "context"), statement="Putin is ready to talk."
    )
    return verified(claim, verifier)


def cited(stream_data):
    return [pk for pk, _ in iter_cited_claims(stream_data)]


def latest(page):
    return ExplainerPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def merge(client, claim_b, claim_a, confirmed=True):
    data = {"target": claim_a.pk, **({"confirmed": "True"} if confirmed else {})}
    return client.post(claim_url("merge", claim_b), data)


@pytest.fixture
def explainers(claim_a, claim_b):
    """A live explainer citing B with a newer draft (retitled), a draft citing B, and a
    live explainer citing A."""
    live = explainer_page("Where the talks stand", body=[cited_claim_block(claim_b)])
    live.title = "Where the talks stand now"
    live.save_revision()
    draft = explainer_page("Talks, a draft", body=[cited_claim_block(claim_b)], publish=False)
    other = explainer_page("Kremlin's offer", body=[cited_claim_block(claim_a)])
    return live, draft, other


def test_the_confirmation_step_lists_what_will_happen(merger_client, claim_a, claim_b, explainers):
    response = merge(merger_client, claim_b, claim_a, confirmed=False)
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [(move.title, move.publishes, move.drafts) for move in plan.moves] == [
        ("Where the talks stand now", True, True),
        ("Talks, a draft", False, True),
    ]
    assert len(plan.offered) == 3 and plan.problems == []
    page = response.content.decode()
    assert "“Where the talks stand now”: a new version is published citing it instead" in page
    assert "offered to “Putin will talk.” as new evidence" in page
    # Nothing changed yet.
    assert Claim.objects.get(pk=claim_b.pk).live
    assert cited(ExplainerPage.objects.get(pk=explainers[0].pk).body.raw_data) == [claim_b.pk]


def test_merging_moves_citations_offers_evidence_and_withdraws(
    merger_client, merger, claim_a, claim_b, explainers, committed, client
):
    live, draft, other = explainers
    assert not RelatedStory.objects.filter(page=other, related_page=live, shared_claims=1)
    with committed():
        response = merge(merger_client, claim_b, claim_a)
    assert (response.status_code, response["Location"]) == (302, claim_url("edit", claim_a))

    # The live explainer was published again citing A; its draft stays its latest revision,
    # retitled as the editor left it, and cites A too. The draft explainer cites A.
    page = ExplainerPage.objects.get(pk=live.pk)
    assert cited(page.body.raw_data) == [claim_a.pk] and page.title == "Where the talks stand"
    assert page.has_unpublished_changes
    assert cited(latest(live).body.raw_data) == [claim_a.pk]
    assert latest(live).title == "Where the talks stand now"
    assert cited(latest(draft).body.raw_data) == [claim_a.pk]
    # A page never published keeps its draft in its row too, as Wagtail's edit view saves it.
    draft_row = ExplainerPage.objects.get(pk=draft.pk)
    assert not draft_row.live and cited(draft_row.body.raw_data) == [claim_a.pk]
    # Readers are told, and the reader's page shows A.
    correction = Correction.objects.get(page=live)
    assert "was merged into “Putin will talk.”" in correction.text
    assert "Putin will talk." in client.get(page.url).content.decode()
    # Related stories follow: the two live explainers now share claim A.
    assert RelatedStory.objects.get(page=other, related_page=live).shared_claims == 1

    # B's quotes are offered to A: A's readers keep the verified version while a verifier
    # other than the merger reviews the change (four eyes).
    a = Claim.objects.get(pk=claim_a.pk)
    assert a.status == Claim.Status.VERIFIED and a.evidence.count() == 2
    assert a.workflow_in_progress
    assert a.get_latest_revision_as_object().evidence.count() == 5

    # B is withdrawn and merged; both histories and the audit log say so.
    b = Claim.objects.get(pk=claim_b.pk)
    assert not b.live and b.merged_into == a
    assert b.verifications.first().merge and "Merged into “Putin will talk.”" in (
        b.verifications.first().note
    )
    assert a.verifications.first().merge
    assert "“Putin is ready to talk.”" in a.verifications.first().note
    assert a.verifications.first().fingerprint == a.evidence_fingerprint()
    for claim in (a, b):
        entry = ModelLogEntry.objects.get(object_id=str(claim.pk), action=MERGED)
        assert entry.user == merger and entry.data == {
            "merged": b.pk,
            "into": a.pk,
            "note": entry.data["note"],
        }
    assert PageLogEntry.objects.filter(page=live, action="wagtail.publish", user=merger).exists()


def test_the_api_redirects_a_merged_claim(merger_client, claim_a, claim_b, explainers, client):
    with_b = client.get(reverse("verified-claim-detail", args=[claim_b.pk]))
    assert with_b.status_code == 200
    merge(merger_client, claim_b, claim_a)
    response = client.get(reverse("verified-claim-detail", args=[claim_b.pk]))
    assert response.status_code == 301
    assert response["Location"].endswith(reverse("verified-claim-detail", args=[claim_a.pk]))
    assert client.get(response["Location"]).status_code == 200


def test_a_merge_the_guard_would_refuse_names_the_explainers_and_changes_nothing(
    merger_client, editor, verifier, claim_b
):
    unverified = claim_with_evidence(editor, ("supports",), statement="Putin may talk.")
    live = explainer_page("Where the talks stand", body=[cited_claim_block(claim_b)])
    labelled = explainer_page(
        "Labelled", body=[cited_claim_block(claim_b, show_as_unverified=True)]
    )
    revisions = {page.pk: page.revisions.count() for page in (live, labelled)}

    response = merge(merger_client, claim_b, unverified)

    assert response.status_code == 200
    message = messages_of(response)
    assert "Nothing was merged." in message
    assert "“Where the talks stand”" in message and "“Putin may talk.” (unverified)" in message
    assert "“Labelled”" not in message
    b = Claim.objects.get(pk=claim_b.pk)
    assert b.live and b.merged_into is None and not b.verifications.filter(merge=True)
    for page in (live, labelled):
        page = ExplainerPage.objects.get(pk=page.pk)
        assert cited(page.body.raw_data) == [claim_b.pk]
        assert page.revisions.count() == revisions[page.pk]
    assert not ModelLogEntry.objects.filter(action=MERGED).exists()
    assert Claim.objects.get(pk=unverified.pk).evidence.count() == 1


def test_merging_into_an_unverified_claim_is_allowed_where_citations_are_labelled(
    merger_client, editor, claim_b
):
    unverified = claim_with_evidence(editor, ("supports",), statement="Putin may talk.")
    labelled = explainer_page(
        "Labelled", body=[cited_claim_block(claim_b, show_as_unverified=True)]
    )
    response = merge(merger_client, claim_b, unverified)
    assert response.status_code == 302
    page = ExplainerPage.objects.get(pk=labelled.pk)
    assert list(iter_cited_claims(page.body.raw_data)) == [(unverified.pk, True)]
    # An unverified claim takes new quotes at once: no decision rests on them.
    assert Claim.objects.get(pk=unverified.pk).evidence.count() == 4


def test_editors_and_strangers_cannot_merge(editor_client, client, claim_a, claim_b):
    url = claim_url("merge", claim_b)
    assert editor_client.get(url)["Location"] == reverse("wagtailadmin_home")
    assert editor_client.post(url, {"target": claim_a.pk, "confirmed": "True"}).status_code == 302
    assert client.post(url, {"target": claim_a.pk, "confirmed": "True"}).status_code == 302
    assert Claim.objects.get(pk=claim_b.pk).merged_into is None


def test_a_verifier_who_may_not_change_claims_cannot_merge(claim_a, claim_b):
    user = UserFactory(username="verify-only")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "verify_claim", "view_claim"])
    )
    response = logged_in_client(user).post(
        claim_url("merge", claim_b), {"target": claim_a.pk, "confirmed": "True"}
    )
    assert response.status_code in (302, 403)
    assert Claim.objects.get(pk=claim_b.pk).merged_into is None


@pytest.mark.parametrize("target", ["abc", "99999999999999999999", "0", "999999"])
def test_a_forged_target_is_a_form_error(merger_client, claim_b, target):
    response = merger_client.post(claim_url("merge", claim_b), {"target": target})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Claim.objects.get(pk=claim_b.pk).merged_into is None


def test_merging_a_claim_into_itself_or_a_missing_claim_is_refused(merger_client, claim_b):
    response = merger_client.post(
        claim_url("merge", claim_b), {"target": claim_b.pk, "confirmed": "True"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    missing = reverse("wagtailsnippets_newsroom_claim:merge", args=[999_999])
    assert merger_client.get(missing).status_code == 404


def test_the_form_offers_the_claim_chooser(merger_client, claim_b):
    response = merger_client.get(claim_url("merge", claim_b))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="target"' in page and "wagtailsnippets/js/snippet-chooser.js" in page
    assert "Merge into another claim" in page


def test_only_verifiers_see_the_merge_button(merger_client, editor_client, claim_b):
    merge_url = claim_url("merge", claim_b)
    assert merge_url in merger_client.get(claim_url("edit", claim_b)).content.decode()
    assert merge_url not in editor_client.get(claim_url("edit", claim_b)).content.decode()


def test_a_publication_refused_while_moving_undoes_the_whole_merge(
    merger_client, editor, claim_b, monkeypatch
):
    """The publish path's own guard is the last word: were the confirmation's check to miss
    a refusal, the explainer moved before it is put back as it was, with everything else."""
    from explainers import claim_merges

    monkeypatch.setattr(claim_merges, "refusal", lambda *args: "")
    unverified = claim_with_evidence(editor, ("supports",), statement="Putin may talk.")
    labelled = explainer_page(
        "Labelled", body=[cited_claim_block(claim_b, show_as_unverified=True)]
    )
    unlabelled = explainer_page("Where the talks stand", body=[cited_claim_block(claim_b)])
    revisions = {page.pk: page.revisions.count() for page in (labelled, unlabelled)}

    response = merge(merger_client, claim_b, unverified)

    assert response.status_code == 200
    message = messages_of(response)
    assert "Nothing was merged." in message and "“Where the talks stand”:" in message
    for page in (labelled, unlabelled):
        page = ExplainerPage.objects.get(pk=page.pk)
        assert cited(page.body.raw_data) == [claim_b.pk]
        assert page.revisions.count() == revisions[page.pk]
    assert not Correction.objects.exists()
    b = Claim.objects.get(pk=claim_b.pk)
    assert b.live and b.merged_into is None


def test_the_inspect_page_shows_the_merge_in_both_histories(merger_client, claim_a, claim_b):
    merge(merger_client, claim_b, claim_a)
    for claim, says in (
        (claim_b, "Merged into “Putin will talk.”"),
        (claim_a, "“Putin is ready to talk.” (claim"),
    ):
        page = merger_client.get(claim_url("inspect", claim)).content.decode()
        assert "Merge (verified kept) by merger" in page and says in page

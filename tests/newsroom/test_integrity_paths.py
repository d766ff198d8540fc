"""Every path that changes a source, an outlet or a claim keeps decisions honest: a revert
re-anchors quotes, an outlet change or merge re-checks the claims it undoes, a re-import
keeps what an editor filled in, a verifier never decides on words they did not see, a
quote's note reopens a decision, and a claim live explainers cite is not withdrawn under
them. Each through the admin or the import command."""

import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from newsroom.desk.models import Claim, Evidence, Outlet, Source
from newsroom.desk.verification import verify_claim
from tests.explainers.related_site import explainer
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    import_text,
    messages_of,
    snippet_url,
    source_form_data,
)
from tests.newsroom.test_reimport_recheck import SAID, TEXT

pytestmark = pytest.mark.django_db

LEAD = "A new opening paragraph pushes every later sentence further down the page.\n\n"


def assert_back_at_list(response, model):
    """Wagtail took the form and went back to the list of `model` snippets."""
    assert (response.status_code, response.get("Location")) == (302, snippet_url(model, "list"))


def cite(claim, source, quote=SAID, stance=Evidence.Stance.SUPPORTS):
    return EvidenceFactory(claim=claim, source=source, quote=quote, stance=stance)


def claim_on_two_outlets(editor, verifier):
    """A claim verified on quotes from two sources of two outlets."""
    claim = ClaimFactory(created_by=editor, statement="Putin is open to talks with Macron.")
    first = SourceFactory(body=f"Peskov: {SAID}.", original_text=f"Peskov: {SAID}.")
    second = SourceFactory(body=f"TASS: {SAID}.", original_text=f"TASS: {SAID}.")
    cite(claim, first)
    cite(claim, second)
    claim.save_revision(user=editor).publish(user=editor)
    verify_claim(claim, verifier, Claim.Status.VERIFIED, "Two outlets.")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED
    return claim, first, second


def assert_rechecked(claim, words):
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK
    latest = claim.verifications.order_by("-pk").first()
    assert latest.status == Claim.Status.NEEDS_RECHECK
    assert words in latest.note
    assert ModelLogEntry.objects.filter(
        object_id=str(claim.pk), action="newsroom.claim.needs_recheck"
    ).exists()


# A source's text: one path, whichever way it comes.


def test_reverting_a_source_reanchors_its_quotes_in_the_text_it_reverts_to(
    run_import, tmp_path, editor, verifier, admin_client
):
    story = tmp_path / "kremlin.txt"
    import_text(run_import, story, TEXT)
    source = Source.objects.get()
    first_revision = source.latest_revision
    claim = ClaimFactory(created_by=editor)
    evidence = cite(claim, source)
    verify_claim(claim, verifier, Claim.Status.VERIFIED, "Kremlin only.", single_source=True)
    import_text(run_import, story, LEAD + TEXT)
    evidence.refresh_from_db()
    assert evidence.start_offset > len(LEAD) - 5

    url = snippet_url("source", "revisions_revert", source.pk, first_revision.pk)
    response = admin_client.post(url, source_form_data(source))

    assert_back_at_list(response, "source")
    source.refresh_from_db()
    assert LEAD.strip() not in source.body
    evidence.refresh_from_db()
    # Readers and the API show the passage at the stored offsets: it is the quote again.
    assert evidence.anchored_text == SAID
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED


def test_reverting_a_source_to_text_without_the_quote_sends_its_claim_to_recheck(
    run_import, tmp_path, editor, verifier, admin_client
):
    story = tmp_path / "kremlin.txt"
    import_text(run_import, story, TEXT.replace("Putin is ready", "Putin is not ready"))
    source = Source.objects.get()
    first_revision = source.latest_revision
    import_text(run_import, story, TEXT)
    source.refresh_from_db()
    claim = ClaimFactory(created_by=editor)
    evidence = cite(claim, source)
    verify_claim(claim, verifier, Claim.Status.VERIFIED, "Kremlin only.", single_source=True)

    url = snippet_url("source", "revisions_revert", source.pk, first_revision.pk)
    assert_back_at_list(admin_client.post(url, source_form_data(source)), "source")

    evidence.refresh_from_db()
    assert not evidence.is_anchored
    assert_rechecked(claim, "no longer has word for word")


# The outlet rule, after the decision.


def test_changing_a_sources_outlet_in_the_admin_rechecks_claims_it_undoes(
    editor, verifier, admin_client
):
    claim, first, second = claim_on_two_outlets(editor, verifier)

    url = snippet_url("source", "edit", second.pk)
    response = admin_client.post(url, source_form_data(second, outlet=first.outlet_id))

    assert_back_at_list(response, "source")
    assert_rechecked(claim, "The outlet of “")
    assert "different outlets; this one has 1" in claim.verifications.first().note


def test_changing_an_outlet_that_still_leaves_two_keeps_the_claim_verified(
    editor, verifier, admin_client
):
    claim, first, second = claim_on_two_outlets(editor, verifier)
    third = OutletFactory(name="Reuters")

    response = admin_client.post(
        snippet_url("source", "edit", second.pk), source_form_data(second, outlet=third.pk)
    )

    assert_back_at_list(response, "source")
    second.refresh_from_db()
    assert second.outlet == third
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED


def test_merging_outlets_in_the_admin_rechecks_claims_and_keeps_the_names(
    editor, verifier, admin_client, run_import, tmp_path
):
    claim, first, second = claim_on_two_outlets(editor, verifier)
    merged = second.outlet
    merged.domain = "tass.com"
    merged.save()
    merged_name = merged.name

    url = snippet_url("outlet", "merge", merged.pk)
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"target": first.outlet_id})

    assert response.status_code == 302
    assert response.url == snippet_url("outlet", "edit", first.outlet_id)
    assert not Outlet.objects.filter(pk=merged.pk).exists()
    second.refresh_from_db()
    assert second.outlet_id == first.outlet_id
    assert_rechecked(claim, f"“{merged_name}” was merged into")
    assert ModelLogEntry.objects.filter(action="newsroom.outlet.merged").exists()
    target = Outlet.objects.get(pk=first.outlet_id)
    assert merged_name in target.names and "tass.com" in target.names
    # The importer answers to the merged outlet's name and domain from now on.
    path = tmp_path / "story.txt"
    import_text(run_import, path, TEXT, outlet="tass.com")
    assert Source.objects.get(seed_file__endswith="story.txt").outlet_id == target.pk


def test_merging_needs_permission_to_delete_the_merged_outlet(client, verifier, editor):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    _claim, first, second = claim_on_two_outlets(editor, verifier)
    outsider = UserFactory(username="outsider", is_staff=True)
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    url = snippet_url("outlet", "merge", second.outlet_id)
    for response in (client.get(url), client.post(url, {"target": first.outlet_id})):
        # Wagtail's refusal: back to the dashboard, saying permission was denied.
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    assert Outlet.objects.filter(pk=second.outlet_id).exists()


def test_merging_into_a_bad_target_is_a_form_error(admin_client, editor, verifier):
    _claim, _first, second = claim_on_two_outlets(editor, verifier)
    url = snippet_url("outlet", "merge", second.outlet_id)
    for target in ("abc", "-1", str(2**70), str(second.outlet_id)):
        response = admin_client.post(url, {"target": target})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert Outlet.objects.filter(pk=second.outlet_id).exists()


def test_a_reimport_that_changes_the_outlet_rechecks_claims(run_import, tmp_path, editor, verifier):
    claim, first, _second = claim_on_two_outlets(editor, verifier)
    story = tmp_path / "kremlin.txt"
    import_text(run_import, story, TEXT)
    third = Source.objects.get(seed_file__endswith="kremlin.txt")
    third.outlet = OutletFactory(name="Le Monde")
    third.save()
    # The claim rests on the third source and the first; the second is not needed.
    claim.evidence.exclude(source=first).delete()
    cite(claim, third)
    claim.refresh_from_db()
    claim.status = Claim.Status.VERIFIED
    claim.save(update_fields=["status"])

    import_text(run_import, story, TEXT + "\n\nMore to follow.", outlet=first.outlet.name)

    assert Source.objects.get(pk=third.pk).outlet_id == first.outlet_id
    assert_rechecked(claim, "The outlet of “")


def test_a_reimport_keeps_what_an_editor_filled_in_where_the_file_says_nothing(
    run_import, tmp_path, admin_client
):
    story = tmp_path / "kremlin.txt"
    import_text(run_import, story, TEXT)
    source = Source.objects.get()
    outlet = OutletFactory(name="The Kyiv Independent")
    edited = source_form_data(
        source,
        outlet=outlet.pk,
        title="Kremlin says Putin is open to talks",
        kind=Source.Kind.WIRE,
        published_on="2025-12-21",
        date_precision=Source.DatePrecision.DAY,
    )
    assert_back_at_list(
        admin_client.post(snippet_url("source", "edit", source.pk), edited), "source"
    )

    import_text(run_import, story, TEXT + "\n\nHe did not say when.")

    source.refresh_from_db()
    assert "He did not say when." in source.body
    assert source.outlet == outlet
    assert source.kind == Source.Kind.WIRE
    assert source.published_on.isoformat() == "2025-12-21"
    # The file's headline is what it says of its title; it wins.
    assert source.title == "Kremlin open to talks with Paris"


@pytest.mark.parametrize(
    "spelling",
    ["Kyiv Independent", "the kyiv  independent", "kyivindependent.com", "www.kyivindependent.com"],
)
def test_one_publisher_is_one_outlet_however_it_is_spelt(run_import, tmp_path, spelling):
    OutletFactory(name="The Kyiv Independent", domain="kyivindependent.com")
    import_text(run_import, tmp_path / "story.txt", TEXT, outlet=spelling)
    assert Outlet.objects.count() == 1
    assert Source.objects.get().outlet.name == "The Kyiv Independent"


def test_an_outlet_cannot_be_added_twice_under_another_spelling(admin_client):
    OutletFactory(name="The Kyiv Independent")
    response = admin_client.post(
        snippet_url("outlet", "add"),
        {"name": "Kyiv Independent", "homepage": "", "domain": "", "country": "", "aliases": ""},
    )
    assert response.status_code == 200
    assert "already a name of the outlet" in str(response.context["form"].errors)
    assert Outlet.objects.count() == 1


# What a verifier decides on is what they saw.


def test_a_verifier_cannot_verify_wording_published_after_the_form_opened(
    editor, verifier, editor_client, verifier_client
):
    from tests.newsroom.test_verification_edits import edit_data

    claim = ClaimFactory(created_by=editor, statement="Putin is open to talks with Macron.")
    for _ in range(2):
        cite(claim, SourceFactory(body=f"Peskov: {SAID}.", original_text=f"Peskov: {SAID}."))
    claim.save_revision(user=editor).publish(user=editor)
    form_page = verifier_client.get(snippet_url("claim", "verify", claim.pk)).content.decode()
    seen = re.search(r'name="seen_version" value="([^"]+)"', form_page).group(1)

    reworded = edit_data(claim, statement="Putin has agreed to meet Macron.")
    assert_back_at_list(
        editor_client.post(snippet_url("claim", "edit", claim.pk), reworded), "claim"
    )

    response = verifier_client.post(
        snippet_url("claim", "verify", claim.pk),
        {"status": "verified", "note": "", "seen_version": seen},
    )
    assert response.status_code == 200
    assert "changed after you opened this form" in " ".join(
        response.context["form"].non_field_errors()
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    assert claim.statement == "Putin has agreed to meet Macron."


@pytest.mark.usefixtures("without_claim_review")
def test_editing_a_quotes_reader_note_reopens_a_verified_claim(editor, verifier, editor_client):
    from tests.newsroom.test_verification_edits import edit_data

    claim, _first, _second = claim_on_two_outlets(editor, verifier)
    data = edit_data(claim, rows_changed={0: {"note": "Peskov later denied this."}})

    assert_back_at_list(editor_client.post(snippet_url("claim", "edit", claim.pk), data), "claim")

    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    assert claim.evidence.filter(note="Peskov later denied this.").exists()


@pytest.mark.usefixtures("without_claim_review")
def test_changing_a_cited_verified_claim_needs_a_correction_note_for_readers(
    editor, verifier, editor_client
):
    from explainers.models import Correction
    from tests.newsroom.test_verification_edits import edit_data

    claim, _first, _second = claim_on_two_outlets(editor, verifier)
    page = explainer("Is Putin ready to talk?", claims=[claim])
    data = edit_data(claim, rows_changed={0: {"note": "Peskov later denied this."}})

    refused = editor_client.post(snippet_url("claim", "edit", claim.pk), data)
    assert refused.status_code == 200
    assert "correction_note" in refused.context["form"].errors
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED

    data["correction_note"] = "We added the Kremlin's later denial."
    assert_back_at_list(editor_client.post(snippet_url("claim", "edit", claim.pk), data), "claim")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED
    entry = Correction.objects.get(page=page)
    assert "moved from Verified to Unverified" in entry.text
    assert "We added the Kremlin's later denial." in entry.text


# Withdrawing a claim.


def test_unpublishing_a_claim_live_explainers_cite_is_refused_naming_them(
    editor, verifier, editor_client
):
    claim, _first, _second = claim_on_two_outlets(editor, verifier)
    explainer("Is Putin ready to talk?", claims=[claim])
    url = snippet_url("claim", "unpublish", claim.pk)

    warned = editor_client.get(url)
    assert "“Is Putin ready to talk?”" in messages_of(warned)
    response = editor_client.post(url)

    edit_url = snippet_url("claim", "edit", claim.pk)
    assert (response.status_code, response["Location"]) == (302, edit_url)
    message = messages_of(editor_client.get(edit_url))
    assert "cannot be unpublished while live explainers cite it" in message
    assert "“Is Putin ready to talk?”" in message
    claim.refresh_from_db()
    assert claim.live


def test_unpublishing_a_claim_no_live_explainer_cites_works(editor, verifier, editor_client):
    claim, _first, _second = claim_on_two_outlets(editor, verifier)
    explainer("A draft about Putin", claims=[claim], publish=False)

    response = editor_client.post(snippet_url("claim", "unpublish", claim.pk))

    assert_back_at_list(response, "claim")
    claim.refresh_from_db()
    assert not claim.live


def test_a_source_can_be_reverted_to_a_revision_naming_an_outlet_merged_away_since(
    run_import, tmp_path, admin_client
):
    """Found by the state machine: the revert answered 500 once the outlet was merged."""
    story = tmp_path / "kremlin.txt"
    import_text(run_import, story, TEXT, outlet="TASS")
    source = Source.objects.get()
    first_revision = source.latest_revision
    import_text(run_import, story, LEAD + TEXT, outlet="TASS")
    target = OutletFactory(name="Reuters")
    merge = snippet_url("outlet", "merge", source.outlet_id)
    response = admin_client.post(merge, {"target": target.pk})
    assert (response.status_code, response["Location"]) == (
        302,
        snippet_url("outlet", "edit", target.pk),
    )
    source.refresh_from_db()

    url = snippet_url("source", "revisions_revert", source.pk, first_revision.pk)
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, source_form_data(source))

    assert_back_at_list(response, "source")
    source.refresh_from_db()
    assert source.outlet == target
    assert LEAD.strip() not in source.body


def test_publishing_a_revision_saved_before_its_source_changed_anchors_its_quotes_anew(
    run_import, tmp_path, editor, verifier
):
    story = tmp_path / "kremlin.txt"
    import_text(run_import, story, TEXT)
    source = Source.objects.get()
    claim = ClaimFactory(created_by=editor)
    cite(claim, source)
    claim.save_revision(user=editor).publish(user=editor)
    draft = claim.get_latest_revision_as_object()
    draft.statement = "Putin is ready to talk to Macron, the Kremlin says."
    revision = draft.save_revision(user=editor)  # its quote's offsets are into this text

    import_text(run_import, story, LEAD + TEXT)
    revision.publish(user=editor)

    evidence = Evidence.objects.get(claim=claim)
    assert evidence.anchored_text == SAID
    import_text(run_import, story, TEXT.replace("Putin is ready", "Putin is not ready"))
    stale = claim.revisions.order_by("-pk").first()
    stale.publish(user=editor)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK
    assert not Evidence.objects.get(claim=claim).is_anchored


@pytest.mark.usefixtures("without_claim_review")
def test_one_click_evidence_on_a_cited_decided_claim_waits_for_a_correction_note(
    editor, verifier, editor_client
):
    from explainers.models import Correction

    claim, _first, _second = claim_on_two_outlets(editor, verifier)
    page = explainer("Is Putin ready to talk?", claims=[claim])
    third = SourceFactory(body=f"Reuters: {SAID}.", original_text=f"Reuters: {SAID}.")
    url = snippet_url("claim", "add_evidence", claim.pk)
    payload = {"source": third.pk, "quote": SAID, "stance": "context"}

    response = editor_client.post(url, payload, follow=True)

    assert "with a correction note for their readers" in messages_of(response)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED
    assert claim.has_unpublished_changes
    assert claim.evidence.count() == 2
    assert claim.get_latest_revision_as_object().evidence.count() == 3
    assert not Correction.objects.filter(page=page).exists()


@pytest.mark.usefixtures("without_claim_review")
def test_one_click_evidence_on_an_uncited_claim_is_published(editor, verifier, editor_client):
    claim, _first, _second = claim_on_two_outlets(editor, verifier)
    third = SourceFactory(body=f"Reuters: {SAID}.", original_text=f"Reuters: {SAID}.")
    url = snippet_url("claim", "add_evidence", claim.pk)

    editor_client.post(url, {"source": third.pk, "quote": SAID, "stance": "context"})

    claim.refresh_from_db()
    assert claim.evidence.count() == 3
    assert claim.status == Claim.Status.UNVERIFIED

"""A re-import or a restored line that takes a cited quote out of a source flags its claim
as needs re-check the way a decision is kept: in the claim's history and Wagtail's audit log,
and saved so the related-stories widgets of explainers citing it are recomputed."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from explainers.models import ExplainerPage, RelatedState
from newsroom.desk.importing.restoring import restore_line
from newsroom.desk.models import Claim, Source
from newsroom.desk.verification import verification_problems, verify_claim
from tests.explainers.related_site import explainer
from tests.factories import ClaimFactory, EvidenceFactory, import_text, snippet_url

pytestmark = pytest.mark.django_db

SAID = "Vladimir Putin is ready for dialogue with Emmanuel Macron"
TEXT = (
    "Kremlin open to talks with Paris\n\n"
    f"Kremlin spokesman Dmitry Peskov said on Sunday that {SAID}.\n\n"
    "He added that any talks would have to be serious and prepared in advance."
)


@pytest.fixture
def story(tmp_path):
    return tmp_path / "kremlin.txt"


def test_a_reimport_that_negates_a_quote_flags_its_claim_with_history_and_refresh(
    run_import, story, editor, verifier, committed, editor_client
):
    import_text(run_import, story, TEXT)
    source = Source.objects.get()
    claim = ClaimFactory(created_by=editor, statement="Putin is open to talks with Macron.")
    EvidenceFactory(claim=claim, source=source, quote=SAID)
    verify_claim(claim, verifier, Claim.Status.VERIFIED, "Only the Kremlin.", single_source=True)
    with committed():
        page = explainer("Is Putin ready to talk?", claims=[claim])
    computed_before = RelatedState.objects.get(page=page).computed_at

    with committed():
        out = import_text(run_import, story, TEXT.replace("Putin is ready", "Putin is not ready"))

    assert "1 claims need re-check" in out
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEEDS_RECHECK
    latest = claim.verifications.order_by("-pk").first()
    assert latest.status == Claim.Status.NEEDS_RECHECK
    assert "“Kremlin open to talks with Paris” changed" in latest.note
    assert SAID in latest.note
    logged = ModelLogEntry.objects.filter(
        object_id=str(claim.pk), action="newsroom.claim.needs_recheck"
    )
    assert logged.count() == 1
    assert logged.get().data["status"] == Claim.Status.NEEDS_RECHECK
    history = reverse("wagtailsnippets_newsroom_claim:history", args=[claim.pk])
    assert "Claim needs re-check" in editor_client.get(history).content.decode()
    assert RelatedState.objects.get(page=page).computed_at > computed_before
    problems = verification_problems(claim, verifier, Claim.Status.VERIFIED, "x", True)
    assert any("no longer anchors" in problem for problem in problems)


def test_a_claim_already_needing_recheck_gets_no_second_history_row(run_import, story, editor):
    import_text(run_import, story, TEXT)
    source = Source.objects.get()
    claim = ClaimFactory(created_by=editor)
    EvidenceFactory(claim=claim, source=source, quote=SAID)

    import_text(run_import, story, TEXT.replace("is ready", "is not ready"))
    import_text(run_import, story, TEXT.replace("is ready", "is hardly ready"))

    assert list(claim.verifications.values_list("status", flat=True)) == ["needs_recheck"]
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEEDS_RECHECK


def set_aside_source(run_import, story):
    """A source with two set-aside lines (reader prompts), and a claim citing it."""
    text = TEXT + "\n\nShare this article on Facebook\n\nSubscribe to our newsletter"
    import_text(run_import, story, text)
    source = Source.objects.get()
    assert len(source.set_aside) >= 2, source.set_aside
    return source


def test_two_restorations_from_stale_copies_both_stay(run_import, story, editor):
    source = set_aside_source(run_import, story)
    first_copy, second_copy = Source.objects.get(), Source.objects.get()
    first, second = (entry["line"] for entry in source.set_aside[:2])

    restore_line(first_copy, first, user=editor)
    restore_line(second_copy, second, user=editor)

    source.refresh_from_db()
    assert {entry["line"] for entry in source.restored_lines} == {first, second}
    assert first not in {entry["line"] for entry in source.set_aside}
    assert second not in {entry["line"] for entry in source.set_aside}
    assert second_copy.body == source.body


def test_restoring_a_line_changes_the_cache_key_of_pages_citing_the_source(
    run_import, story, editor, editor_client
):
    source = set_aside_source(run_import, story)
    claim = ClaimFactory(created_by=editor)
    EvidenceFactory(claim=claim, source=source, quote=SAID)
    page = explainer("Is Putin ready to talk?", claims=[claim])
    before = ExplainerPage.objects.get(pk=page.pk).cache_key()
    line = source.set_aside[0]["line"]
    response = editor_client.post(snippet_url("source", "restore_line", source.pk, line))

    assert (response.status_code, response["Location"]) == (
        302,
        snippet_url("source", "inspect", source.pk),
    )
    source.refresh_from_db()
    assert line not in [entry["line"] for entry in source.set_aside]
    assert ExplainerPage.objects.get(pk=page.pk).cache_key() != before


def test_the_claim_page_shows_a_lost_quote_with_its_closest_passage(
    run_import, story, editor, editor_client
):
    import_text(run_import, story, TEXT)
    claim = ClaimFactory(created_by=editor)
    EvidenceFactory(claim=claim, source=Source.objects.get(), quote=SAID)
    import_text(run_import, story, TEXT.replace("Putin is ready", "Putin is not ready"))

    inspect = reverse("wagtailsnippets_newsroom_claim:inspect", args=[claim.pk])
    page = editor_client.get(inspect).content.decode()

    assert "No longer found word for word" in page
    assert f"“{SAID}” (not found word for word in the source as imported)" in page
    assert "Closest passage: “" in page
    assert "Vladimir Putin is not ready for dialogue with Emmanuel Macron" in page

"""Corrections readers can see: when a fact on a live explainer changes after its first
publication, the page says so in a dated "Corrections and updates" section, its JSON-LD
carries the entries, and /corrections/, its RSS feed and the sitemap follow."""

import datetime
import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction, WorkflowState

from explainers.models import Correction, ExplainerPage
from newsroom.desk.models import Claim
from newsroom.desk.signals import claim_reworded, claim_status_changed, claim_withdrawn
from newsroom.desk.verification import flag_for_recheck, verify_claim
from tests.explainers.test_publish_guard import edit_form_data, post_edit
from tests.factories import (
    cited_claim_block,
    claim_with_evidence,
    explainer_page,
    soup_of,
    verified,
)

pytestmark = pytest.mark.django_db

STATUS = Claim.Status
NOON_3_DEC = datetime.datetime(2025, 12, 3, 12, 0, tzinfo=datetime.UTC)


def corrections_section(soup):
    return soup.find("section", attrs={"aria-labelledby": "corrections-heading"})


def entries_shown(client, page):
    """Each entry of the page's section as readers read it: (datetime attribute, text)."""
    section = corrections_section(soup_of(client, page))
    assert section is not None, "no corrections section"
    assert section.find("h2", id="corrections-heading").get_text() == "Corrections and updates"
    return [
        (item.time["datetime"], " ".join(item.get_text().split()))
        for item in section.find("ol").find_all("li", recursive=False)
    ]


def send_status_change(claim, previous, status, note="", user=None):
    claim_status_changed.send(
        sender=Claim, claim=claim, previous=previous, status=status, note=note, user=user
    )


def private(page):
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    return page


def correction_on(page, text, days_after_publication=1, **fields):
    return Correction.objects.create(
        page=page,
        kind=fields.pop("kind", Correction.Kind.PROSE),
        text=text,
        created_at=page.last_published_at + datetime.timedelta(days=days_after_publication),
        **fields,
    )


# The write path, through the desk's signals ---------------------------------------------


def test_a_status_change_is_recorded_on_every_live_explainer_showing_the_claim(
    verified_claim, verifier
):
    public = explainer_page(title="Public", body=[cited_claim_block(verified_claim)])
    hidden = private(explainer_page(title="Private", body=[cited_claim_block(verified_claim)]))
    draft = explainer_page(title="Draft", body=[cited_claim_block(verified_claim)], publish=False)
    other = explainer_page(title="Cites nothing")

    send_status_change(
        verified_claim,
        STATUS.VERIFIED,
        STATUS.NEEDS_RECHECK,
        "its quote is no longer in the source.",
        user=verifier,
    )

    expected = (
        f"“{verified_claim.statement}” moved from Verified to Needs re-check: its quote is no "
        "longer in the source."
    )
    for page in (public, hidden):
        entry = page.corrections.get()
        assert (entry.kind, entry.text, entry.claim, entry.user) == (
            Correction.Kind.STATUS,
            expected,
            verified_claim,
            verifier,
        )
    assert not draft.corrections.exists()
    assert not other.corrections.exists()


def test_a_status_change_without_a_reason_ends_after_the_labels(verified_claim):
    page = explainer_page(body=[cited_claim_block(verified_claim)])
    send_status_change(verified_claim, STATUS.VERIFIED, STATUS.UNVERIFIED)
    assert page.corrections.get().text == (
        f"“{verified_claim.statement}” moved from Verified to Unverified."
    )


def test_no_entry_when_the_status_did_not_change_or_the_claim_is_not_shown(verified_claim):
    page = explainer_page(body=[cited_claim_block(verified_claim)])
    send_status_change(verified_claim, STATUS.VERIFIED, STATUS.VERIFIED, "Re-decided.")
    Claim.objects.filter(pk=verified_claim.pk).update(live=False)
    verified_claim.refresh_from_db()
    send_status_change(verified_claim, STATUS.VERIFIED, STATUS.DISPUTED, "Contradicted.")
    assert not page.corrections.exists()


def test_a_change_before_the_first_publication_is_no_correction(verified_claim):
    page = explainer_page(body=[cited_claim_block(verified_claim)])
    ExplainerPage.objects.filter(pk=page.pk).update(
        first_published_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    send_status_change(verified_claim, STATUS.VERIFIED, STATUS.NEEDS_RECHECK, "Lost quote.")
    assert not page.corrections.exists()


def test_a_withdrawn_claim_and_a_reworded_one_are_recorded(verified_claim, author):
    page = explainer_page(body=[cited_claim_block(verified_claim)])
    claim_withdrawn.send(
        sender=Claim, claim=verified_claim, note="It rested on a misread transcript", user=author
    )
    claim_reworded.send(
        sender=Claim,
        claim=verified_claim,
        previous_statement="Putin is ready.",
        statement=verified_claim.statement,
        user=None,
    )
    reworded, withdrawn = page.corrections.order_by("-pk")
    assert (withdrawn.kind, withdrawn.text, withdrawn.user) == (
        Correction.Kind.WITHDRAWN,
        f"“{verified_claim.statement}” was withdrawn: It rested on a misread transcript.",
        author,
    )
    assert (reworded.kind, reworded.text) == (
        Correction.Kind.REWORDED,
        f"“Putin is ready.” was reworded as “{verified_claim.statement}”.",
    )


def test_a_prose_correction_keeps_the_editors_words(verifier):
    page = explainer_page()
    entry = Correction.objects.record_prose(page, "  We misspelt Meloni.  ", verifier)
    assert (entry.kind, entry.text, entry.user, entry.page) == (
        Correction.Kind.PROSE,
        "We misspelt Meloni.",
        verifier,
        page,
    )


# The real paths: the verification service (needs its signal senders) --------------------


def test_a_quote_flagged_for_recheck_after_publication_is_shown_to_readers(
    client, author, verifier
):
    claim = claim_with_evidence(
        author, stances=("supports",) * 3, statement="Peskov spoke on 21 December."
    )
    verify_claim(claim, verifier, STATUS.VERIFIED)
    page = explainer_page(body=[cited_claim_block(claim)])
    assert not page.corrections.exists()

    flag_for_recheck(claim.pk, "its quote is no longer in the source.")

    entry = page.corrections.get()
    text = (
        "“Peskov spoke on 21 December.” moved from Verified to Needs re-check: its quote is no "
        "longer in the source."
    )
    assert (entry.kind, entry.claim, entry.text) == (Correction.Kind.STATUS, claim, text)
    day = f"{entry.created_at:%-d %B %Y}"
    assert entries_shown(client, page) == [(entry.created_at.isoformat(), f"{day}: {text}")]


def test_a_claim_verified_after_publication_is_shown_to_readers(client, author, verifier):
    claim = claim_with_evidence(
        author, stances=("supports",) * 3, statement="Paris welcomed the call."
    )
    page = explainer_page(body=[cited_claim_block(claim, show_as_unverified=True)])
    verify_claim(claim, verifier, STATUS.VERIFIED)
    assert page.corrections.get().text == (
        "“Paris welcomed the call.” moved from Unverified to Verified."
    )
    assert "moved from Unverified to Verified" in entries_shown(client, page)[0][1]


def test_the_demo_explainer_shows_a_claim_verified_after_publication(client):
    call_command("import_sources", verbosity=0)
    call_command("build_demo", verbosity=0)
    page = ExplainerPage.objects.get(slug="are-france-and-russia-talking-again")
    entry = page.corrections.get()
    assert entry.kind == Correction.Kind.STATUS
    assert entry.text.startswith("“EU foreign policy chief Kaja Kallas said")
    assert "moved from Unverified to Verified: Reported by one source only" in entry.text
    assert [text for _, text in entries_shown(client, page)] == [
        f"{entry.created_at:%-d %B %Y}: {entry.text}"
    ]

    call_command("build_demo", verbosity=0)
    assert page.corrections.count() == 1


# The reader's page -----------------------------------------------------------------------


def test_the_section_lists_entries_newest_first_with_their_dates(client):
    page = explainer_page()
    for days, text in ((0, "The older one."), (2, "The newer one.")):
        created_at = NOON_3_DEC + datetime.timedelta(days=days)
        Correction.objects.create(page=page, kind="prose", text=text, created_at=created_at)
    assert entries_shown(client, page) == [
        ((NOON_3_DEC + datetime.timedelta(days=2)).isoformat(), "5 December 2025: The newer one."),
        (NOON_3_DEC.isoformat(), "3 December 2025: The older one."),
    ]


def test_no_section_without_corrections(client):
    page = explainer_page()
    soup = soup_of(client, page)
    assert corrections_section(soup) is None
    assert "Corrections and updates" not in soup.get_text()


def test_claim_statements_in_entries_are_escaped(client, author, verifier):
    claim = claim_with_evidence(
        author, stances=("supports",) * 3, statement="<b>Bold</b> & <script>alert(1)</script>"
    )
    verified(claim, verifier)
    page = explainer_page(body=[cited_claim_block(claim)])
    send_status_change(claim, STATUS.VERIFIED, STATUS.NEEDS_RECHECK, "<i>lost</i>")
    section = corrections_section(soup_of(client, page))
    assert section.find_all(["b", "i", "script"]) == []
    assert "<b>Bold</b> & <script>alert(1)</script>" in section.li.get_text()
    assert "<i>lost</i>" in section.li.get_text()


def test_a_new_correction_shows_at_once_on_a_cached_page(client):
    page = explainer_page()
    assert corrections_section(soup_of(client, page)) is None  # now cached
    before = ExplainerPage.objects.get(pk=page.pk).cache_key()
    correction_on(page, "Added after the page was cached.")
    assert ExplainerPage.objects.get(pk=page.pk).cache_key() != before
    assert entries_shown(client, page)[0][1].endswith("Added after the page was cached.")


def test_the_structured_data_carries_the_corrections(client):
    page = explainer_page()
    older = correction_on(page, "First.", days_after_publication=1)
    newer = correction_on(page, "Second.", days_after_publication=2)
    soup = soup_of(client, page)
    data = [
        json.loads(script.string) for script in soup.select('script[type="application/ld+json"]')
    ]
    article = next(item for item in data if item["@type"] == "NewsArticle")
    assert article["correction"] == [
        {
            "@type": "CorrectionComment",
            "datePublished": newer.created_at.isoformat(),
            "text": "Second.",
        },
        {
            "@type": "CorrectionComment",
            "datePublished": older.created_at.isoformat(),
            "text": "First.",
        },
    ]
    assert article["dateModified"] == newer.created_at.isoformat()
    assert article["datePublished"] == page.first_published_at.isoformat()


def test_without_corrections_the_structured_data_has_none(client):
    page = explainer_page()
    soup = soup_of(client, page)
    article = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert "correction" not in article
    assert article["dateModified"] == page.last_published_at.isoformat()


# The editor's correction note ------------------------------------------------------------


@pytest.fixture
def two_verified(author, verifier):
    return [
        verified(
            claim_with_evidence(
                author, stances=("supports",) * 3, statement=f"Verified claim {n}."
            ),
            verifier,
        )
        for n in (1, 2)
    ]


@pytest.fixture
def live(two_verified):
    return explainer_page(
        title="Live one", body=[cited_claim_block(claim) for claim in two_verified]
    )


def publish_edit(client, page, claims, note=None, **kwargs):
    data = edit_form_data(page, claims, **kwargs)
    if note is not None:
        data["correction_note"] = note
    return post_edit(client, page, data)


def note_errors(response):
    """The form's errors on the note; "" when the edit view accepted it and redirected."""
    if response.redirect_chain:
        return ""
    return " ".join(response.context["form"].errors.get("correction_note", []))


def test_taking_out_a_verified_claim_needs_a_note(verifier_client, live, two_verified):
    kept, taken_out = two_verified
    revision = live.live_revision_id
    response = publish_edit(verifier_client, live, [kept])
    assert taken_out.statement in note_errors(response)
    assert kept.statement not in note_errors(response)
    page = ExplainerPage.objects.get(pk=live.pk)
    assert page.live_revision_id == revision
    assert page.cited_claim_ids() == [claim.pk for claim in two_verified]
    assert not page.corrections.exists()


def test_marking_a_verified_claim_show_as_not_verified_needs_a_note(
    verifier_client, live, two_verified
):
    marked = two_verified[1]
    response = publish_edit(verifier_client, live, two_verified, show_as_unverified=[marked])
    assert marked.statement in note_errors(response)
    assert ExplainerPage.objects.get(pk=live.pk).live_revision_id == live.live_revision_id


def test_with_a_note_the_change_is_published_and_the_note_shown(
    verifier_client, client, live, two_verified, verifier
):
    kept = two_verified[0]
    note = "We removed a claim that rested on one misread quote."
    response = publish_edit(verifier_client, live, [kept], note=note)
    assert not note_errors(response)
    page = ExplainerPage.objects.get(pk=live.pk)
    assert page.live_revision_id != live.live_revision_id
    assert page.cited_claim_ids() == [kept.pk]
    entry = page.corrections.get()
    assert (entry.kind, entry.text, entry.user) == (Correction.Kind.PROSE, note, verifier)
    assert entries_shown(client, page)[0][1].endswith(note)


def test_an_unchanged_verified_claim_needs_no_note_and_no_note_means_no_entry(
    verifier_client, live, two_verified
):
    response = publish_edit(verifier_client, live, two_verified)
    assert not note_errors(response)
    page = ExplainerPage.objects.get(pk=live.pk)
    assert page.live_revision_id != live.live_revision_id
    assert not page.corrections.exists()


def test_a_note_on_a_first_publication_or_a_draft_is_no_correction(
    verifier_client, live, two_verified
):
    draft = explainer_page(title="Never published", publish=False)
    publish_edit(verifier_client, draft, two_verified, note="Nothing to correct yet.")
    assert ExplainerPage.objects.get(pk=draft.pk).live
    publish_edit(verifier_client, live, two_verified[:1], note="Only a draft.", action=None)
    assert not Correction.objects.exists()


def test_a_note_cannot_be_scheduled(verifier_client, live, two_verified):
    data = edit_form_data(live, two_verified)
    data["correction_note"] = "Later."
    data["go_live_at"] = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = post_edit(verifier_client, live, data)
    assert "cannot be scheduled" in note_errors(response)
    assert not Correction.objects.exists()


def test_approving_a_change_in_review_records_the_note(
    editor_client, verifier_client, live, two_verified, verifier
):
    kept = two_verified[0]
    post_edit(editor_client, live, edit_form_data(live, [kept], "action-submit"))
    state = WorkflowState.objects.for_instance(live).get()

    data = edit_form_data(live, [kept], "action-workflow-action")
    data["workflow-action-name"] = "approve"
    errors = note_errors(post_edit(verifier_client, live, data))
    assert two_verified[1].statement in errors
    assert kept.statement not in errors
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    data["correction_note"] = "A claim was taken out in review."
    post_edit(verifier_client, live, data)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    page = ExplainerPage.objects.get(pk=live.pk)
    assert page.cited_claim_ids() == [kept.pk]
    entry = page.corrections.get()
    assert (entry.text, entry.user) == ("A claim was taken out in review.", verifier)


def test_approving_from_the_dashboard_a_change_owed_a_note_is_refused(
    editor_client, verifier_client, live, two_verified
):
    from tests.explainers.test_workflow import approve

    kept = two_verified[0]
    post_edit(editor_client, live, edit_form_data(live, [kept], "action-submit"))
    state = WorkflowState.objects.for_instance(live).get()

    response = approve(verifier_client, live, state, next=reverse("wagtailadmin_home"))

    messages = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert f"“{two_verified[1].statement}”" in messages
    assert "correction note" in messages
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert ExplainerPage.objects.get(pk=live.pk).cited_claim_ids() == [c.pk for c in two_verified]


def test_bulk_publishing_a_change_owed_a_note_publishes_nothing(
    editor_client, admin_client, live, two_verified
):
    from tests.explainers.test_publish_guard_paths import bulk_publish

    kept = two_verified[0]
    post_edit(editor_client, live, edit_form_data(live, [kept], action=None))

    response = bulk_publish(admin_client, [live])

    messages = " ".join(str(message) for message in response.context["messages"])
    assert "Nothing was published." in messages
    assert f"“{two_verified[1].statement}”" in messages
    page = ExplainerPage.objects.get(pk=live.pk)
    assert page.cited_claim_ids() == [claim.pk for claim in two_verified]
    assert not page.corrections.exists()


# Everything corrected, in one place ------------------------------------------------------


@pytest.fixture
def corrected():
    """Corrections on a public, a private and a withdrawn explainer."""
    public = explainer_page(title="Public <one>")
    hidden = private(explainer_page(title="Private one"))
    withdrawn = explainer_page(title="Withdrawn one")
    older = correction_on(public, "Older public.", days_after_publication=1)
    newer = correction_on(public, "Newer & public.", days_after_publication=2)
    correction_on(hidden, "Private correction.")
    correction_on(withdrawn, "Withdrawn correction.")
    withdrawn.unpublish()
    return public, [newer, older]


def test_the_corrections_page_lists_public_ones_newest_first(client, corrected):
    public, entries = corrected
    response = client.get("/corrections/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Corrections and updates"
    items = soup.select("ol.correction-list > li")
    assert [" ".join(item.get_text().split()) for item in items] == [
        f"Public <one> {entry.created_at:%-d %B %Y}: {entry.text}" for entry in entries
    ]
    links = [item.a["href"] for item in items]
    assert links == [f"{public.url}#corrections"] * 2
    assert items[0].time["datetime"] == entries[0].created_at.isoformat()


def test_the_corrections_page_says_so_when_there_are_none(client):
    explainer_page()
    soup = BeautifulSoup(client.get("/corrections/").content, "html.parser")
    assert soup.select("ol.correction-list > li") == []
    assert "No corrections yet." in soup.get_text()


def test_the_corrections_feed_carries_the_same_list(client, corrected):
    public, entries = corrected
    response = client.get("/feeds/corrections.rss")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Newsroom: corrections and updates"
    assert feed.feed.link == "http://testserver/corrections/"
    assert [entry.summary for entry in feed.entries] == ["Newer & public.", "Older public."]
    assert {entry.title for entry in feed.entries} == {"Correction: Public <one>"}
    assert {entry.link for entry in feed.entries} == {f"http://testserver{public.url}#corrections"}
    assert [entry.id for entry in feed.entries] == [f"correction-{e.pk}" for e in entries]


def test_the_sitemap_lastmod_follows_the_newest_correction(client):
    corrected_page = explainer_page(title="Corrected")
    untouched = explainer_page(title="Untouched")
    newest = correction_on(corrected_page, "A late correction.", days_after_publication=30)
    soup = BeautifulSoup(client.get("/sitemap.xml").content, "xml")
    lastmod = {url.loc.text: url.lastmod.text for url in soup.find_all("url") if url.lastmod}
    assert lastmod[corrected_page.full_url] == newest.created_at.date().isoformat()
    assert lastmod[untouched.full_url] == untouched.last_published_at.date().isoformat()

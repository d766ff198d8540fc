"""Verification in front (issue #13, point 3): the dashboard's queues awaiting a decision
take a verifier straight to the verification form, the claim's header has a "Verify…"
button for those who may verify, the form says on opening when the four-eyes rule stops
this verifier (and who may decide instead) with its button disabled, and the lists name
each claim's author, marking the user's own."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.admin.widgets.button import HeaderButton

from newsroom.desk import verification
from newsroom.desk.models import Claim
from tests.factories import (
    ClaimFactory,
    SourceFactory,
    UserFactory,
    claim_url,
    claim_with_evidence,
    logged_in_client,
    verified,
)
from tests.newsroom.test_verification import assert_unchanged, decide, problems
from tests.newsroom.test_verification_edits import add_evidence

pytestmark = pytest.mark.django_db

WROTE = "You wrote this claim, so someone else must verify it (the four-eyes rule)."
EDITED = (
    "You edited this claim since its last decision; another verifier must decide "
    "(the four-eyes rule)."
)


def soup(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


# The dashboard --------------------------------------------------------------------------


@pytest.fixture
def queues(editor, verifier):
    """A claim in each dashboard queue, by the editor, and one awaiting verification by the
    verifier."""
    recheck = claim_with_evidence(editor, ("supports",), statement="A quote moved.")
    Claim.objects.filter(pk=recheck.pk).update(status=Claim.Status.NEEDS_RECHECK)
    awaiting = claim_with_evidence(editor, ("supports",), statement="Cited, undecided.")
    own = claim_with_evidence(verifier, ("supports",), statement="The verifier's own.")
    single = claim_with_evidence(editor, ("supports",), statement="One outlet says so.")
    Claim.objects.filter(pk=single.pk).update(
        status=Claim.Status.VERIFIED, single_source=True, verification_note="Only TASS."
    )
    disputed = claim_with_evidence(editor, ("disputes",), statement="Contested.")
    Claim.objects.filter(pk=disputed.pk).update(status=Claim.Status.DISPUTED)
    return {
        "needs-recheck": [recheck],
        "awaiting-verification": [own, awaiting],
        "single-source": [single],
        "disputed": [disputed],
    }


def queue_rows(client, name):
    """Each row of a dashboard queue as (statement link, edit link or None, author cell)."""
    section = soup(client, reverse("wagtailadmin_home")).select_one(f"#claims-{name}")
    rows = []
    for row in section.select("tbody tr"):
        edit = row.select_one("a.claim-queue-edit")
        rows.append(
            (
                row.select_one("a.claim-queue-link")["href"],
                edit["href"] if edit else None,
                row.select_one("td.claim-queue-author").get_text(" ", strip=True),
            )
        )
    return rows


def test_a_verifier_goes_from_the_queues_awaiting_a_decision_to_the_verification_form(
    verifier_client, queues
):
    (recheck,) = queues["needs-recheck"]
    own, awaiting = queues["awaiting-verification"]
    assert queue_rows(verifier_client, "needs-recheck") == [
        (claim_url("verify", recheck), claim_url("edit", recheck), "editor"),
    ]
    assert queue_rows(verifier_client, "awaiting-verification") == [
        (claim_url("verify", own), claim_url("edit", own), "verifier You wrote this claim"),
        (claim_url("verify", awaiting), claim_url("edit", awaiting), "editor"),
    ]


def test_decided_queues_still_lead_a_verifier_to_the_edit_form(verifier_client, queues):
    for name in ("single-source", "disputed"):
        (claim,) = queues[name]
        assert queue_rows(verifier_client, name) == [(claim_url("edit", claim), None, "editor")]


def test_an_editor_who_may_not_verify_keeps_the_edit_links(editor_client, queues):
    content = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/verify/" not in content
    for name, claims in queues.items():
        assert queue_rows(editor_client, name) == [
            (
                claim_url("edit", claim),
                None,
                "editor You wrote this claim"
                if claim.created_by.username == "editor"
                else "verifier",
            )
            for claim in claims
        ]


def test_the_dashboard_names_an_author_by_full_name(verifier_client):
    author = UserFactory(username="anna", first_name="Anna", last_name="Bell")
    claim_with_evidence(author, ("supports",))
    assert queue_rows(verifier_client, "awaiting-verification")[0][2] == "Anna Bell"


def test_a_verifiers_home_page_queries_do_not_grow_with_the_queues(
    verifier_client, queues, django_assert_max_num_queries
):
    home = reverse("wagtailadmin_home")
    with django_assert_max_num_queries(100) as baseline:
        verifier_client.get(home)
    for number in range(5):
        author = UserFactory(username=f"author-{number}")
        claim_with_evidence(author, ("supports",))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        verifier_client.get(home)


# The header's "Verify…" button ----------------------------------------------------------


def header_buttons(client, action, claim):
    """(label, url) of each top-level header button of the claim's page (the "…" menu
    excluded)."""
    response = client.get(claim_url(action, claim))
    assert response.status_code == 200
    return [
        (button.label, button.url)
        for button in response.context["header_buttons"]
        if isinstance(button, HeaderButton)
    ]


@pytest.mark.parametrize("action", ["edit", "inspect"])
def test_a_verifier_gets_a_verify_button_in_the_header(verifier_client, action):
    claim = ClaimFactory()
    assert header_buttons(verifier_client, action, claim) == [
        ("Verify…", claim_url("verify", claim))
    ]
    link = soup(verifier_client, claim_url(action, claim)).select_one("#w-slim-header-buttons")
    assert link.find("a", href=claim_url("verify", claim)).get_text(strip=True) == "Verify…"


@pytest.mark.parametrize("action", ["edit", "inspect"])
def test_an_editor_gets_no_verify_button_in_the_header(editor_client, action):
    claim = ClaimFactory()
    assert header_buttons(editor_client, action, claim) == []
    assert (
        claim_url("verify", claim)
        not in editor_client.get(claim_url(action, claim)).content.decode()
    )


# Four eyes on opening the verification form ---------------------------------------------


def banner(page):
    found = page.select_one("#four-eyes-banner")
    return found and " ".join(found.get_text().split())


def record_button(page):
    (button,) = [b for b in page.select("form button[type=submit]") if "Record" in b.text]
    return button


def test_the_author_is_told_on_opening_and_cannot_record(verifier_client, verifier, editor):
    UserFactory(username="zoe", first_name="Zoe", last_name="Adams", groups=["Verifiers"])
    UserFactory(username="bob", groups=["Verifiers"])
    UserFactory(username="gone", groups=["Verifiers"], is_active=False)
    claim = claim_with_evidence(verifier, ("supports", "supports"))
    page = soup(verifier_client, claim_url("verify", claim))
    assert banner(page) == (f"{WROTE} Another verifier must decide it: bob, Zoe Adams (zoe).")
    button = record_button(page)
    assert button.has_attr("disabled")
    assert button["aria-describedby"] == "four-eyes-banner"


def test_a_verifier_who_edited_since_the_decision_is_told_on_opening(
    verifier_client, editor, superuser
):
    claim = claim_with_evidence(editor, ("supports",))
    claim.save_revision(user=editor).publish(user=editor)
    add_evidence(
        verifier_client,
        claim,
        source=SourceFactory().pk,
        quote="Putin was ready for dialogue with Macron",
        stance="supports",
    )
    page = soup(verifier_client, claim_url("verify", claim))
    # Superusers may verify; the editor may not, and the verifier edited it.
    assert banner(page) == f"{EDITED} Another verifier must decide it: chief."
    assert record_button(page).has_attr("disabled")


def test_with_no_one_else_to_decide_the_banner_says_so(verifier_client, verifier):
    claim = claim_with_evidence(verifier, ("supports",))
    page = soup(verifier_client, claim_url("verify", claim))
    assert banner(page) == (
        f"{WROTE} No other verifier can decide it yet: ask an administrator to give "
        "someone the permission to verify claims."
    )


def test_the_banner_names_a_few_verifiers_only(verifier_client, verifier):
    for number in range(7):
        UserFactory(username=f"checker-{number}", groups=["Verifiers"])
    claim = claim_with_evidence(verifier, ("supports",))
    names = ", ".join(f"checker-{number}" for number in range(5))
    assert banner(soup(verifier_client, claim_url("verify", claim))) == (
        f"{WROTE} Another verifier must decide it: {names}, or another of the verifiers."
    )


def test_an_eligible_verifier_sees_no_banner_and_may_record(verifier_client, editor):
    claim = claim_with_evidence(editor, ("supports", "supports"))
    page = soup(verifier_client, claim_url("verify", claim))
    assert banner(page) is None
    assert not record_button(page).has_attr("disabled")


def test_without_the_four_eyes_rule_there_is_no_banner(verifier_client, verifier, settings):
    settings.NEWSROOM_FOUR_EYES = False
    claim = claim_with_evidence(verifier, ("supports",))
    page = soup(verifier_client, claim_url("verify", claim))
    assert banner(page) is None
    assert not record_button(page).has_attr("disabled")


def test_sending_the_form_anyway_is_still_refused(verifier_client, verifier):
    claim = claim_with_evidence(verifier, ("supports", "supports"))
    response = decide(verifier_client, claim, "verified")
    assert response.status_code == 200
    assert WROTE in problems(response)
    assert_unchanged(claim)


def test_four_eyes_problems_and_eligible_verifiers(verifier, editor):
    other = UserFactory(username="other", groups=["Verifiers"])
    claim = claim_with_evidence(verifier, ("supports", "supports"))
    assert verification.four_eyes_problems(claim, verifier) == [WROTE]
    assert verification.four_eyes_problems(claim, other) == []
    assert verification.eligible_verifiers(claim) == [other]
    # The other verifier edits it: now no one may decide it until someone else does.
    claim.save_revision(user=other)
    assert verification.four_eyes_problems(claim, other) == [EDITED]
    assert verification.eligible_verifiers(claim) == []
    # A decision by a third verifier clears the other's edit; the author stays out.
    third = UserFactory(username="third", groups=["Verifiers"])
    claim.refresh_from_db()
    claim.latest_revision.publish(user=other)
    verified(claim, third)
    assert verification.eligible_verifiers(claim) == [other, third]
    assert verification.eligible_verifiers(claim, limit=1) == [other]


# The claim list's author column ---------------------------------------------------------


def test_the_claim_list_marks_the_users_own_claims(verifier_client, verifier, editor):
    ClaimFactory(statement="Written by the verifier.", created_by=verifier)
    ClaimFactory(statement="Written by the editor.", created_by=editor)
    ClaimFactory(statement="Imported, no author.", created_by=None)
    table = soup(verifier_client, claim_url("list")).select_one("table.listing")
    headings = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    column = headings.index("Author")
    authors = {
        row.select_one("a").get_text(strip=True): row.find_all("td")[column].get_text(
            " ", strip=True
        )
        for row in table.select("tbody tr")
    }
    assert authors == {
        "Written by the verifier.": "verifier You wrote this claim",
        "Written by the editor.": "editor",
        "Imported, no author.": "",
    }
    badges = table.select(".claim-author-you")
    assert len(badges) == 1


def test_the_badge_follows_the_user(editor_client, verifier):
    ClaimFactory(statement="Written by the verifier.", created_by=verifier)
    table = soup(editor_client, claim_url("list")).select_one("table.listing")
    assert table.select(".claim-author-you") == []


def test_another_verifier_may_decide_the_authors_claim_from_the_dashboard(verifier):
    colleague = logged_in_client(UserFactory(username="colleague", groups=["Verifiers"]))
    claim = claim_with_evidence(verifier, ("supports", "supports"))
    (row,) = queue_rows(colleague, "awaiting-verification")
    assert row[0] == claim_url("verify", claim)
    page = soup(colleague, row[0])
    assert banner(page) is None
    assert not record_button(page).has_attr("disabled")

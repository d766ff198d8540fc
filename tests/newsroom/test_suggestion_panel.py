"""The labelled "Evidence suggestions (N)" panel of the claim's form: every source is
searched, outlet or none; the guessed stance is a hint, and the editor's button decides;
adding one comes back to the form."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.suggestions import suggest_evidence
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    UserFactory,
    claim_url,
    messages_of,
)
from tests.newsroom.test_suggestions import suggestion_forms
from tests.newsroom.test_verification_seeds import import_seeds

pytestmark = pytest.mark.django_db

KYIV_SEED = "seeds/004_c03ff76d15088dc7.txt"
READINESS = "Putin expressed readiness to engage in dialogue with Macron, the Kremlin said."
KYIV_QUOTE = (
    "The first public signal came on Dec. 21 from Kremlin spokesperson Dmitry Peskov, who "
    "stated that Vladimir Putin had “expressed readiness to engage in dialogue.”"
)


def panel_of(html):
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one("[data-side-panel='suggestions']"), soup


def test_a_claim_one_seed_backs_finds_the_other_seeds_that_back_it(editor_client, editor):
    import_seeds()
    kyiv = Source.objects.get(seed_file=KYIV_SEED)
    claim = ClaimFactory(statement=READINESS, created_by=editor)
    EvidenceFactory(claim=claim, source=kyiv, quote=KYIV_QUOTE)

    found = suggest_evidence(claim, limit=8)
    others = {s.source.seed_file for s in found if s.stance == Evidence.Stance.SUPPORTS}
    assert kyiv.seed_file not in {s.source.seed_file for s in found}
    assert len(others) >= 2
    without_outlet = {s.source for s in found if s.source.outlet_id is None}
    assert without_outlet, "sources with no outlet are searched too"

    panel, soup = panel_of(editor_client.get(claim_url("edit", claim)).content.decode())
    toggle = soup.select_one("[data-side-panel-toggle='suggestions']")
    assert toggle.get_text(" ", strip=True) == f"Evidence suggestions ({len(found)})"
    shown = panel.select("li.suggestion")
    assert len(shown) == len(found)
    for item, suggestion in zip(shown, found, strict=True):
        assert suggestion.source.title in item.get_text()
        if suggestion.source.outlet_id is None:
            assert "no outlet named" in item.get_text()


def test_the_editor_picks_the_stance_whatever_the_guess(editor):
    # The panel is a component rendered apart from the page: its forms carry the page's
    # CSRF token, which this client checks as a browser's request is checked.
    editor_client = Client(enforce_csrf_checks=True)
    editor_client.force_login(editor)
    body = "The Kremlin said President Putin was ready for dialogue with Macron."
    source = SourceFactory(original_text=body, body=body, outlet=None)
    claim = ClaimFactory(statement="The Kremlin said Putin was ready for dialogue.")
    edit = claim_url("edit", claim)
    panel, _ = panel_of(editor_client.get(edit).content.decode())
    assert "Looks like it supports the claim" in panel.get_text(" ", strip=True)
    [(action, fields, buttons)] = suggestion_forms(str(panel))
    assert [value for value, _ in buttons] == ["supports", "disputes", "context"]

    response = editor_client.post(action, {**fields, "stance": "context"}, follow=True)

    assert response.redirect_chain[0] == (edit, 302)
    assert "Quote added" in messages_of(response)
    evidence = Claim.objects.get(pk=claim.pk).evidence.get()
    assert (evidence.source, evidence.quote, evidence.stance) == (source, body, "context")


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "//elsewhere.example/"])
def test_adding_never_sends_the_editor_to_another_site(editor_client, editor, next_url):
    body = "The Kremlin said President Putin was ready for dialogue with Macron."
    source = SourceFactory(original_text=body, body=body)
    claim = ClaimFactory(statement="The Kremlin said Putin was ready for dialogue.")
    response = editor_client.post(
        claim_url("add_evidence", claim),
        {"source": source.pk, "quote": body, "stance": "supports", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == claim_url("inspect", claim)


def test_a_user_who_cannot_change_the_claim_gets_no_suggestions(client):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_claim"),
    )
    client.force_login(viewer)
    body = "The Kremlin said President Putin was ready for dialogue with Macron."
    source = SourceFactory(original_text=body, body=body)
    claim = ClaimFactory(statement="The Kremlin said Putin was ready for dialogue.")
    html = client.get(claim_url("inspect", claim)).content.decode()
    assert "Evidence suggestions" not in html and "The Kremlin said President" not in html

    response = client.post(
        claim_url("add_evidence", claim), {"source": source.pk, "quote": body, "stance": "supports"}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert not claim.evidence.exists()

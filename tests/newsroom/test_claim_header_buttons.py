"""The "more" buttons in a claim's admin header: the way to its evidence and suggestions,
and to the verification form for those who may verify."""

import pytest
from wagtail.admin.widgets.button import ButtonWithDropdown

from tests.factories import ClaimFactory, claim_url

pytestmark = pytest.mark.django_db

VERIFY = "Verify, dispute or mark false"
EVIDENCE = "Evidence and suggestions"


def more_buttons(client, action, claim):
    """(label, url) of each button in the header's "more" dropdown of the claim's page."""
    response = client.get(claim_url(action, claim))
    assert response.status_code == 200
    (dropdown,) = [
        b for b in response.context["header_buttons"] if isinstance(b, ButtonWithDropdown)
    ]
    return {(button.label, button.url) for button in dropdown.dropdown_buttons}


@pytest.mark.parametrize("action", ["edit", "inspect"])
def test_a_verifier_gets_the_verify_button(verifier_client, action):
    claim = ClaimFactory()
    assert (VERIFY, claim_url("verify", claim)) in more_buttons(verifier_client, action, claim)


@pytest.mark.parametrize("action", ["edit", "inspect"])
def test_an_editor_who_may_not_verify_gets_no_verify_button(editor_client, action):
    claim = ClaimFactory()
    labels = {label for label, _url in more_buttons(editor_client, action, claim)}
    assert VERIFY not in labels


@pytest.mark.parametrize("client_fixture", ["editor_client", "verifier_client"])
def test_the_edit_view_links_to_the_evidence_and_suggestions(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    claim = ClaimFactory()
    assert (EVIDENCE, claim_url("inspect", claim)) in more_buttons(client, "edit", claim)

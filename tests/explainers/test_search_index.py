"""Site search finds an explainer by what readers see on it: the words of the claims it
cites as they are live now, never those of a withdrawn claim or of wording not yet published,
and without the page being saved again."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from explainers.tasks import publish_scheduled
from newsroom.desk.models import Claim
from tests.factories import (
    cited_claim_block,
    claim_url,
    claim_with_evidence,
    explainer_page,
    verified,
)
from tests.newsroom.test_verification_edits import assert_edited, edit_data

pytestmark = pytest.mark.django_db


def found(client, query):
    """The titles the reader's search page lists for `query`."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [link.text for link in soup.select(".explainer-teaser h2 a")]


@pytest.fixture
def zeppelin_claim(author, verifier):
    claim = claim_with_evidence(
        author, stances=("supports",) * 3, statement="A zeppelin carried the envoys to Minsk."
    )
    claim.save_revision(user=author).publish(user=author)
    return verified(claim, verifier)


@pytest.fixture
def explainer(zeppelin_claim):
    return explainer_page(
        title="How the envoys travelled", body=[cited_claim_block(zeppelin_claim)]
    )


@pytest.mark.usefixtures("without_claim_review")
def test_a_reworded_claim_finds_the_page_by_its_new_words_once_published(
    client, editor_client, explainer, zeppelin_claim
):
    assert found(client, "zeppelin") == ["How the envoys travelled"]
    url = claim_url("edit", zeppelin_claim)

    # A draft of new wording is not what readers see.
    draft = edit_data(zeppelin_claim, action="action-save", statement="A night train, maybe.")
    assert_edited(editor_client.post(url, draft), zeppelin_claim, published=False)
    zeppelin_claim.refresh_from_db()
    assert zeppelin_claim.has_unpublished_changes
    assert found(client, "zeppelin") == ["How the envoys travelled"]
    assert found(client, "train") == []

    data = {
        **edit_data(zeppelin_claim, statement="A night train carried the envoys to Minsk."),
        "correction_note": "The envoys went by train, not by air.",
    }
    assert_edited(editor_client.post(url, data), zeppelin_claim)
    zeppelin_claim.refresh_from_db()
    assert zeppelin_claim.statement.startswith("A night train")

    assert found(client, "train") == ["How the envoys travelled"]
    assert found(client, "zeppelin") == []


def test_a_claim_that_expires_no_longer_finds_the_page(client, explainer, zeppelin_claim):
    assert found(client, "zeppelin") == ["How the envoys travelled"]
    Claim.objects.filter(pk=zeppelin_claim.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    publish_scheduled()  # what beat runs every minute: Wagtail unpublishes expired snippets

    zeppelin_claim.refresh_from_db()
    assert not zeppelin_claim.live
    assert found(client, "zeppelin") == []
    assert found(client, "travelled") == ["How the envoys travelled"]

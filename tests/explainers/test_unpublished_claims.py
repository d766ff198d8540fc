"""Readers only ever see a claim as published: a draft never published, or a claim withdrawn
(unpublished), is not shown on the live page, in its sources, evidence map or structured
data, and the publish guard refuses an explainer citing one, whatever its marking."""

import json
from datetime import UTC

import pytest
from bs4 import BeautifulSoup

from explainers.guard import PublishRefused
from explainers.models import ExplainerPage
from newsroom.desk.models import Claim
from tests.explainers.test_publish_guard import edit_form_data, post_edit
from tests.factories import (
    cited_claim,
    cited_claim_block,
    claim_with_evidence,
    explainer_page,
    verified,
)

pytestmark = pytest.mark.django_db


def reader_html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def claim_reviews(html):
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        for item in data if isinstance(data, list) else [data]:
            if item.get("@type") == "ClaimReview":
                found.append(item)
    return found


@pytest.fixture
def kept(author, verifier, verified_claim):
    """A second verified claim, made after verified_claim, which stays published."""
    return verified(
        claim_with_evidence(
            author, stances=("supports",) * 3, statement="Paris wants talks in full view of Kyiv."
        ),
        verifier,
    )


def test_a_withdrawn_verified_claim_disappears_from_the_live_page(client, verified_claim, kept):
    page = explainer_page(body=[cited_claim_block(verified_claim), cited_claim_block(kept)])
    html = reader_html(client, page)  # rendered and cached with the claim
    assert verified_claim.statement in html
    assert len(claim_reviews(html)) == 2

    verified_claim.unpublish()

    html = reader_html(client, page)
    assert verified_claim.statement not in html
    assert f'id="claim-{verified_claim.pk}"' not in html
    assert [review["claimReviewed"] for review in claim_reviews(html)] == [kept.statement]
    assert kept.statement in html
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select(".claim")) == 1
    rows = soup.select(".evidence-map tbody tr")
    assert [row.th.a.text for row in rows] == [kept.statement]


def test_a_never_published_draft_claim_is_not_shown(client, author, verifier, verified_claim):
    draft = claim_with_evidence(
        author, stances=("supports",) * 3, statement="Draft wording nobody checked."
    )
    page = explainer_page(
        body=[cited_claim_block(verified_claim), cited_claim_block(draft, show_as_unverified=True)]
    )
    # As a page published before the guard knew about drafts would have it.
    Claim.objects.filter(pk=draft.pk).update(live=False, first_published_at=None)

    html = reader_html(client, page)
    assert "Draft wording nobody checked." not in html
    assert verified_claim.statement in html
    assert len(BeautifulSoup(html, "html.parser").select(".claim")) == 1


def test_readers_see_the_published_wording_not_a_saved_draft(client, verified_claim):
    page = explainer_page(body=[cited_claim_block(verified_claim)])
    published = verified_claim.statement
    verified_claim.statement = "An edit saved as a draft."
    verified_claim.save_revision()

    html = reader_html(client, page)
    assert published in html
    assert "An edit saved as a draft." not in html


def test_last_verified_counts_only_claims_verified_now(client, author, verifier):
    from datetime import datetime, timedelta

    from newsroom.desk.verification import flag_for_recheck

    older = verified(
        claim_with_evidence(author, stances=("supports",) * 3, statement="Older decision."),
        verifier,
    )
    newer = verified(
        claim_with_evidence(author, stances=("supports",) * 3, statement="Newer decision."),
        verifier,
    )
    noon = datetime(2025, 12, 21, 12, 0, tzinfo=UTC)
    Claim.objects.filter(pk=older.pk).update(verified_at=noon)
    Claim.objects.filter(pk=newer.pk).update(verified_at=noon + timedelta(days=3))
    page = explainer_page(
        body=[cited_claim_block(older), cited_claim_block(newer, show_as_unverified=True)]
    )

    def last_verified():
        meta = BeautifulSoup(reader_html(client, page), "html.parser").select_one(
            ".explainer-header .meta"
        )
        return [time["datetime"] for time in meta.select("time")][1:]

    assert last_verified() == [(noon + timedelta(days=3)).isoformat()]
    flag_for_recheck(newer.pk, "A quote left its source.")
    assert last_verified() == [noon.isoformat()]


# The guard: an unpublished claim is never publishable, marked or not.


def test_publishing_an_explainer_citing_a_draft_claim_is_refused_naming_it(
    verifier_client, author, verified_claim
):
    draft = claim_with_evidence(
        author, stances=("supports",) * 3, statement="Draft wording nobody checked."
    )
    Claim.objects.filter(pk=draft.pk).update(live=False, first_published_at=None)
    page = explainer_page(title="Cites a draft", publish=False)

    data = edit_form_data(page, [verified_claim, draft], show_as_unverified=[draft])
    response = post_edit(verifier_client, page, data)

    assert not ExplainerPage.objects.get(pk=page.pk).live
    errors = " ".join(response.context["form"].non_field_errors())
    assert "“Draft wording nobody checked.” (not published)" in errors
    assert verified_claim.statement not in errors


def test_publishing_an_explainer_citing_a_withdrawn_claim_is_refused_naming_it(
    verifier, verified_claim
):
    page = explainer_page(body=[cited_claim_block(verified_claim)], publish=False)
    verified_claim.unpublish()
    with pytest.raises(PublishRefused) as refused:
        page.get_latest_revision().publish(user=verifier)
    assert f"“{verified_claim}” (not published)" in str(refused.value)
    assert "Publish them, or remove them" in str(refused.value)
    assert not ExplainerPage.objects.get(pk=page.pk).live

    verified_claim.save_revision().publish()
    page.get_latest_revision().publish(user=verifier)
    assert ExplainerPage.objects.get(pk=page.pk).live


def test_lists_leave_out_a_withdrawn_claim_without_an_empty_item(client, verified_claim, kept):
    page = explainer_page(
        body=[
            {
                "type": "key_facts",
                "value": {
                    "heading": "In short",
                    "facts": [cited_claim(verified_claim), cited_claim(kept)],
                },
            },
            {
                "type": "key_facts",
                "value": {"heading": "Only withdrawn", "facts": [cited_claim(verified_claim)]},
            },
            {
                "type": "timeline",
                "value": {
                    "heading": "How we got here",
                    "events": [
                        {
                            "date": "2025-12-21",
                            "date_label": "",
                            "event": "The Kremlin answers.",
                            "claims": [cited_claim(verified_claim)],
                        },
                        {
                            "date": "2025-12-22",
                            "date_label": "",
                            "event": "Paris replies.",
                            "claims": [cited_claim(verified_claim), cited_claim(kept)],
                        },
                    ],
                },
            },
        ]
    )
    verified_claim.unpublish()

    soup = BeautifulSoup(reader_html(client, page), "html.parser")
    facts = soup.select("aside.key-facts")
    assert [aside.h2.text for aside in facts] == ["In short"]
    assert len(facts[0].select(".key-facts-list > li")) == 1
    events = soup.select(".timeline-event")
    assert [event.select_one(".timeline-text").text for event in events] == [
        "The Kremlin answers.",
        "Paris replies.",
    ]
    assert events[0].select_one(".timeline-claims") is None
    assert len(events[1].select(".timeline-claims > li")) == 1
    assert all(item.get_text(strip=True) for item in soup.select("li"))

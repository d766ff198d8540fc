"""Explainer pages built the way editors build them: claims with evidence, verified through
the verification service, cited from a StreamField body."""

import pytest
from django.utils.text import slugify

from explainers.models import ExplainerIndexPage, ExplainerPage
from newsroom.desk.models import Claim, Evidence
from newsroom.desk.verification import verify_claim
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

TRANSCRIPT_BODY = (
    "Good evening. Tonight: the Kremlin says Putin is ready for dialogue with Macron. "
    "Paris says any talks will be held in full transparency with Kyiv."
)


def claim_with_evidence(author, stances=("supports", "supports", "supports"), **fields):
    """A claim with one anchored quote per stance, each from a different outlet's source."""
    claim = ClaimFactory(created_by=author, **fields)
    for stance in stances:
        EvidenceFactory(claim=claim, stance=stance)
    return claim


def verified(claim, verifier, status=Claim.Status.VERIFIED, note=""):
    return verify_claim(claim, verifier, status, note=note)


def claim_block(claim, show_as_unverified=False, framing=""):
    return {
        "type": "claim",
        "value": {"claim": claim.pk, "show_as_unverified": show_as_unverified, "framing": framing},
    }


def cited(claim, show_as_unverified=False):
    return {"claim": claim.pk, "show_as_unverified": show_as_unverified}


def explainer_index():
    return ExplainerIndexPage.objects.get()


def make_explainer(title="What the Kremlin said", body=(), publish=True, tags=(), **fields):
    """An explainer under the explainers index; published unless publish=False."""
    page = ExplainerPage(
        title=title,
        slug=fields.pop("slug", slugify(title)),
        standfirst=fields.pop("standfirst", "Where the talks stand, claim by claim."),
        body=list(body),
        live=False,
        **fields,
    )
    explainer_index().add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


@pytest.fixture
def author(db):
    from tests.factories import UserFactory

    return UserFactory(username="author", groups=["Editors"])


@pytest.fixture
def verified_claim(author, verifier):
    return verified(claim_with_evidence(author), verifier)


@pytest.fixture
def unverified_claim(author):
    return claim_with_evidence(author, statement="Macron will fly to Moscow in January.")


@pytest.fixture
def transcript_source():
    return SourceFactory(
        title="Evening news, 21 December",
        kind="transcript",
        url="https://video.example.org/evening-21-dec",
        original_text=TRANSCRIPT_BODY,
        body=TRANSCRIPT_BODY,
        segments=[
            {"start": 0, "label": "00:00", "start_offset": 0, "end_offset": 14},
            {"start": 102, "label": "01:42", "start_offset": 14, "end_offset": 81},
            {"start": 130, "label": "02:10", "start_offset": 81, "end_offset": 150},
        ],
    )


def transcript_evidence(claim, source, stance=Evidence.Stance.SUPPORTS):
    return EvidenceFactory(
        claim=claim, source=source, quote="Putin is ready for dialogue with Macron", stance=stance
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what is sent after commit (the regeneration tasks), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def site(committed):
    """The hand-made related-stories site: (pages, claims, sources), regenerated."""
    from tests.explainers.related_site import build_site

    with committed():
        return build_site()

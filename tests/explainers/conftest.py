"""Explainer pages built the way editors build them: claims with evidence, verified through
the verification service, cited from a StreamField body."""

import pytest

from tests.factories import (
    SourceFactory,
    UserFactory,
    claim_with_evidence,
    explainer_page,
    verified,
)

TRANSCRIPT_BODY = (
    "Good evening. Tonight: the Kremlin says Putin is ready for dialogue with Macron. "
    "Paris says any talks will be held in full transparency with Kyiv."
)


@pytest.fixture
def author(db):
    return UserFactory(username="author", groups=["Editors"])


@pytest.fixture
def verified_claim(author, verifier):
    return verified(claim_with_evidence(author, stances=("supports",) * 3), verifier)


@pytest.fixture
def unverified_claim(author):
    return claim_with_evidence(
        author, stances=("supports",) * 3, statement="Macron will fly to Moscow in January."
    )


@pytest.fixture
def draft(db):
    """An explainer saved but never published."""
    return explainer_page(title="Are they talking?", publish=False)


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


@pytest.fixture
def site(committed):
    """The hand-made related-stories site: (pages, claims, sources), regenerated."""
    from tests.explainers.related_site import build_site

    with committed():
        return build_site()

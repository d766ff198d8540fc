"""A small hand-made site for the related-stories tests, where the right answer is clear."""

from django.utils.text import slugify

from explainers.models import RelatedStory
from newsroom.desk.models import Claim
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    cited_claim_block,
    explainer_index,
    explainer_page,
)


def section():
    return explainer_index()


def claim_from(source, statement, status=Claim.Status.UNVERIFIED):
    claim = ClaimFactory(statement=statement)
    Claim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    EvidenceFactory(claim=claim, source=source, quote="Putin was ready for dialogue with Macron")
    return claim


def explainer(title, claims=(), tags=(), standfirst="", parent=None, publish=True):
    """An explainer citing `claims`, each marked, so that a claim of any status may be cited."""
    page = explainer_page(
        title,
        body=[cited_claim_block(claim, show_as_unverified=True) for claim in claims],
        publish=publish,
        parent=parent,
        tags=tags,
        slug=slugify(title)[:50],
        standfirst=standfirst or f"{title}.",
    )
    page.refresh_from_db()
    return page


def widget(page):
    """Titles the page's widget shows, in order."""
    return list(
        RelatedStory.objects.filter(page=page).order_by("rank").values_list("title", flat=True)
    )


def build_site():
    """Four explainers around one page, each related to it for a different, clear reason,
    and one about something else entirely."""
    kremlin, elysee, kyiv, berlin = (
        OutletFactory(name=name)
        for name in ("Kremlin wire", "Elysee desk", "Kyiv daily", "Berlin post")
    )
    source_a = SourceFactory(title="Kremlin readout", outlet=kremlin)
    source_b = SourceFactory(title="Kyiv reaction", outlet=kyiv)
    source_c = SourceFactory(title="Elysee statement", outlet=elysee)
    source_d = SourceFactory(title="Bundestag report", outlet=berlin)
    claims = {
        "call": claim_from(source_a, "Putin said he was ready for a call with Macron."),
        "transparency": claim_from(source_c, "Paris promised transparency with Kyiv."),
        "kyiv": claim_from(source_b, "Kyiv asked to be consulted first."),
        "peskov": claim_from(source_a, "Peskov called the idea premature."),
        "budget": claim_from(source_d, "Parliament passed the budget."),
    }
    pages = {
        "main": explainer(
            "Macron and Putin reopen dialogue",
            [claims["call"], claims["transparency"], claims["kyiv"]],
            ["france", "russia"],
        ),
        "twin": explainer(
            "Elysee confirms the phone call",
            [claims["call"], claims["transparency"]],
            ["france", "russia"],
        ),
        "kyiv": explainer("Ukraine wants a seat", [claims["kyiv"]], ["ukraine"]),
        "kremlin": explainer("Moscow stays cautious", [claims["peskov"]], ["russia"]),
        "budget": explainer("Berlin votes its budget", [claims["budget"]], ["germany"]),
    }
    sources = {"a": source_a, "b": source_b, "c": source_c, "d": source_d}
    return pages, claims, sources

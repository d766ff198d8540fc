"""Going live without the edit form: bulk publishing, and approval from the dashboard. The
explainers among the pages are each judged on what publishing would put live (their latest
revision) by the rules of explainers.guard; other pages pass. These paths have no note
field, so a change that owes readers a correction note is refused, naming the claims."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from explainers.guard import downgraded_claims, unverified_citations
from explainers.models import ExplainerPage

if TYPE_CHECKING:
    from wagtail.models import Page

    from newsroom.desk.models import Claim


def refusals_for_pages(pages: Iterable["Page"]) -> list[tuple[ExplainerPage, list["Claim"]]]:
    """[(explainer, claims in the way)] for the explainers among `pages` (any page models),
    each judged on what publishing it would put live: its latest revision."""
    refusals = []
    for page in pages:
        page = page.specific
        if not isinstance(page, ExplainerPage):
            continue
        revision = page.get_latest_revision()
        content = revision.as_object() if revision else page
        claims = unverified_citations(content.body.raw_data)
        if claims:
            refusals.append((page, claims))
    return refusals


def owed_notes(pages: Iterable["Page"]) -> list[tuple[ExplainerPage, list["Claim"]]]:
    """[(explainer, claims)] for the live explainers among `pages` whose latest revision
    would take verified claims from readers."""
    owed = []
    for page in pages:
        page = page.specific
        if not isinstance(page, ExplainerPage) or not page.live:
            continue
        revision = page.get_latest_revision()
        if revision is None or revision.pk == page.live_revision_id:
            continue
        claims = downgraded_claims(page.body.raw_data, revision.as_object().body.raw_data)
        if claims:
            owed.append((page, claims))
    return owed


def owed_notes_message(owed: Iterable[tuple["Page", Sequence["Claim"]]]) -> str:
    listed = " ".join(
        f"“{page.get_admin_display_title()}” would take out, or mark as not verified, "
        + "; ".join(f"“{claim}”" for claim in claims)
        + "."
        for page, claims in owed
    )
    return (
        f"{listed} Readers see these claims as verified: publish the change from the edit "
        "form, with a correction note saying why."
    )

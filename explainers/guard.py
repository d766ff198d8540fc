"""The publish guard: an explainer goes live only when every claim it cites is published and
verified, or (for a published claim) is explicitly marked to be shown as not verified
(readers then see its status as a label). A claim that is not published (a draft never
published, or withdrawn) is never shown to readers, so no marking lets it through.

One rule, called from the admin form (a validation message), from ``ExplainerPage.publish``
(workflow approval, scheduled publishing, any code path), from copying with "publish copies"
and from bulk publishing (a message naming the claims), and nowhere else.

Beside it, the rule for when publishing a change owes readers a correction note
(``downgraded_claims``). Both judge raw body data and know no page model: the page model
and its edit form call them, and ``explainers.publishing`` applies them to pages going
live without the form."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from explainers.citations import StreamData, iter_cited_claims
from newsroom.desk.models import Claim

if TYPE_CHECKING:
    # The explainer model imports this module: pages are typed as Wagtail's Page.
    from wagtail.models import Page


class PublishRefused(PermissionDenied):
    """An explainer may not go live: it cites claims that are unpublished or not verified."""

    def __init__(self, claims: Iterable[Claim]):
        self.claims = list(claims)
        super().__init__(refusal_message(self.claims))


def unverified_citations(stream_data: StreamData) -> list[Claim]:
    """The claims in the way of publishing, in order of first citation: every cited claim
    that is not live, and every claim cited without "show as not verified" whose status is
    not verified."""
    cited = list(iter_cited_claims(stream_data))
    if not cited:
        return []
    unmarked = {pk for pk, shown_unverified in cited if not shown_unverified}
    found = (
        Claim.objects.filter(pk__in={pk for pk, _ in cited})
        .only("pk", "statement", "status", "live")
        .in_bulk()
    )
    in_the_way = []
    for pk in dict.fromkeys(pk for pk, _ in cited):
        claim = found.get(pk)
        if claim is None:
            continue
        if not claim.live or (pk in unmarked and claim.status != Claim.Status.VERIFIED):
            in_the_way.append(claim)
    return in_the_way


def refusal_message(claims: Sequence[Claim]) -> str:
    """Names each claim in the way and why: unverified ones can be marked, unpublished ones
    must be published (or taken out of the explainer)."""
    unpublished = [claim for claim in claims if not claim.live]
    unverified = [claim for claim in claims if claim.live]
    parts = []
    if unverified:
        listed = "; ".join(
            f"“{claim}” ({claim.get_status_display().lower()})" for claim in unverified
        )
        parts.append(
            "This explainer cannot be published while it cites claims that are not verified: "
            f"{listed}. Verify them, or mark each citation “Show as not verified” so readers "
            "see its status."
        )
    if unpublished:
        listed = "; ".join(f"“{claim}” (not published)" for claim in unpublished)
        parts.append(
            "This explainer cannot be published while it cites claims that are not published, "
            f"which readers never see: {listed}. Publish them, or remove them from the explainer."
        )
    return " ".join(parts)


def check_publishable(page: "Page") -> None:
    """Raise PublishRefused if `page` (an ExplainerPage, e.g. a revision's content) cites
    unpublished claims, or unverified claims without marking them."""
    claims = unverified_citations(page.body.raw_data)
    if claims:
        raise PublishRefused(claims)


def refusals_message(refusals: Iterable[tuple["Page", Sequence[Claim]]], doing: str) -> str:
    """One message for several refused explainers, naming each and its claims."""
    listed = " ".join(
        f"“{page.get_admin_display_title()}”: {refusal_message(claims)}"
        for page, claims in refusals
    )
    return f"{doing} {listed}"


def downgraded_claims(live_body: StreamData, new_body: StreamData) -> list[Claim]:
    """The claims a live page shows as verified (`live_body`, raw stream data) that
    `new_body` no longer cites, or cites only marked "show as not verified", in the live
    page's order: publishing that change owes readers a correction note."""
    if not live_body:
        return []
    live = list(iter_cited_claims(live_body))
    posted = list(iter_cited_claims(new_body))
    cited = {pk for pk, _ in posted}
    unmarked = {pk for pk, marked in posted if not marked}
    taken_out = [pk for pk, _ in live if pk not in cited]
    newly_marked = [pk for pk, marked in live if not marked and pk not in unmarked]
    candidates = list(dict.fromkeys(taken_out + newly_marked))
    shown_verified = Claim.objects.filter(
        pk__in=candidates, live=True, status=Claim.Status.VERIFIED
    ).in_bulk()
    return [shown_verified[pk] for pk in candidates if pk in shown_verified]

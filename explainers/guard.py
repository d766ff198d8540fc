"""The publish guard: an explainer goes live only when every claim it cites is verified, or
is explicitly marked to be shown as not verified (readers then see its status as a label).

One rule, called from the admin form (a validation message), from ``ExplainerPage.publish``
(workflow approval, scheduled publishing, any code path) and nowhere else."""

from django.core.exceptions import PermissionDenied

from explainers.blocks import iter_cited_claims
from newsroom.models import Claim


class PublishRefused(PermissionDenied):
    """An explainer may not go live: it cites claims that are not verified."""

    def __init__(self, claims):
        self.claims = list(claims)
        super().__init__(refusal_message(self.claims))


def unverified_citations(stream_data):
    """Claims cited without "show as not verified" whose status is not verified, in order."""
    unmarked = [
        pk for pk, shown_unverified in iter_cited_claims(stream_data) if not shown_unverified
    ]
    if not unmarked:
        return []
    found = Claim.objects.filter(pk__in=unmarked).exclude(status=Claim.Status.VERIFIED).in_bulk()
    return [found[pk] for pk in dict.fromkeys(unmarked) if pk in found]


def refusal_message(claims):
    listed = "; ".join(f"“{claim}” ({claim.get_status_display().lower()})" for claim in claims)
    return (
        "This explainer cannot be published while it cites claims that are not verified: "
        f"{listed}. Verify them, or mark each citation “Show as not verified” so readers "
        "see its status."
    )


def check_publishable(page):
    """Raise PublishRefused if `page` (an ExplainerPage, e.g. a revision's content) cites
    unverified claims without marking them."""
    claims = unverified_citations(page.body.raw_data)
    if claims:
        raise PublishRefused(claims)

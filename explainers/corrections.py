"""The write path for corrections a claim's change owes readers: what a live explainer tells
them has changed since it was first published. The desk's signals (a claim's status changed,
a claim withdrawn or reworded) arrive here through explainers.signal_handlers, and each writes
one entry per live explainer that showed what changed. An editor's note on prose comes with
the page's edit form, which writes it through ``Correction.objects.record_prose``."""

from django.utils import timezone

from explainers.models import Correction, ExplainerPage
from newsroom.desk.models import Claim


def record_claim_status_change(claim, previous, status, note, user=None):
    """Tell the readers of every live explainer showing `claim` that its status moved from
    `previous` to `status`, and why (`note`). Nothing is written if the status is unchanged
    or the claim is not shown (not published)."""
    if previous == status or not claim.live:
        return []
    labels = f"moved from {Claim.Status(previous).label} to {Claim.Status(status).label}"
    text = sentence(f"“{claim.statement}” {labels}", note)
    return record_for_claim(claim, Correction.Kind.STATUS, text, user)


def record_claim_withdrawn(claim, note, user=None):
    """Tell the readers of every live explainer that showed `claim` that it was withdrawn."""
    text = sentence(f"“{claim.statement}” was withdrawn", note)
    return record_for_claim(claim, Correction.Kind.WITHDRAWN, text, user)


def record_claim_reworded(claim, previous_statement, statement, user=None):
    """Tell the readers of every live explainer showing `claim` how its wording changed."""
    if previous_statement == statement or not claim.live:
        return []
    text = f"“{previous_statement}” was reworded as “{statement}”."
    return record_for_claim(claim, Correction.Kind.REWORDED, text, user)


def record_for_claim(claim, kind, text, user):
    """One entry on each live explainer citing `claim` that readers saw before now."""
    now = timezone.now()
    page_ids = ExplainerPage.live_citing_pages([claim.pk]).get(claim.pk, [])
    pages = ExplainerPage.objects.live().filter(pk__in=page_ids, first_published_at__lt=now)
    return Correction.objects.bulk_create(
        Correction(page=page, claim=claim, kind=kind, text=text, created_at=now, user=user)
        for page in pages.only("pk")
    )


def sentence(text, reason=""):
    """`text`, then `reason` after a colon if there is one, ending with a full stop."""
    reason = reason.strip()
    text = f"{text}: {reason}" if reason else text
    return text if text.rstrip('”’")').endswith((".", "!", "?", "…")) else f"{text}."

"""The write path for corrections: what a live explainer tells its readers has changed since
it was first published. The desk's signals (a claim's status changed, a claim withdrawn or
reworded) arrive here through explainers.signal_handlers; the page edit form records an editor's
note on prose. Each writes one entry per live explainer that showed what changed."""

from django.utils import timezone

from explainers.blocks import iter_cited_claims
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


def record_prose_correction(page, note, user=None):
    """The editor's own note on what they corrected, published with the page."""
    return Correction.objects.create(
        page=page, kind=Correction.Kind.PROSE, text=note.strip(), user=user
    )


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


def downgraded_claims(live_body, new_body):
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


def owed_notes(pages):
    """[(explainer, claims)] for the live explainers among `pages` whose latest revision
    would take verified claims from readers: paths with no note field (bulk publishing,
    approval from the dashboard) refuse them, naming the claims."""
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


def owed_notes_message(owed):
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

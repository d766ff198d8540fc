"""The one way a source changes: its text (re-import, revert, a restored line, an edit) and
its metadata (outlet above all). Whatever path it comes by, every quote from the source is
anchored again in its current body, and every decided claim that stops meeting the rules
(a quote gone, two outlets become one) moves to needs re-check, with a history line."""

from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.signals import source_text_changed
from newsroom.desk.verification import flag_for_recheck, recheck_claims


@dataclass
class SourceChange:
    """What saving a source changed, and the claims it sent back for a re-check."""

    text_changed: bool = False
    outlet_changed: bool = False
    flagged_claims: list[Claim] = field(default_factory=list)


def save_source(source: Source, user: AbstractBaseUser | None = None) -> SourceChange:
    """Save `source` as it stands in memory, then follow up what changed since its stored
    row: new text re-anchors its quotes (and tells explainers, for pull quotes); a new outlet
    re-checks the decided claims citing it. One transaction, the stored row locked."""
    with transaction.atomic():
        stored = (
            Source.objects.select_for_update()
            .only("body", "outlet_id")
            .filter(pk=source.pk)
            .first()
            if source.pk
            else None
        )
        change = SourceChange(
            text_changed=stored is not None and stored.body != source.body,
            outlet_changed=stored is not None and stored.outlet_id != source.outlet_id,
        )
        source.save()
        if change.text_changed:
            change.flagged_claims += reanchor_evidence(source, user=user)
            source_text_changed.send(sender=Source, source=source, user=user)
        if change.outlet_changed:
            reason = f"The outlet of “{source.title}” changed."
            change.flagged_claims += recheck_claims(citing_claims(source.pk), reason, user)
    return change


def citing_claims(*source_ids: int) -> set[int]:
    return set(Evidence.objects.filter(source_id__in=source_ids).values_list("claim_id", flat=True))


def reanchor_evidence(source: Source, user: AbstractBaseUser | None = None) -> list[Claim]:
    """Anchor every quote from `source` again in its current body.

    A quote still found word for word stays anchored at its new offsets; one that is not
    (its words changed, or are gone) is "lost", however close a passage the body now has.
    Claims citing a lost quote need re-checking: each is set to "needs re-check", with a
    history row and an audit log entry (by `user`, if an editor's action caused it), and
    saved so that what shows the claim's status refreshes. Returns those claims.
    """
    lost_by_claim = {}
    changed = []
    for evidence in Evidence.objects.filter(source=source).order_by("pk"):
        if not evidence.reanchor(source.body):
            lost_by_claim.setdefault(evidence.claim_id, []).append(evidence.quote)
        changed.append(evidence)
    Evidence.objects.bulk_update(changed, Evidence.ANCHOR_FIELDS)
    flagged = []
    for claim_id in sorted(lost_by_claim):
        quotes = "; ".join(f"“{quote[:80]}”" for quote in lost_by_claim[claim_id])
        note = f"“{source.title}” changed and no longer has word for word: {quotes}"
        flagged.append(flag_for_recheck(claim_id, note, user=user))
    return flagged

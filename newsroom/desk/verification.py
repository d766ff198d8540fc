"""Who may decide a claim's status, on what evidence, and how the decision is kept.

Every admin view, command and page that verifies, disputes, marks false or reopens a
claim calls verify_claim() here, so the rules live in one place. The rules:

- only users with the newsroom.verify_claim permission decide;
- the verifier is not the claim's author, and has not edited its statement or evidence
  since its last decision (NEWSROOM_FOUR_EYES);
- "verified" needs at least one anchored supporting quote, and supporting quotes from
  NEWSROOM_MIN_OUTLETS distinct outlets, or else an explicit single-source note;
- "disputed" needs an anchored disputing quote; "false" needs one and a note;
- every cited quote must still anchor in its source;
- a claim locked by someone else, or with unpublished changes, is not decided on.
"""

import hashlib
import json
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, log

from newsroom.desk.models import Claim, Evidence, Verification, approver_of_change
from newsroom.desk.signals import claim_status_changed

SETTABLE = (*Claim.DECIDED, Claim.Status.UNVERIFIED)
LOG_ACTIONS = {
    Claim.Status.VERIFIED: ("newsroom.claim.verified", "Verify claim", "Claim verified"),
    Claim.Status.DISPUTED: ("newsroom.claim.disputed", "Dispute claim", "Claim disputed"),
    Claim.Status.FALSE: ("newsroom.claim.false", "Mark claim false", "Claim marked false"),
    Claim.Status.UNVERIFIED: ("newsroom.claim.reopened", "Reopen claim", "Claim reopened"),
    # Not a verifier's decision, but logged like one.
    Claim.Status.NEEDS_RECHECK: (
        "newsroom.claim.needs_recheck",
        "Flag claim for re-check",
        "Claim needs re-check",
    ),
}

# A verifier approving, in Claim review, a change to a decided claim: the decision stands on
# the new words. Logged beside Wagtail's own record of the approval and the publication.
CHANGE_APPROVED = (
    "newsroom.claim.change_approved",
    "Approve change to a decided claim",
    "Change approved; decision kept on the new wording",
)


class VerificationError(Exception):
    """A decision the rules refuse; str() is a message for editors, naming every problem."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


def min_outlets() -> int:
    return settings.NEWSROOM_MIN_OUTLETS


def four_eyes() -> bool:
    return settings.NEWSROOM_FOUR_EYES


def verification_version(claim: Claim) -> str:
    """What the verifier sees when the form opens: the claim's latest decision, its live
    revision, and a digest of its statement and evidence (quotes, stances, notes). A form
    carries it, so a verifier acting on a claim that someone has since decided, reworded or
    re-quoted is told, instead of deciding on words they never saw."""
    decision = claim.verifications.order_by("-pk").values_list("pk", flat=True).first() or 0
    content = Claim.objects.prefetch_related("evidence").get(pk=claim.pk)
    digest = hashlib.sha256(
        json.dumps(content.evidence_fingerprint(), sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
    return f"{decision}:{content.live_revision_id or 0}:{digest}"


def verification_problems(
    claim: Claim, user: AbstractBaseUser, status: str, note: str = "", single_source: bool = False
) -> list[str]:
    """Every reason the rules refuse this decision, as sentences for the editor; [] if none."""
    if status not in SETTABLE:
        return [f"“{status}” is not a status a verifier can set."]
    if not user.has_perm("newsroom.verify_claim"):
        return ["You do not have permission to verify, dispute or mark claims false."]
    problems = []
    lock = claim.get_lock()
    if lock and lock.for_user(user):
        problems.append(f"This claim is locked. {lock.get_description(user)}.")
    if status == Claim.Status.UNVERIFIED:
        return problems
    if four_eyes():
        problems += _four_eyes_problems(claim, user)
    if claim.workflow_in_progress:
        problems.append(
            "A change to this claim is waiting in Claim review: approve it or request "
            "changes first, so what you decide on is what readers will see."
        )
    elif claim.has_unpublished_changes:
        problems.append(
            "This claim has unpublished changes: publish or discard them first, "
            "so what you decide on is what readers see."
        )
    evidence = list(claim.evidence.all())
    lost = [row for row in evidence if not row.is_anchored]
    for row in lost:
        problems.append(
            f"The quote “{row.quote[:80]}” from “{row.source.title}” no longer anchors in "
            "its source: fix or remove it first."
        )
    problems += _status_problems(claim, status, note, single_source)
    return problems


def _four_eyes_problems(claim, user):
    if claim.created_by_id and claim.created_by_id == user.pk:
        return ["You wrote this claim, so someone else must verify it (the four-eyes rule)."]
    if edited_since_last_decision(claim, user):
        return [
            "You edited this claim since its last decision; another verifier must decide "
            "(the four-eyes rule)."
        ]
    return []


def four_eyes_problems(claim: Claim, user: AbstractBaseUser) -> list[str]:
    """Why the four-eyes rule stops `user` deciding `claim` (they wrote it, or edited it
    since its last decision), as the sentences verification_problems() would give; [] if
    it does not, or if the rule is off. For telling a verifier before they decide."""
    if not four_eyes():
        return []
    return _four_eyes_problems(claim, user)


def eligible_verifiers(claim: Claim, limit: int = 5) -> list[AbstractBaseUser]:
    """Up to `limit` active users, by username, whom the four-eyes rule lets decide
    `claim`: they hold newsroom.verify_claim (superusers included), did not write it and
    have not edited it since its last decision. Who to ask when you may not decide."""
    User = get_user_model()
    candidates = (
        User.objects.with_perm("newsroom.verify_claim", is_active=True)
        .exclude(pk=claim.created_by_id)
        .order_by(User.USERNAME_FIELD)
    )
    eligible = []
    for candidate in candidates.iterator():
        if len(eligible) >= limit:
            break
        if not _four_eyes_problems(claim, candidate):
            eligible.append(candidate)
    return eligible


def edited_since_last_decision(claim: Claim, user: AbstractBaseUser) -> bool:
    """Whether `user` saved a revision of the claim (its statement, or evidence added,
    changed or removed, one-click evidence included) after its latest verified, disputed or
    false decision, or ever if it was never decided. Reopenings do not count: an edit that
    reopened a decided claim must not slip out of view behind its own reopening."""
    decided_at = (
        claim.verifications.filter(status__in=Claim.DECIDED, merge=False)
        .order_by("-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    revisions = claim.revisions.filter(user=user)
    if decided_at is not None:
        revisions = revisions.filter(created_at__gt=decided_at)
    return revisions.exists()


def _status_problems(claim, status, note, single_source):
    corroboration = claim.corroboration()
    if status == Claim.Status.VERIFIED:
        if corroboration.supporting_sources == 0:
            return ["A verified claim needs at least one anchored supporting quote."]
        if corroboration.supporting_outlets >= min_outlets():
            return []
        if not single_source or not note.strip():
            return [
                f"A verified claim needs supporting quotes from at least {min_outlets()} "
                f"different outlets; this one has {corroboration.supporting_outlets}."
                f"{_unattributed(claim)} Add corroboration, or tick “single source” and "
                "write a note readers will see."
            ]
        return []
    if corroboration.disputing_sources == 0:
        label = Claim.Status(status).label.lower()
        return [f"A claim marked {label} needs at least one anchored disputing quote."]
    if status == Claim.Status.FALSE and not note.strip():
        return ["Marking a claim false needs a note saying why, which readers will see."]
    return []


def decision_problems(claim: Claim) -> list[str]:
    """Why a claim's standing decision no longer holds under the rules as of now, as
    sentences; [] if it holds (or there is no decision). Reads claim.evidence.all(), so a
    prefetch of evidence with its source and outlet costs nothing. The audit and every
    change that can undo a decision (a source's text or outlet, an outlet merge) ask this."""
    if claim.status not in Claim.DECIDED:
        return []
    problems = [
        f"The quote “{row.quote[:80]}” from “{row.source.title}” no longer anchors in its source."
        for row in claim.evidence.all()
        if not row.is_anchored
    ]
    if four_eyes() and claim.created_by_id and claim.created_by_id == claim.verified_by_id:
        problems.append("It was decided by its own author (the four-eyes rule).")
    problems += _status_problems(claim, claim.status, claim.verification_note, claim.single_source)
    return problems


def recheck_claims(
    claim_ids: Iterable[int], reason: str, user: AbstractBaseUser | None = None
) -> list[Claim]:
    """Move each decided claim among `claim_ids` whose decision no longer holds to needs
    re-check, saying `reason` (what changed) and what the rules now find. Returns them."""
    claims = (
        Claim.objects.filter(pk__in=set(claim_ids), status__in=Claim.DECIDED)
        .prefetch_related("evidence__source__outlet")
        .order_by("pk")
    )
    flagged = []
    for claim in claims:
        problems = decision_problems(claim)
        if problems:
            flagged.append(flag_for_recheck(claim.pk, f"{reason} {' '.join(problems)}", user))
    return flagged


def _unattributed(claim):
    sources = {
        row.source_id
        for row in claim.evidence.all()
        if row.stance == Evidence.Stance.SUPPORTS and row.is_anchored and not row.source.outlet_id
    }
    if not sources:
        return ""
    count = len(sources)
    if count == 1:
        return " (1 supporting source names no outlet, so it does not count as one.)"
    return f" ({count} supporting sources name no outlet, so they do not count as outlets.)"


def verify_claim(
    claim: Claim,
    user: AbstractBaseUser,
    status: str,
    note: str = "",
    single_source: bool = False,
    *,
    seen_version: str | None = None,
) -> Claim:
    """Decide a claim's status under the rules, on the locked row; raise VerificationError.
    `seen_version` is the verification_version() the verifier saw, when known."""
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update().prefetch_related("evidence__source").get(pk=claim.pk)
        )
        problems = verification_problems(locked, user, status, note, single_source)
        if seen_version is not None:
            stale = _stale_form_problem(locked, str(seen_version))
            if stale:
                problems.insert(0, stale)
        if problems:
            raise VerificationError(problems)
        single_source = bool(
            status == Claim.Status.VERIFIED
            and single_source
            and locked.corroboration().supporting_outlets < min_outlets()
        )
        _record(locked, user, status, note.strip(), single_source, ruled=True)
    _copy_decision(locked, claim)
    return locked


def _stale_form_problem(claim, seen_version):
    """Why a form opened on `seen_version` of the claim is stale, or ""."""
    now = verification_version(claim)
    if now == seen_version:
        return ""
    if now.split(":")[0] != seen_version.split(":")[0]:
        return (
            "Someone else has just decided on this claim (it is now "
            f"{claim.get_status_display().lower()}); review it and try again."
        )
    return (
        "This claim's statement or evidence changed after you opened this form, so you "
        "would be deciding on words you have not seen: review what it says now and decide "
        "again."
    )


def _record(claim, user, status, note, single_source, action=None, ruled=False):
    """Set and keep a claim's status. `ruled` when a verifier decided it through
    verify_claim: their name and the date then stay on the claim with their note, unverified
    included ("we could not confirm it", or why they reopened it), so readers see the note
    as the verifier's. The desk's own returns to unverified are nobody's ruling."""
    deciding = status in Claim.DECIDED
    previous = claim.status
    claim.status = status
    claim.verified_by = user if deciding or ruled else None
    claim.verified_at = timezone.now() if deciding or ruled else None
    claim.verification_note = note
    claim.single_source = single_source
    claim.save(update_fields=list(Claim.DECISION_FIELDS))
    Verification.objects.create(
        claim=claim,
        status=status,
        verified_by=user,
        note=note,
        single_source=single_source,
        fingerprint=claim.evidence_fingerprint() if deciding else {},
    )
    log(
        instance=claim,
        action=action or LOG_ACTIONS[status][0],
        user=user,
        data={"status": status, "note": note, "single_source": single_source},
    )
    _announce(claim, previous, status, note, user)


def _announce(claim, previous, status, note, user):
    if previous != status:
        claim_status_changed.send(
            sender=Claim, claim=claim, previous=previous, status=status, note=note, user=user
        )


def _copy_decision(source, target):
    if target is source:
        return
    for name in Claim.DECISION_FIELDS:
        setattr(target, name, getattr(source, name))


def reopen_if_changed(claim: Claim, note: str = "") -> bool:
    """Return a decided claim to unverified when its statement or evidence no longer match
    what the decision rested on. Called after every full Claim.save() (through
    actions.claims.claim_saved), the one place content changes. The one exception is a
    change a verifier approves in Claim review: that approval is the decision on the new
    words (approve_change), and a change the rules refuse is not published at all."""
    if claim.status == Claim.Status.UNVERIFIED:
        return False
    with transaction.atomic():
        current = (
            Claim.objects.select_for_update()
            .prefetch_related("evidence__source__outlet")
            .get(pk=claim.pk)
        )
        decision = current.verifications.order_by("-pk").first()
        if current.status == Claim.Status.UNVERIFIED or not decision or not decision.fingerprint:
            return False
        if current.evidence_fingerprint() == decision.fingerprint:
            return False
        approver = approver_of_change(current.pk)
        if approver is not None and current.is_decided:
            approve_change(current, approver)
            _copy_decision(current, claim)
            return False
        note = note or (
            "Its statement or evidence changed after it was marked "
            f"{decision.get_status_display().lower()}."
        )
        _record(current, get_active_log_context().user, Claim.Status.UNVERIFIED, note, False)
    _copy_decision(current, claim)
    return True


def approval_problems(claim: Claim, user: AbstractBaseUser) -> list[str]:
    """Why `user` may not approve, as the claim's decision, the words and quotes the claim
    now has (its change in Claim review, being published); [] if they may. The decision's
    own rules apply to the new words: four eyes, anchored quotes, corroboration."""
    if not user.has_perm("newsroom.verify_claim"):
        return ["Only a verifier can approve a change to a decided claim."]
    problems = _four_eyes_problems(claim, user) if four_eyes() else []
    for row in claim.evidence.all():
        if not row.reanchor(row.source.body):
            problems.append(
                f"The quote “{row.quote[:80]}” from “{row.source.title}” is not in its "
                "source word for word."
            )
    problems += _status_problems(claim, claim.status, claim.verification_note, claim.single_source)
    return problems


def approve_change(claim: Claim, user: AbstractBaseUser) -> None:
    """Record `user`'s approval of the claim's new words as its decision, keeping its status
    and note, on the row locked by the caller; raise VerificationError (undoing the
    approval and the publication with it) if the rules refuse it."""
    problems = approval_problems(claim, user)
    if problems:
        label = claim.get_status_display().lower()
        raise VerificationError(
            [f"This change cannot be approved as the decision on this claim ({label}):", *problems]
        )
    single_source = bool(
        claim.single_source and claim.corroboration().supporting_outlets < min_outlets()
    )
    _record(claim, user, claim.status, claim.verification_note, single_source, CHANGE_APPROVED[0])


def flag_for_recheck(claim_id: int, note: str, user: AbstractBaseUser | None = None) -> Claim:
    """Set a claim to needs re-check because a quote it cites is no longer in its source,
    as the claim's history and Wagtail's audit log keep decisions. Saved through the ORM,
    so the signals of what shows its status fire. Returns the claim, flagged.

    The history row carries the last decision's fingerprint, so that fixing the quote
    afterwards returns a decided claim to unverified, as any change to its evidence does."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        if claim.status == Claim.Status.NEEDS_RECHECK:
            return claim
        decision = claim.verifications.order_by("-pk").first()
        previous = claim.status
        claim.status = Claim.Status.NEEDS_RECHECK
        claim.save(update_fields=["status"])
        Verification.objects.create(
            claim=claim,
            status=claim.status,
            verified_by=user,
            note=note,
            fingerprint=decision.fingerprint if decision else {},
        )
        log(
            instance=claim,
            action=LOG_ACTIONS[claim.status][0],
            user=user,
            data={"status": claim.status, "note": note},
        )
        _announce(claim, previous, claim.status, note, user)
    return claim

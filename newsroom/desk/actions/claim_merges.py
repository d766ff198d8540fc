"""Merging a duplicate claim into the claim that stays: the pages citing the duplicate are
moved to the one that stays (through the site's publish path, so the publish guard, related
stories and caches follow), the duplicate's quotes the other lacks are offered to it as new
evidence (four eyes, as any new quote), and the duplicate is withdrawn, with the merge in
both claims' histories and in the audit log. One transaction: refused whole, or done whole.

The desk knows nothing of pages: whoever cites claims says, through CLAIM_CITATIONS_HOOK,
which of its pages cite the duplicate and how it moves them (explainers.claim_merges)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from newsroom.desk.actions.claims import AddEvidence, WithdrawClaim
from newsroom.desk.models import Claim, Evidence, Verification

# Each function registered here takes (merged claim id, target claim id) and returns a
# CitationMove per page of its own that cites the merged claim.
CLAIM_CITATIONS_HOOK = "newsroom_claim_citations_to_move"

MERGED = "newsroom.claim.merged"
LOG_ACTION = (MERGED, "Merge claims", "Claims merged")


@dataclass
class CitationMove:
    """A page citing the claim merged away, and what the merge does to it: `publishes`, a
    new revision of its live version citing the target instead is published; `drafts`, its
    draft is saved again citing the target. `refusal` says why the merge cannot move it
    ("" when it can); `move(user)` moves it (raising PermissionDenied if publishing is
    refused after all)."""

    title: str
    publishes: bool
    drafts: bool
    refusal: str
    move: Callable[[AbstractBaseUser | None], None]

    def describe(self) -> str:
        done = []
        if self.publishes:
            done.append("a new version is published citing it instead")
        if self.drafts:
            done.append("its draft is saved again citing it instead")
        return f"“{self.title}”: " + " and ".join(done) + "."


@dataclass
class MergePlan:
    """What merging will do, for the confirmation step, and what stands in its way."""

    moves: list[CitationMove] = field(default_factory=list)
    offered: list[Evidence] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class MergeRefused(ValidationError):
    """A merge the rules refuse; its messages name what is in the way. Nothing changed."""


def reasons(refusal: Exception) -> list[str]:
    """What a refusal says, as sentences (a ValidationError may hold several)."""
    if isinstance(refusal, ValidationError):
        return list(refusal.messages)
    return [str(refusal)]


def citation_moves(merged_id: int, target_id: int) -> list[CitationMove]:
    return [
        move
        for moves_for in hooks.get_hooks(CLAIM_CITATIONS_HOOK)
        for move in moves_for(merged_id, target_id)
    ]


class MergeClaims:
    """Merge claim `merged` into claim `target` (a verifier's action)."""

    permissions = policy_registry.get_by_type(Claim)

    def __init__(self, target: Claim, merged: Claim, user: AbstractBaseUser | None = None):
        self.target, self.merged, self.user = target, merged, user

    @classmethod
    def check_permissions(
        cls, user: AbstractBaseUser, target: Claim | None, merged: Claim | None
    ) -> None:
        """Merging is a verifier's decision that two claims are one: it changes both, and
        withdraws the merged one."""
        if not user.has_perm("newsroom.verify_claim"):
            raise PermissionDenied("Only a verifier can merge claims.")
        for claim in (target, merged):
            if claim and not cls.permissions.user_has_permission_for_instance(
                user, "change", claim
            ):
                raise PermissionDenied(f"You may not change the claim “{claim}”.")
        if (
            merged
            and merged.live
            and not cls.permissions.user_has_permission_for_instance(user, "publish", merged)
        ):
            raise PermissionDenied(f"You may not withdraw the claim “{merged}”.")

    def plan(self) -> MergePlan:
        """What the merge would do now, and every reason it cannot ([] in `problems` if
        none), as sentences for the verifier."""
        target, merged = self.target, self.merged
        plan = MergePlan()
        if target.pk == merged.pk:
            plan.problems.append("A claim cannot be merged into itself.")
            return plan
        if merged.merged_into_id:
            plan.problems.append(f"“{merged}” is already merged into another claim.")
        if target.merged_into_id:
            plan.problems.append(
                f"“{target}” was itself merged into another claim: merge into that one."
            )
        for claim in (target, merged):
            if claim.workflow_in_progress:
                plan.problems.append(
                    f"A change to “{claim}” is waiting in Claim review: approve it or request "
                    "changes first."
                )
            lock = claim.get_lock()
            if self.user is not None and lock and lock.for_user(self.user):
                plan.problems.append(f"“{claim}” is locked. {lock.get_description(self.user)}.")
        plan.moves = citation_moves(merged.pk, target.pk)
        plan.problems += [move.refusal for move in plan.moves if move.refusal]
        plan.offered = self.evidence_to_offer()
        return plan

    def evidence_to_offer(self) -> list[Evidence]:
        """Copies of the merged claim's quotes (as readers see them, still word for word in
        their sources) that the target's latest version does not cite."""
        latest = self.target.get_latest_revision_as_object()
        cited = {(row.source_id, row.quote) for row in latest.evidence.all()}
        rows = Evidence.objects.filter(claim=self.merged).select_related("source")
        return [
            Evidence(source=row.source, quote=row.quote, stance=row.stance, note=row.note)
            for row in rows.order_by("sort_order", "pk")
            if row.is_anchored and (row.source_id, row.quote) not in cited
        ]

    def execute(self, skip_permission_checks: bool = False) -> MergePlan:
        """Merge, on the two rows locked; raise MergeRefused (nothing changed) if the rules
        or the publish guard refuse any part of it. Returns what was done."""
        with transaction.atomic():
            locked = Claim.objects.select_for_update().in_bulk([self.target.pk, self.merged.pk])
            self.target, self.merged = locked[self.target.pk], locked[self.merged.pk]
            if not skip_permission_checks and self.user is not None:
                self.check_permissions(self.user, self.target, self.merged)
            plan = self.plan()
            if plan.problems:
                raise MergeRefused(["Nothing was merged.", *plan.problems])
            try:
                for move in plan.moves:
                    self.move_citations(move)
                self.withdraw_merged()
                if plan.offered:
                    AddEvidence(self.target, self.user, *plan.offered).execute()
            except (PermissionDenied, ValidationError) as refusal:
                # Raised inside the transaction: everything done so far is undone.
                raise MergeRefused(["Nothing was merged.", *reasons(refusal)]) from refusal
            self.record()
        return plan

    def move_citations(self, move: CitationMove) -> None:
        try:
            move.move(self.user)
        except (PermissionDenied, ValidationError) as refusal:
            raise MergeRefused([f"“{move.title}”: {' '.join(reasons(refusal))}"]) from refusal

    def withdraw_merged(self) -> None:
        merged = self.merged
        merged.merged_into = self.target
        merged.save(update_fields=["merged_into"])
        if merged.live:
            note = f"It was merged into “{self.target.statement}”, which says the same."
            WithdrawClaim(merged, self.user, note=note).execute(skip_permission_checks=True)

    def record(self) -> None:
        """The merge in both claims' histories (status unchanged, the last decision's
        fingerprint kept: a merge decides nothing) and in the audit log."""
        target, merged = self.target, self.merged
        notes = {
            merged: f"Merged into “{target.statement}” (claim {target.pk}).",
            target: f"“{merged.statement}” (claim {merged.pk}) was merged into this claim.",
        }
        for claim, note in notes.items():
            claim.refresh_from_db(fields=["status"])
            decision = claim.verifications.order_by("-pk").first()
            Verification.objects.create(
                claim=claim,
                status=claim.status,
                verified_by=self.user,
                note=note,
                fingerprint=decision.fingerprint if decision else {},
                merge=True,
            )
            log(
                instance=claim,
                action=MERGED,
                user=self.user,
                data={"merged": merged.pk, "into": target.pk, "note": note},
            )

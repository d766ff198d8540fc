"""The ways a claim changes what readers see besides a verifier's decision (which is
newsroom.desk.verification): publishing new wording or evidence, and withdrawing it."""

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail import hooks
from wagtail.actions.unpublish import UnpublishAction
from wagtail.permissions import policy_registry

from newsroom.desk.models import Claim, Evidence
from newsroom.desk.signals import claim_reworded, claim_withdrawn
from newsroom.desk.verification import flag_for_recheck, reopen_if_changed

# The hook through which the site says which live pages cite claims; the desk itself knows
# nothing of pages. Each function takes claim ids and returns {claim id: [page titles]}.
LIVE_CITATIONS_HOOK = "newsroom_live_citations"

_correction_note = contextvars.ContextVar("correction_note", default="")


def live_citations(claim_ids: Iterable[int]) -> dict[int, list[str]]:
    """{claim id: [titles of the live pages citing it]}, from every registered citer."""
    citing = {}
    for describe in hooks.get_hooks(LIVE_CITATIONS_HOOK):
        for claim_id, titles in describe(list(claim_ids)).items():
            citing.setdefault(claim_id, []).extend(titles)
    return {claim_id: sorted(set(titles)) for claim_id, titles in citing.items() if titles}


@contextlib.contextmanager
def correction_note(note: str | None) -> Iterator[None]:
    """The note an editor gave for readers with a change made inside this block: used as
    the reason of the status change the change causes (a reworded verified claim reopens)."""
    token = _correction_note.set((note or "").strip())
    try:
        yield
    finally:
        _correction_note.reset(token)


def current_correction_note() -> str:
    return _correction_note.get()


def claim_saved(claim: Claim, previous_statement: str | None) -> None:
    """After a full save of a claim (a draft of one never published, or a publication):
    anchor its quotes in their sources as they are now (a revision saved before a source
    changed holds offsets into the old text), reopen a decision the change undoes, and tell
    readers' pages of new wording."""
    reopen_if_changed(claim, note=current_correction_note())
    reanchor_claim(claim)
    if claim.live and previous_statement is not None and previous_statement != claim.statement:
        claim_reworded.send(
            sender=Claim,
            claim=claim,
            previous_statement=previous_statement,
            statement=claim.statement,
            user=None,
        )


def reanchor_claim(claim: Claim) -> None:
    """Anchor each of the claim's stored quotes in its source's current body; a quote no
    longer there is lost, and a decided claim citing it needs a re-check."""
    rows = list(Evidence.objects.filter(claim=claim).select_related("source"))
    changed, lost = [], []  # flag_for_recheck leaves a claim already flagged as it is
    for row in rows:
        before = row.anchor_state()
        if not row.reanchor(row.source.body):
            lost.append(row)
        if row.anchor_state() != before:
            changed.append(row)
    Evidence.objects.bulk_update(changed, Evidence.ANCHOR_FIELDS)
    if lost:
        quotes = "; ".join(f"“{row.quote[:80]}” from “{row.source.title}”" for row in lost)
        note = f"Its quotes are no longer in their sources word for word: {quotes}"
        claim.status = flag_for_recheck(claim.pk, note).status


class AddEvidence:
    """Cite a quote (or several) in a claim, in one click, as a new revision of it. The
    revision is published at once when the claim is live with no other change pending and
    the user may publish it. A new quote in a decided claim is a change to what its
    decision rests on: it is submitted to Claim review (readers keep the decided version
    until a verifier approves it), or, where no review workflow is set up and live
    explainers cite it, stays a draft, since readers are owed a correction note written on
    the edit form."""

    permissions = policy_registry.get_by_type(Claim)

    def __init__(self, claim: Claim, user: AbstractBaseUser, *evidence: Evidence):
        # Several quotes go in one revision (a merge offers all the merged claim's at once).
        self.claim, self.user, self.evidence = claim, user, list(evidence)
        self.held_for_note = False
        self.sent_to_review = False

    @classmethod
    def check_permission(cls, claim: Claim, user: AbstractBaseUser) -> None:
        if not cls.permissions.user_has_permission_for_instance(user, "change", claim):
            raise PermissionDenied

    def check(self) -> None:
        self.check_permission(self.claim, self.user)
        lock = self.claim.get_lock()
        if lock and lock.for_user(self.user):
            raise ValidationError(f"This claim is locked. {lock.get_description(self.user)}.")
        self.draft = self.claim.get_latest_revision_as_object()
        self.rows = list(self.draft.evidence.all())
        cited = {(row.source_id, row.quote) for row in self.rows}
        for evidence in self.evidence:
            if (evidence.source_id, evidence.quote) in cited:
                raise ValidationError("The claim already cites this quote.")
            cited.add((evidence.source_id, evidence.quote))
            evidence.clean()

    def publishes(self) -> bool:
        """Whether the new revision goes live; sets `held_for_note` when only the readers'
        correction note stands in the way."""
        claim = self.claim
        if not claim.live or claim.has_unpublished_changes:
            return False
        if not self.permissions.user_has_permission_for_instance(self.user, "publish", claim):
            return False
        if claim.is_decided and claim.get_workflow():
            self.sent_to_review = True
            return False
        self.held_for_note = claim.is_decided and bool(live_citations([claim.pk]))
        return not self.held_for_note

    def execute(self) -> bool:
        """Add the quotes; return whether they went live."""
        self.check()
        last = max((row.sort_order or 0 for row in self.rows), default=0)
        for number, evidence in enumerate(self.evidence, start=1):
            evidence.sort_order = last + number
        publish = self.publishes()
        self.draft.evidence.add(*self.evidence)
        with transaction.atomic():
            revision = self.draft.save_revision(user=self.user, log_action=True)
            if publish:
                revision.publish(user=self.user)
            elif self.sent_to_review and not self.claim.workflow_in_progress:
                self.claim.get_workflow().start(self.claim, self.user)
        return publish


def tag_claim(claim: Claim, user: AbstractBaseUser, tags: Iterable[str]) -> bool:
    """Add `tags` to a claim as a new revision of it, by `user` (an edit like any other, for
    the four-eyes rule too). Tags change nothing a decision rests on, so the revision is
    published at once when the claim is live with no other change pending and the user may
    publish it; otherwise the tags wait in its draft. Returns whether they went live."""
    publish = (
        claim.live
        and not claim.has_unpublished_changes
        and AddEvidence.permissions.user_has_permission_for_instance(user, "publish", claim)
    )
    with transaction.atomic():
        draft = claim.get_latest_revision_as_object()
        draft.tags.add(*tags)
        revision = draft.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
    return publish


class ClaimCitedError(PermissionDenied):
    """A claim live pages cite cannot be withdrawn; the message names the pages."""


CITATION_ADVICE = (
    "Remove the citations (publishing each explainer with a correction note for its "
    "readers) or unpublish those explainers first."
)


def describe_citations(claims: Iterable[Claim], citing: dict[int, list[str]]) -> str:
    """“claim” is cited by “page”, “page”; … for each of `claims` that live pages cite."""
    return "; ".join(
        f"“{claim}” is cited by " + ", ".join(f"“{title}”" for title in citing[claim.pk])
        for claim in claims
        if citing.get(claim.pk)
    )


class WithdrawClaim:
    """Unpublish a claim, so readers and the API no longer see it. Refused while a live
    explainer cites it: readers would lose it from the page without anyone deciding so, and
    with no entry in its corrections."""

    def __init__(self, claim: Claim, user: AbstractBaseUser | None = None, note: str = ""):
        self.claim, self.user, self.note = claim, user, note.strip()

    def check(self, skip_permission_checks: bool = False) -> None:
        action = UnpublishAction(self.claim, user=self.user)
        action.check(skip_permission_checks=skip_permission_checks)
        citing = live_citations([self.claim.pk])
        if citing:
            listed = describe_citations([self.claim], citing)
            raise ClaimCitedError(
                f"“{self.claim}” cannot be unpublished while live explainers cite it: "
                f"{listed}. {CITATION_ADVICE}"
            )

    def execute(self, skip_permission_checks: bool = False) -> Claim:
        with transaction.atomic():
            Claim.objects.select_for_update().filter(pk=self.claim.pk).first()
            self.check(skip_permission_checks=skip_permission_checks)
            UnpublishAction(self.claim, user=self.user).execute(skip_permission_checks=True)
            claim_withdrawn.send(sender=Claim, claim=self.claim, note=self.note, user=self.user)
        return self.claim

"""Bulk work on claims from their listing: tag them, submit them for verification (to Claim
review), withdraw them. Each claim is judged on its own: one the user may not act on, or
that the rules keep as it is (locked, already in review, cited by a live explainer), is
listed as refused with the reason, and left unchanged; the others are acted on. There is
no bulk verify: four eyes is per claim (newsroom.desk.verification)."""

from django import forms
from django.shortcuts import redirect
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin import widgets as admin_widgets
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from newsroom.desk.actions.claims import (
    ClaimCitedError,
    WithdrawClaim,
    describe_citations,
    live_citations,
    tag_claim,
)
from newsroom.desk.ids import BulkActionIdsChecked, require_ids
from newsroom.desk.models import Claim
from newsroom.desk.text import counted


class ClaimBulkAction(BulkActionIdsChecked, SnippetBulkAction):
    """A bulk action on claims whose per-claim judgement is `refusal(claim)`: why this user
    may not act on it now, or "" if they may. The confirmation lists both, with reasons."""

    models = [Claim]
    template_name = "newsroom/admin/bulk_actions/confirm_claims.html"
    #: What the confirmation asks, and the button that does it.
    question = ""
    button_text = ""
    #: The claim permission the action needs on each claim.
    permission = "change"

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Claim)

    def check_perm(self, claim):
        return not self.refusal(claim)

    def refusal(self, claim: Claim) -> str:
        user = self.request.user
        if not self.permission_policy.user_has_permission_for_instance(
            user, self.permission, claim
        ):
            return "You do not have permission to do this to it."
        if claim.workflow_in_progress:
            return "A change to it is waiting in Claim review."
        lock = claim.get_lock()
        if lock and lock.for_user(user):
            return f"It is locked. {lock.get_description(user)}."
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            question=self.question,
            button_text=self.button_text,
            refused=[(claim, self.refusal(claim)) for claim in context["items_with_no_access"]],
        )
        return context

    def prepare_action(self, objects, objects_without_access):
        refused = objects_without_access["items_with_no_access"]
        listed = " ".join(f"“{claim}”: {self.refusal(claim)}" for claim in refused)
        if not objects:
            messages.error(self.request, f"Nothing was done. {listed}")
            return redirect(self.next_url)
        if refused:
            messages.warning(self.request, f"Left unchanged: {listed}")
        return None


class TagForm(forms.Form):
    tags = forms.CharField(
        label="Tags",
        widget=admin_widgets.AdminTagWidget,
        help_text="Added to each claim's tags (those it has stay).",
    )

    def clean_tags(self):
        tags = [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]
        if not tags:
            raise forms.ValidationError("Give at least one tag.")
        return tags


class TagClaimsBulkAction(ClaimBulkAction):
    """Add tags to each claim, as a new revision of it (actions.claims.tag_claim)."""

    display_name = "Tag"
    action_type = "tag_claims"
    aria_label = "Add tags to the selected claims"
    action_priority = 20
    form_class = TagForm
    question = "Add these tags to the claims below?"
    button_text = "Yes, tag them"

    def get_execution_context(self):
        return {**super().get_execution_context(), "tags": self.cleaned_form.cleaned_data["tags"]}

    @classmethod
    def execute_action(cls, claims, tags=(), **kwargs):
        user = kwargs["self"].request.user
        for claim in claims:
            tag_claim(claim, user, tags)
        return len(claims), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"Tags added to {counted(num_parent_objects, 'claim')}."


class SubmitClaimsBulkAction(ClaimBulkAction):
    """Submit each claim's latest version to Claim review, as its edit form's "Submit to
    Claim review" does: verifiers find it among their tasks."""

    display_name = "Submit for verification"
    action_type = "submit_claims"
    aria_label = "Submit the selected claims to Claim review"
    action_priority = 30
    question = "Submit the claims below to Claim review, for a verifier?"
    button_text = "Yes, submit them"

    def refusal(self, claim):
        refused = super().refusal(claim)
        if refused:
            return refused
        if claim.get_workflow() is None:
            return "Claims have no review workflow to submit them to."
        if claim.is_decided and not claim.has_unpublished_changes:
            status = claim.get_status_display().lower()
            return f"It is already {status}, with no change since to review."
        return ""

    @classmethod
    def execute_action(cls, claims, **kwargs):
        user = kwargs["self"].request.user
        for claim in claims:
            if claim.latest_revision_id is None:
                claim.save_revision(user=user, log_action=True)
            claim.get_workflow().start(claim, user)
        return len(claims), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{counted(num_parent_objects, 'claim')} submitted to Claim review."


class WithdrawClaimsBulkAction(ClaimBulkAction):
    """Withdraw each claim (actions.claims.WithdrawClaim): refused for a claim that is not
    published, or that live explainers cite (naming them)."""

    display_name = "Withdraw"
    action_type = "withdraw_claims"
    aria_label = "Withdraw the selected claims"
    action_priority = 40
    classes = {"serious"}
    permission = "publish"
    question = "Withdraw the claims below, so readers and the API no longer see them?"
    button_text = "Yes, withdraw them"

    @cached_property
    def citing(self):
        """Live explainers citing the selected claims, read once for them all."""
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            ids = self.get_all_objects_in_listing_query(self.request.GET.get("childOf"))
        return live_citations(require_ids(ids))

    def refusal(self, claim):
        refused = super().refusal(claim)
        if refused:
            return refused
        if not claim.live:
            return "It is not published."
        if self.citing.get(claim.pk):
            return describe_citations([claim], self.citing) + "."
        return ""

    @classmethod
    def execute_action(cls, claims, **kwargs):
        request = kwargs["self"].request
        withdrawn = 0
        for claim in claims:
            try:
                WithdrawClaim(claim, request.user).execute()
            except ClaimCitedError as refusal:
                # Cited since the claims were chosen: left as it is, and said so.
                messages.error(request, str(refusal))
            else:
                withdrawn += 1
        return withdrawn, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{counted(num_parent_objects, 'claim')} withdrawn."

"""Admin views of a claim beyond Wagtail's generic ones: the claim with its quotes in
context and suggested evidence, the verification form, and one-click evidence."""

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.side_panels import BaseSidePanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.models import WorkflowState
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    UnpublishView,
    WorkflowActionView,
)

from newsroom.desk import verification
from newsroom.desk.actions.claims import (
    AddEvidence,
    ClaimCitedError,
    WithdrawClaim,
    correction_note,
)
from newsroom.desk.claim_forms import VerificationForm
from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.similar_claims import near_duplicates, similar_claims, warning_about
from newsroom.desk.suggestions import cached_suggestions
from newsroom.desk.text import counted
from newsroom.desk.views.base import DeskObjectView
from newsroom.desk.views.claim_tools import similar_claims_context


def claim_with_evidence():
    return Claim.objects.select_related("created_by", "verified_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("source__outlet"))
    )


class ClaimURLsMixin:
    """The URL names of the claim viewset's own views, given by ClaimViewSet to every view
    it builds, and the verify button they lead to."""

    verify_url_name = None
    add_evidence_url_name = None
    merge_url_name = None

    def claim_url(self, url_name, claim):
        return reverse(url_name, args=[quote(claim.pk)])

    def verify_url(self, claim):
        """The verification form's URL, for a user who may verify; else ""."""
        if not self.user_has_permission("verify"):
            return ""
        return self.claim_url(self.verify_url_name, claim)

    def verify_buttons(self, claim):
        url = self.verify_url(claim)
        if not url:
            return []
        buttons = [
            Button("Verify, dispute or mark false", url=url, icon_name="tick-inverse", priority=5)
        ]
        if not claim.merged_into_id:
            merge_url = self.claim_url(self.merge_url_name, claim)
            buttons.append(
                Button("Merge into another claim", url=merge_url, icon_name="resubmit", priority=40)
            )
        return buttons

    def verify_header_buttons(self, claim):
        """The header's own "Verify…" button, beside the "…" menu, for a user who may verify."""
        url = self.verify_url(claim)
        if not url:
            return []
        return [HeaderButton("Verify…", url=url, icon_name="tick-inverse", priority=5)]


class EvidenceSidePanel(BaseSidePanel):
    """The claim's status, corroboration and each quote marked in its source's text, beside
    the edit form, so an editor sees what the quotes say where they stand."""

    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        aria_label = "Toggle evidence in context"
        icon_name = "doc-full"

        def get_context_data(self, parent_context):
            context = super().get_context_data(parent_context)
            context["count"] = len(self.panel.evidence_rows)
            return context

    name = "evidence"
    title = "Evidence in context"
    template_name = "newsroom/admin/includes/evidence_side_panel.html"
    order = 200

    def __init__(self, *args, inspect_url, verify_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspect_url, self.verify_url = inspect_url, verify_url

    @cached_property
    def evidence_rows(self):
        return list(self.object.evidence.select_related("source__outlet"))

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(
            claim=self.object,
            evidence_rows=self.evidence_rows,
            corroboration=self.object.corroboration(),
            inspect_url=self.inspect_url,
            verify_url=self.verify_url,
        )
        return context


class SuggestionsSidePanel(BaseSidePanel):
    """Passages from sources the claim does not cite yet, each addable as supporting,
    disputing or context. Its toggle shows its name and count in words."""

    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        template_name = "newsroom/admin/includes/suggestions_toggle.html"
        icon_name = "search"

    class Media:
        css = {"all": ["newsroom/desk/suggestions.css"]}

    name = "suggestions"
    template_name = "newsroom/admin/includes/suggestions_side_panel.html"
    order = 300

    def __init__(self, *args, suggestions, add_evidence_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions, self.add_evidence_url = suggestions, add_evidence_url

    @property
    def title(self):
        return f"Evidence suggestions ({len(self.suggestions)})"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(suggestion_context(self.suggestions, self.add_evidence_url, self.request))
        # A component renders in a context of its own: its forms need the page's token.
        context["csrf_token"] = parent_context.get("csrf_token")
        return context


class SimilarClaimsSidePanel(BaseSidePanel):
    """Claims the desk already has that say much the same as the statement being written,
    each with its status, evidence count and citing explainers. Rendered with the form
    (empty on a new claim), then followed as the editor types by similar_claims.js."""

    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        template_name = "newsroom/admin/includes/suggestions_toggle.html"
        icon_name = "copy"

    class Media:
        css = {"all": ["newsroom/desk/suggestions.css"]}
        js = ["newsroom/desk/similar_claims.js"]

    name = "similar-claims"
    template_name = "newsroom/admin/includes/similar_claims_side_panel.html"
    order = 250

    def __init__(self, *args, found, similar_claims_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.found, self.similar_claims_url = found, similar_claims_url

    @property
    def title(self):
        return f"Similar claims ({len(self.found)})"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(
            similar_claims_context(self.found),
            similar_claims_url=self.similar_claims_url,
            claim_pk=self.object.pk if self.object else None,
        )
        return context


class SimilarClaimsMixin:
    """For the claim's add and edit views: the similar-claims panel beside the form, and
    a warning after saving a claim that another one already says (a newsroom may want
    both, so the save stands)."""

    similar_claims_url_name = None

    def similar_claims_panel(self, claim):
        statement = claim.statement if claim else ""
        return SimilarClaimsSidePanel(
            claim,
            self.request,
            found=similar_claims(statement, exclude=claim.pk if claim else None),
            similar_claims_url=reverse(self.similar_claims_url_name),
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if not self.expects_json_response and self.object.pk:
            duplicates = near_duplicates(self.object)
            if duplicates:
                edit_url_name = Claim.snippet_viewset.get_url_name("edit")
                messages.warning(self.request, warning_about(duplicates, edit_url_name))
        return response


class ClaimCreateView(SimilarClaimsMixin, CreateView):
    """Wagtail's snippet create view, with the claims like the statement beside the form."""

    def get_side_panels(self):
        side_panels = super().get_side_panels()
        if not self.expects_json_response:
            side_panels.append(self.similar_claims_panel(None))
        return side_panels


def suggestion_context(suggestions, add_evidence_url, request):
    """What the suggestion list needs, wherever it is shown: adding one comes back there."""
    return {
        "suggestions": suggestions,
        "add_evidence_url": add_evidence_url,
        "next_url": request.get_full_path(),
        "stances": Evidence.Stance.choices,
        "source_url_name": Source.snippet_viewset.get_url_name("inspect"),
    }


class ClaimEditView(SimilarClaimsMixin, ClaimURLsMixin, EditView):
    """Wagtail's snippet edit view, with the evidence in context beside the form and the
    way to verify and to the suggestions in the header. The editor's correction note goes
    with the change to readers' pages, as the reason of any status change it causes."""

    sent_to_review = False
    suggestion_limit = 8

    def post(self, request, *args, **kwargs):
        if self.action == "workflow-action":
            return self.review_action()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        with correction_note(form.cleaned_data.get("correction_note", "")):
            return super().form_valid(form)

    def review_action(self):
        """A reviewer's approval or request for changes, from the form's footer, decides on
        the change as submitted: the form is not saved, so a reviewer never becomes an
        editor of what they approve (which four eyes would then refuse)."""
        claim = self.object
        try:
            self.workflow_action_action()
        except verification.VerificationError as error:
            messages.error(self.request, str(error))
            return redirect(self.get_edit_url())
        messages.success(self.request, review_message(self.workflow_action, claim))
        return redirect(self.get_edit_url())

    def change_awaits_review(self) -> bool:
        """Whether this publication changes the words or quotes of a decided claim, which
        then wait in Claim review instead of going to readers."""
        live = Claim.objects.prefetch_related("evidence").get(pk=self.object.pk)
        if not (live.live and live.is_decided and self.workflow):
            return False
        proposed = self.new_revision.as_object()
        return proposed.evidence_fingerprint() != live.evidence_fingerprint()

    def publish_action(self):
        if not self.change_awaits_review():
            return super().publish_action()
        state = self.workflow_state
        if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(self.request.user)
        elif not self.object.workflow_in_progress:
            self.workflow.start(self.object, self.request.user)
        self.sent_to_review = True
        return None

    def get_success_message(self, instance=None):
        if not self.sent_to_review:
            return super().get_success_message(instance)
        live = Claim.objects.get(pk=self.object.pk)
        status = live.get_status_display().lower()
        return (
            f"Your change to “{live}” is submitted to Claim review. Readers keep seeing the "
            f"{status} version until a verifier approves it."
        )

    def get_side_panels(self):
        side_panels = super().get_side_panels()
        if not self.expects_json_response:
            side_panels.append(
                EvidenceSidePanel(
                    self.live_object,
                    self.request,
                    inspect_url=self.claim_url(self.inspect_url_name, self.object),
                    verify_url=self.verify_url(self.object),
                )
            )
            if self.user_has_permission_for_instance("change", self.object):
                side_panels.append(self.similar_claims_panel(self.object))
                side_panels.append(
                    SuggestionsSidePanel(
                        self.live_object,
                        self.request,
                        suggestions=cached_suggestions(self.live_object, self.suggestion_limit),
                        add_evidence_url=self.claim_url(self.add_evidence_url_name, self.object),
                    )
                )
        return side_panels

    @cached_property
    def header_buttons(self):
        return [*super().header_buttons, *self.verify_header_buttons(self.object)]

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                "Evidence and suggestions",
                url=self.claim_url(self.inspect_url_name, self.object),
                icon_name="search",
                priority=25,
            ),
            *self.verify_buttons(self.object),
        ]


def review_message(action: str, claim: Claim) -> str:
    if action == "approve":
        claim.refresh_from_db()
        return (
            f"Change to “{claim}” approved and published: readers see it now, "
            f"{claim.get_status_display().lower()}."
        )
    return f"Changes requested on “{claim}”: readers keep seeing the version they see now."


class ClaimWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action (approve, request changes), telling the reviewer when the
    rules refuse an approval as the claim's decision; nothing is approved then."""

    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except verification.VerificationError as error:
            messages.error(request, str(error))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(
                    request, {"step": "success", "redirect": self.redirect_url}
                )
            return redirect(self.redirect_url)
        messages.success(request, review_message(self.action_name, self.object))
        return response


class ClaimInspectView(ClaimURLsMixin, InspectView):
    """A claim as a verifier checks it: status and corroboration, each quote marked in its
    source's text, the decision history, and passages from other sources worth citing."""

    template_name = "newsroom/admin/claim_inspect.html"
    suggestion_limit = 8

    def get_object(self, queryset=None):
        return get_object_or_404(claim_with_evidence(), pk=self.pk)

    @cached_property
    def header_buttons(self):
        return [*super().header_buttons, *self.verify_header_buttons(self.object)]

    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *self.verify_buttons(self.object)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        can_change = self.user_has_permission_for_instance("change", claim)
        context.update(
            claim=claim,
            corroboration=claim.corroboration(),
            evidence_rows=list(claim.evidence.all()),
            history=claim.verifications.select_related("verified_by")[:20],
            can_change=can_change,
        )
        if can_change:
            context.update(
                suggestion_context(
                    cached_suggestions(claim, self.suggestion_limit),
                    self.claim_url(self.add_evidence_url_name, claim),
                    self.request,
                )
            )
        return context


class VerifyClaimView(DeskObjectView, WagtailAdminTemplateMixin, FormView):
    """Verify, dispute, mark false or reopen a claim, under newsroom.desk.verification's rules."""

    permission_required = "verify"
    template_name = "newsroom/admin/claim_verify.html"
    form_class = VerificationForm
    header_icon = "tick-inverse"

    def get_queryset(self):
        return claim_with_evidence()

    @property
    def claim(self):
        return self.object

    def get_page_title(self):
        return "Verify, dispute or mark false"

    def get_page_subtitle(self):
        return str(self.claim)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Claims"},
            {"url": self.object_url(self.edit_url_name), "label": str(self.claim)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        return {
            "status": Claim.Status.VERIFIED,
            "seen_version": verification.verification_version(self.claim),
        }

    #: How many of the verifiers who may decide instead the four-eyes banner names.
    named_verifiers = 5

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            claim=self.claim,
            corroboration=self.claim.corroboration(),
            evidence_rows=list(self.claim.evidence.all()),
            min_outlets=verification.min_outlets(),
            **self.four_eyes_context(),
        )
        return context

    def four_eyes_context(self):
        """What the four-eyes banner says on opening the form, before anyone decides: why
        this user may not decide the claim, and who may instead. The rule is still applied
        when the form is sent (verify_claim), whatever the page showed."""
        problems = verification.four_eyes_problems(self.claim, self.request.user)
        if not problems:
            return {"four_eyes_problems": [], "other_verifiers": [], "more_verifiers": False}
        others = verification.eligible_verifiers(self.claim, limit=self.named_verifiers + 1)
        return {
            "four_eyes_problems": problems,
            "other_verifiers": [display_name(user) for user in others[: self.named_verifiers]],
            "more_verifiers": len(others) > self.named_verifiers,
        }

    def form_valid(self, form):
        try:
            claim = verification.verify_claim(
                self.claim,
                self.request.user,
                form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                single_source=form.cleaned_data["single_source"],
                seen_version=form.cleaned_data["seen_version"],
            )
        except verification.VerificationError as error:
            for problem in error.problems:
                form.add_error(None, problem)
            messages.error(self.request, "The claim was not changed.")
            return self.form_invalid(form)
        messages.success(self.request, f"“{claim}” is now {claim.get_status_display().lower()}.")
        return redirect(self.object_url(self.edit_url_name, claim))


class ClaimUnpublishView(UnpublishView):
    """Withdraw a claim through WithdrawClaim: refused, naming them, while live explainers
    cite it."""

    def get(self, request, *args, **kwargs):
        try:
            WithdrawClaim(self.object, request.user).check(skip_permission_checks=True)
        except ClaimCitedError as refusal:
            messages.warning(request, str(refusal))
        return super().get(request, *args, **kwargs)

    def unpublish(self):
        try:
            WithdrawClaim(self.object, self.request.user).execute(skip_permission_checks=True)
        except ClaimCitedError as refusal:
            messages.error(self.request, str(refusal))
            return redirect(reverse(self.edit_url_name, args=[quote(self.object.pk)]))
        return None


class AddEvidenceView(DeskObjectView, View):
    """Cite a suggested passage in one click, as a new revision of the claim."""

    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        claim = self.object
        AddEvidence.check_permission(claim, request.user)
        inspect_url = self.return_url(self.object_url(self.inspect_url_name))
        try:
            action = AddEvidence(claim, request.user, self.evidence_from(request.POST))
            published = action.execute()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages) + " Nothing was added.")
            return redirect(inspect_url)
        if published:
            messages.success(request, "Quote added to the claim.")
        elif action.sent_to_review:
            messages.success(
                request,
                "Quote added and submitted to Claim review: readers keep seeing the "
                f"{claim.get_status_display().lower()} version until a verifier approves it.",
            )
        elif action.held_for_note:
            messages.success(
                request,
                "Quote added to the claim's draft. Live explainers cite this decided claim: "
                "publish the change from the edit form, with a correction note for their readers.",
            )
        else:
            messages.success(request, "Quote added to the claim's draft; publish it to go live.")
        return redirect(inspect_url)

    def return_url(self, default):
        """Back where the editor added the quote (the claim's form or its inspect page),
        if that is a page of this site."""
        next_url = self.request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return next_url
        return default

    def evidence_from(self, data):
        try:
            source = Source.objects.get(pk=int(data.get("source", "")))
        except (ValueError, Source.DoesNotExist):
            raise ValidationError("That source does not exist.") from None
        stance = data.get("stance", "")
        if stance not in Evidence.Stance.values:
            raise ValidationError("Choose whether the quote supports, disputes or gives context.")
        quote = data.get("quote", "").strip()
        if not quote:
            raise ValidationError("The quote is empty.")
        return Evidence(source=source, quote=quote, stance=stance)


def display_name(user):
    """A user as the desk names them to colleagues: "Full Name (username)", or the username."""
    full_name = user.get_full_name().strip()
    username = user.get_username()
    return f"{full_name} ({username})" if full_name else username


class AuthorColumn(Column):
    """A list column naming the claim's author, with a "You" badge on the request user's
    own claims (the ones the four-eyes rule lets someone else decide)."""

    cell_template_name = "newsroom/admin/includes/author_cell.html"

    def __init__(self, name="created_by", label="Author", **kwargs):
        super().__init__(name, label=label, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = context.get("request")
        context["author"] = author = context["raw_value"]
        context["is_you"] = bool(author and request and author.pk == request.user.pk)
        return context


def corroboration_columns():
    """List columns for how many sources and outlets support and dispute each claim; the
    list's queryset prefetches evidence with its source, so they cost no extra queries."""

    def summary(supporting):
        def value(claim):
            counts = claim.corroboration()
            if supporting:
                sources, outlets = counts.supporting_sources, counts.supporting_outlets
            else:
                sources, outlets = counts.disputing_sources, counts.disputing_outlets
            return f"{counted(sources, 'source')}, {counted(outlets, 'outlet')}"

        return value

    return [
        Column("supporting", label="Supported by", accessor=summary(True)),
        Column("disputing", label="Disputed by", accessor=summary(False)),
    ]

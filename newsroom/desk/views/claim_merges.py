"""Merging a duplicate claim into another: choose the claim that stays, see what the merge
will do (the explainers whose citations move, the quotes offered), then confirm."""

from django import forms
from django.shortcuts import redirect
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.widgets import AdminSnippetChooser

from newsroom.desk.actions.claim_merges import MergeClaims, MergeRefused
from newsroom.desk.ids import FormIdsChecked
from newsroom.desk.models import Claim
from newsroom.desk.views.base import DeskObjectView


class MergeClaimForm(FormIdsChecked, forms.Form):
    id_fields = ("target",)

    target = forms.ModelChoiceField(
        queryset=Claim.objects.none(),
        label="Merge into",
        widget=AdminSnippetChooser(Claim),
        help_text="The claim that stays. Explainers citing this one will cite it instead, "
        "and this one's quotes it lacks are offered to it.",
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        others = Claim.objects.exclude(pk=claim.pk).filter(merged_into__isnull=True)
        self.fields["target"].queryset = others


class MergeClaimView(DeskObjectView, WagtailAdminTemplateMixin, FormView):
    """Merge this claim into another (a verifier's action, on two claims they may change)."""

    permission_required = "verify"
    template_name = "newsroom/admin/claim_merge.html"
    form_class = MergeClaimForm
    header_icon = "resubmit"
    page_title = "Merge into another claim"

    def check_object_permission(self, obj):
        super().check_object_permission(obj)
        MergeClaims.check_permissions(self.request.user, None, obj)

    @property
    def claim(self):
        return self.object

    def get_page_subtitle(self):
        return str(self.claim)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "claim": self.claim}

    def get_context_data(self, **kwargs):
        return super().get_context_data(claim=self.claim, **kwargs)

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        MergeClaims.check_permissions(self.request.user, target, self.claim)
        action = MergeClaims(target, self.claim, self.request.user)
        if not form.cleaned_data["confirmed"]:
            return self.confirmation(form, target, action.plan())
        try:
            action.execute()
        except MergeRefused as refusal:
            messages.error(self.request, " ".join(refusal.messages))
            return self.confirmation(form, target, action.plan())
        messages.success(
            self.request,
            f"“{self.claim}” is merged into “{action.target}” and withdrawn.",
        )
        return redirect(self.object_url(self.edit_url_name, action.target))

    def confirmation(self, form, target, plan):
        """The confirmation step: what the merge will do, or what stands in its way."""
        confirm = self.form_class(initial={"target": target, "confirmed": True}, claim=self.claim)
        return self.render_to_response(
            self.get_context_data(form=confirm, target=target, plan=plan, confirming=True)
        )

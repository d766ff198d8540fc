"""Merging two outlets that are one publisher."""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView

from newsroom.desk.actions.outlets import MergeOutlets
from newsroom.desk.models import Outlet
from newsroom.desk.views.base import DeskObjectView


class MergeOutletForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Outlet.objects.none(),
        label="Merge into",
        help_text="The outlet that stays. This one's sources move to it, and its name and "
        "domain become that outlet's aliases.",
    )

    def __init__(self, *args, outlet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Outlet.objects.exclude(pk=outlet.pk)


class MergeOutletView(DeskObjectView, WagtailAdminTemplateMixin, FormView):
    """Merge this outlet into another; claims verified on both are re-checked."""

    # One who may not delete this outlet may not merge it away; MergeOutlets checks the
    # sources that move, and the outlet that stays, too.
    permission_required = "delete"
    template_name = "newsroom/admin/outlet_merge.html"
    form_class = MergeOutletForm
    header_icon = "site"
    page_title = "Merge outlet"

    def check_object_permission(self, obj):
        # Refused before the form shows, on the outlet and on the sources that would move.
        super().check_object_permission(obj)
        MergeOutlets.check_permissions(self.request.user, None, obj)

    @property
    def outlet(self):
        return self.object

    def get_page_subtitle(self):
        return str(self.outlet)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "outlet": self.outlet}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(outlet=self.outlet, source_count=self.outlet.sources.count())
        return context

    def form_valid(self, form):
        action = MergeOutlets(form.cleaned_data["target"], self.outlet, self.request.user)
        try:
            flagged = action.execute()
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        message = f"“{self.outlet}” is merged into “{action.target}”."
        if flagged:
            message += f" {len(flagged)} claims no longer meet the outlet rule and need re-check."
        messages.success(self.request, message)
        return redirect(self.object_url(self.edit_url_name, action.target))


class OutletEditView(EditView):
    """Wagtail's snippet edit view, with the way to merge the outlet into another."""

    merge_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission_for_instance("delete", self.object):
            buttons.append(
                Button(
                    "Merge into another outlet",
                    url=reverse(self.merge_url_name, args=[quote(self.object.pk)]),
                    icon_name="resubmit",
                    priority=30,
                )
            )
        return buttons

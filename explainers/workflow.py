"""Desk review in the admin: a verifier's approval that the publish guard refuses is answered
with the guard's message naming the claims, never Wagtail's "no permission" page."""

from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.views.pages.workflow import WorkflowActionView

from explainers.guard import PublishRefused
from explainers.publishing import owed_notes, owed_notes_message


class ExplainerWorkflowActionView(WorkflowActionView):
    """Approve (or any workflow action) from the dashboard or its modal. If the action would
    publish and the guard refuses, everything it did is rolled back, so the page stays a
    draft and its review stays in progress, and the verifier sees which claims stand in
    the way: in the modal, as an error on its form; otherwise as an error message."""

    def post(self, request, *args, **kwargs):
        # Approval from here has no correction note: a change readers are owed one for is
        # approved from the edit form instead.
        owed = owed_notes([self.object]) if self.action_name == "approve" else []
        if owed:
            return self.refused(request, owed_notes_message(owed))
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except PublishRefused as refusal:
            return self.refused(request, refusal)

    def refused(self, request, refusal):
        message = str(refusal)
        in_modal = request.headers.get("x-requested-with") == "XMLHttpRequest"
        if in_modal and self.form_class:
            form = self.form_class(request.POST)
            form.is_valid()
            form.add_error(None, message)
            return self.render_modal_form(request, form)
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.object.pk])
        buttons = [] if self.redirect_url == edit_url else [messages.button(edit_url, "Edit")]
        messages.error(request, message, buttons=buttons)
        if in_modal:
            return self.render_modal_json(
                request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)

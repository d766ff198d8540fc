"""Desk review in the admin: a verifier's approval that the publish guard refuses is answered
with the guard's message naming the claims, never Wagtail's "no permission" page; one that
goes through is confirmed, saying where the explainer now stands."""

from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin import messages
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import Page, TaskState

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
                response = super().post(request, *args, **kwargs)
        except PublishRefused as refusal:
            return self.refused(request, refusal)
        if self.action_name == "approve" and self.task_state_is(TaskState.STATUS_APPROVED):
            messages.success(request, approval_message(self.object))
        return response

    def task_state_is(self, status):
        # An invalid modal form is shown again without acting: only a real approval is told.
        return TaskState.objects.filter(pk=self.task_state.pk, status=status).exists()

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


def approval_message(page: Page) -> str:
    """The confirmation a verifier sees once their approval of `page` went through: live,
    scheduled, or on to the next step of its review."""
    page = Page.objects.get(pk=page.pk)  # Approving publishes another copy of the page.
    title = f"“{page.get_admin_display_title()}”"
    task = page.current_workflow_task
    if task is not None:
        return f"Approved: {title} moves on to the next step of its review, “{task.name}”."
    scheduled = page.scheduled_revision
    if scheduled is not None:
        when = date_format(timezone.localtime(scheduled.approved_go_live_at), "j F Y, H:i")
        return f"Approved: {title} is scheduled to go live on {when}."
    if page.live:
        return f"Approved and published: {title} is live."
    return f"Approved: {title}."

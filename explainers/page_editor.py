"""The explainer page editor: Wagtail's create and edit views, telling the editor on saving
a draft or submitting it for review which cited claims stand in the way of publishing (by the
publish guard's own rule and words), so the verifier is not the first to find out; and
confirming a verifier's approval made from the editor."""

from django.http import HttpRequest
from wagtail.admin import messages
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Page

from explainers.guard import refusal_message, unverified_citations
from explainers.workflow import approval_message

# The editor's actions that keep a page a draft, and what each adds to the guard's words.
DRAFT_ACTIONS = {
    "save": "",
    "submit": " Desk review cannot approve it until then.",
}


def warn_of_claims_in_the_way(request: HttpRequest, page: Page, action: str) -> None:
    """A warning naming each claim `page` cites that keeps it from being published: not
    verified and not marked "Show as not verified", or not published at all."""
    claims = unverified_citations(page.body.raw_data)
    if claims:
        messages.warning(request, refusal_message(claims) + DRAFT_ACTIONS[action])


class ClaimsInTheWayWarned:
    """After a draft is saved or submitted (and the editor is sent on to a page that shows
    messages), the warning of claims in the way of publishing."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.action_name in DRAFT_ACTIONS and response.status_code == 302:
            warn_of_claims_in_the_way(self.request, self.page, self.action_name)
        return response


class ExplainerCreateView(ClaimsInTheWayWarned, CreateView):
    pass


class ExplainerEditView(ClaimsInTheWayWarned, EditView):
    def perform_workflow_action(self):
        response = super().perform_workflow_action()
        if self.workflow_action == "approve":
            messages.success(self.request, approval_message(self.page))
        return response

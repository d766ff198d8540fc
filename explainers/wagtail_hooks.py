"""Explainers in the Wagtail admin: their page views, with Desk review approval answering a
refused publication by naming the claims; and the other ways a page goes live (copying with
"publish copies", bulk publishing) held to the same publish guard, with the same message."""

from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from explainers.guard import refusals_for_pages, refusals_message
from explainers.models import ExplainerPage
from explainers.models.pages import PUBLISH_REFUSED
from explainers.workflow import ExplainerWorkflowActionView


class ExplainerPageViewSet(PageViewSet):
    model = ExplainerPage
    workflow_action_view_class = ExplainerWorkflowActionView
    # Only the per-page views change; the explainers index keeps the standard explorer listing.
    parent_models = []


@hooks.register("register_admin_viewset")
def register_explainer_page_viewset():
    return ExplainerPageViewSet()


@hooks.register("register_log_actions")
def register_publish_refused_action(actions):
    @actions.register_action(PUBLISH_REFUSED)
    class PublishRefusedFormatter(LogFormatter):
        label = "Publishing refused"

        def format_message(self, log_entry):
            claims = "; ".join(f"“{claim['statement']}”" for claim in log_entry.data["claims"])
            return f"Scheduled publishing refused: the page cites claims in the way: {claims}"


@hooks.register("before_copy_page")
def refuse_publishing_copies_the_guard_refuses(request, page):
    """ "Publish copies" puts the copies live without publishing them: refuse it, naming the
    claims, while a live explainer being copied could not be published now."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    if request.POST.get("alias"):
        return None  # An alias shows the original's content, which is already live.
    destination = Page.objects.filter(pk=request.POST.get("new_parent_page") or None).first()
    if (
        destination is None
        or not destination.permissions_for_user(request.user).can_publish_subpage()
    ):
        return None  # Wagtail copies as a draft for one who may not publish there.
    explainers = ExplainerPage.objects.live()
    if request.POST.get("copy_subpages"):
        explainers = explainers.descendant_of(page, inclusive=True)
    else:
        explainers = explainers.filter(pk=page.pk)
    refusals = [(explainer, explainer.publish_refusals()) for explainer in explainers]
    refusals = [(explainer, claims) for explainer, claims in refusals if claims]
    if not refusals:
        return None
    messages.error(
        request,
        refusals_message(
            refusals,
            "Nothing was copied: untick “Publish copies” to copy as a draft.",
        ),
    )
    return redirect(request.get_full_path())


class GuardedPublishBulkAction(PublishBulkAction):
    """Wagtail's bulk publish, asking the publish guard first: if any explainer it would put
    live is refused, nothing is published and the message names the pages and their claims
    (instead of a bare "permission denied")."""

    def prepare_action(self, objects, objects_without_access):
        pages = {page.pk: page for page in objects}
        if self.cleaned_form.cleaned_data["include_descendants"]:
            for page in objects:
                for draft in ExplainerPage.objects.descendant_of(page).not_live():
                    pages.setdefault(draft.pk, draft)
        refusals = refusals_for_pages(pages.values())
        if not refusals:
            return None
        messages.error(self.request, refusals_message(refusals, "Nothing was published."))
        return redirect(self.next_url)


# After Wagtail's own registration, so this one takes the "publish" action for pages.
hooks.register("register_bulk_action", GuardedPublishBulkAction, order=1)

"""Explainers in the Wagtail admin: their page views, with Desk review approval answering a
refused publication by naming the claims."""

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageViewSet

from explainers.models import ExplainerPage
from explainers.workflow import ExplainerWorkflowActionView


class ExplainerPageViewSet(PageViewSet):
    model = ExplainerPage
    workflow_action_view_class = ExplainerWorkflowActionView
    # Only the per-page views change; the explainers index keeps the standard explorer listing.
    parent_models = []


@hooks.register("register_admin_viewset")
def register_explainer_page_viewset():
    return ExplainerPageViewSet()

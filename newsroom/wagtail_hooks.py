"""The evidence desk in the Wagtail admin: outlets, sources and claims as snippets."""

from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from newsroom.filters import ClaimFilterSet, OutletFilterSet, SourceFilterSet
from newsroom.models import Claim, Evidence, Outlet, Source
from newsroom.verification import LOG_ACTIONS
from newsroom.views.claims import (
    AddEvidenceView,
    ClaimEditView,
    ClaimInspectView,
    VerifyClaimView,
    corroboration_columns,
)
from newsroom.views.dashboard import verification_panels
from newsroom.views.sources import RestoreSetAsideLineView, SourceInspectView


class EvidenceDeskViewSet(SnippetViewSet):
    # The admin searches with the ORM, so results never wait on a search index update.
    search_backend_name = None


class OutletViewSet(EvidenceDeskViewSet):
    model = Outlet
    icon = "site"
    menu_order = 300
    list_display = ["name", "country", "domain", Column("source_count", label="Sources")]
    filterset_class = OutletFilterSet
    search_fields = ["name", "aliases"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Outlet.objects.annotate(source_count=Count("sources"))


class SourceViewSet(EvidenceDeskViewSet):
    model = Source
    icon = "doc-full"
    menu_order = 100
    list_display = [
        "title",
        "outlet",
        "kind",
        DateColumn("published_on", label="Published"),
        "language",
        DateColumn("imported_at", label="Imported"),
    ]
    list_per_page = 50
    filterset_class = SourceFilterSet
    search_fields = ["title", "body", "outlet__name"]
    inspect_view_enabled = True
    inspect_view_class = SourceInspectView
    inspect_view_fields = [
        "title",
        "outlet",
        "url",
        "kind",
        "language",
        "published_on",
        "date_precision",
        "tags",
        "seed_file",
        "imported_at",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Source.objects.select_related("outlet")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "restore-line/<int:pk>/<int:line>/",
                RestoreSetAsideLineView.as_view(),
                name="restore_line",
            ),
        ]


class ClaimViewSet(EvidenceDeskViewSet):
    model = Claim
    icon = "tick-inverse"
    menu_order = 200
    list_display = [
        "statement",
        Column("status", label="Status", accessor="get_status_display"),
        *corroboration_columns(),
        Column("created_by", label="Author"),
        DateColumn("latest_revision_created_at", label="Updated"),
    ]
    list_per_page = 50
    filterset_class = ClaimFilterSet
    search_fields = ["statement"]
    inspect_view_enabled = True
    inspect_view_class = ClaimInspectView
    edit_view_class = ClaimEditView

    def get_queryset(self, request):
        return Claim.objects.select_related("created_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source"))
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("verify/<int:pk>/", VerifyClaimView.as_view(), name="verify"),
            path("add-evidence/<int:pk>/", AddEvidenceView.as_view(), name="add_evidence"),
        ]


class EvidenceDeskGroup(SnippetViewSetGroup):
    menu_label = "Evidence desk"
    menu_icon = "tasks"
    menu_order = 150
    items = (SourceViewSet, ClaimViewSet, OutletViewSet)


register_snippet(EvidenceDeskGroup)


@hooks.register("after_create_snippet")
def record_claim_author(request, instance):
    if isinstance(instance, Claim) and instance.created_by_id is None:
        Claim.objects.filter(pk=instance.pk).update(created_by=request.user)
        instance.created_by = request.user


@hooks.register("register_log_actions")
def register_verification_actions(actions):
    for action, label, message in LOG_ACTIONS.values():
        actions.register_action(action, label, message)


@hooks.register("construct_homepage_panels")
def add_verification_panels(request, panels):
    panels.extend(verification_panels(request.user))


@hooks.register("before_delete_snippet")
def refuse_deleting_cited_claims(request, instances):
    """A claim a live explainer cites cannot be deleted (single or bulk): readers would lose
    it from the page without anyone deciding so. The confirmation page warns, and confirming
    is refused, naming the explainers. Someone who may not delete claims at all is left to
    Wagtail's own refusal."""
    claims = [instance for instance in instances if isinstance(instance, Claim)]
    if not claims or not request.user.has_perm("newsroom.delete_claim"):
        return None
    from explainers.models import ExplainerPage

    citing = ExplainerPage.live_citing([claim.pk for claim in claims])
    if not citing:
        return None
    listed = "; ".join(
        f"“{claim}” is cited by " + ", ".join(f"“{title}”" for title in citing[claim.pk])
        for claim in claims
        if citing.get(claim.pk)
    )
    advice = "Remove the citations (and publish) or unpublish those explainers first."
    if request.method != "POST":
        messages.warning(request, f"Live explainers cite these claims: {listed}. {advice}")
        return None
    messages.error(
        request, f"Nothing was deleted: live explainers cite these claims. {listed}. {advice}"
    )
    if len(claims) == 1:
        return redirect(Claim.snippet_viewset.get_url_name("edit"), claims[0].pk)
    return redirect(Claim.snippet_viewset.get_url_name("list"))

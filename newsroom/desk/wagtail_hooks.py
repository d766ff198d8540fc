"""The evidence desk in the Wagtail admin: outlets, sources and claims as snippets."""

from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, UpdatedAtColumn
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from newsroom.desk.actions import claim_merges
from newsroom.desk.actions.claims import CITATION_ADVICE, describe_citations, live_citations
from newsroom.desk.actions.outlets import MERGED, EditOutlet
from newsroom.desk.claim_forms import ClaimForm
from newsroom.desk.filters import ClaimFilterSet, OutletFilterSet, SourceFilterSet
from newsroom.desk.forms import SourceForm
from newsroom.desk.ids import BulkActionIdsChecked
from newsroom.desk.models import Claim, Evidence, Outlet, Source
from newsroom.desk.panels import ClaimReadersPanel, with_corroboration
from newsroom.desk.verification import CHANGE_APPROVED, LOG_ACTIONS
from newsroom.desk.views.choosers import (
    ClaimChooserViewSet,
    EvidenceDeskChooserViewSet,
    SourceChooserViewSet,
)
from newsroom.desk.views.claim_bulk_actions import (
    SubmitClaimsBulkAction,
    TagClaimsBulkAction,
    WithdrawClaimsBulkAction,
)
from newsroom.desk.views.claim_merges import MergeClaimView
from newsroom.desk.views.claim_tools import (
    DraftCorroborationView,
    SimilarClaimsView,
    SourceTextView,
)
from newsroom.desk.views.claims import (
    AddEvidenceView,
    AuthorColumn,
    ClaimCreateView,
    ClaimEditView,
    ClaimInspectView,
    ClaimUnpublishView,
    ClaimWorkflowActionView,
    VerifyClaimView,
    corroboration_columns,
)
from newsroom.desk.views.dashboard import verification_panels
from newsroom.desk.views.exports import ClaimIndexView
from newsroom.desk.views.imports import (
    CapturedCopyView,
    ImportRunStatusView,
    ImportRunView,
    ImportSourcesView,
    RecaptureSourceView,
)
from newsroom.desk.views.outlets import MergeOutletView, OutletEditView
from newsroom.desk.views.sources import (
    RestoreSetAsideLineView,
    SourceAddView,
    SourceIndexView,
    SourceInspectView,
)


class EvidenceDeskViewSet(SnippetViewSet):
    # The admin searches with the ORM, so results never wait on a search index update.
    search_backend_name = None
    chooser_viewset_class = EvidenceDeskChooserViewSet

    #: The desk's own views beside Wagtail's, as {name: (route, view class)}. Each is built
    #: by construct_view, so it gets the viewset's model and permission policy, and every
    #: view of the viewset is told its URL name as `<name>_url_name`.
    extra_views: dict[str, tuple[str, type]] = {}

    def get_common_view_kwargs(self, **kwargs):
        url_names = {f"{name}_url_name": self.get_url_name(name) for name in self.extra_views}
        return super().get_common_view_kwargs(**url_names, **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            *(
                path(route, self.construct_view(view_class), name=name)
                for name, (route, view_class) in self.extra_views.items()
            ),
        ]


class OutletViewSet(EvidenceDeskViewSet):
    model = Outlet
    icon = "site"
    menu_order = 300
    list_display = ["name", "country", "domain", Column("source_count", label="Sources")]
    filterset_class = OutletFilterSet
    search_fields = ["name", "aliases"]
    inspect_view_enabled = True
    edit_view_class = OutletEditView

    def get_queryset(self, request):
        return Outlet.objects.annotate(source_count=Count("sources"))

    extra_views = {"merge": ("merge/<int:pk>/", MergeOutletView)}


class SourceViewSet(EvidenceDeskViewSet):
    model = Source
    chooser_viewset_class = SourceChooserViewSet
    edit_handler = ObjectList(Source.panels, base_form_class=SourceForm)
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
    # Downloads of the listing, as filtered (views.exports).
    list_export = ["title", "outlet", "kind", "published_on", "url", "language", "claims_citing"]
    export_headings = {
        "title": "Title",
        "outlet": "Outlet",
        "kind": "Kind",
        "published_on": "Date",
        "url": "URL",
        "language": "Language",
        "claims_citing": "Claims citing",
    }
    export_filename = "sources"
    # Titles open the reading view; a source is added by pasting its text for the importer.
    index_view_class = SourceIndexView
    add_view_class = SourceAddView
    create_template_name = "newsroom/admin/source_add.html"
    inspect_view_enabled = True
    inspect_view_class = SourceInspectView
    inspect_view_fields = [
        "title",
        "outlet",
        "url",
        "canonical_url",
        "kind",
        "language",
        "published_on",
        "date_precision",
        "tags",
        "author",
        "seed_file",
        "imported_at",
        "captured_at",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Source.objects.select_related("outlet")

    extra_views = {
        "restore_line": ("restore-line/<int:pk>/<int:line>/", RestoreSetAsideLineView),
        "import": ("import/", ImportSourcesView),
        "import_run": ("import/<int:pk>/", ImportRunView),
        "import_run_status": ("import/<int:pk>/status/", ImportRunStatusView),
        "captured_copy": ("captured/<int:pk>/<int:capture>/", CapturedCopyView),
        "recapture": ("recapture/<int:pk>/", RecaptureSourceView),
    }


class ClaimViewSet(EvidenceDeskViewSet):
    model = Claim
    chooser_viewset_class = ClaimChooserViewSet
    edit_handler = ObjectList(
        [ClaimReadersPanel(), *with_corroboration(Claim.panels)], base_form_class=ClaimForm
    )
    icon = "tick-inverse"
    menu_order = 200
    list_display = [
        "statement",
        Column("status", label="Status", accessor="get_status_display"),
        *corroboration_columns(),
        AuthorColumn("created_by", label="Author"),
        # When the claim last changed: its latest revision (Wagtail joins it into the
        # list's query as _updated_at, so the column costs no query per row).
        UpdatedAtColumn(),
    ]
    list_per_page = 50
    filterset_class = ClaimFilterSet
    search_fields = ["statement"]
    # Downloads of the listing, as filtered (views.exports).
    index_view_class = ClaimIndexView
    list_export = [
        "statement",
        "status",
        "verifier",
        "decided_at",
        "outlets",
        "sources",
        "citing_explainers",
    ]
    export_headings = {
        "statement": "Statement",
        "status": "Status",
        "verifier": "Verifier",
        "decided_at": "Decision date",
        "outlets": "Outlets",
        "sources": "Sources",
        "citing_explainers": "Citing explainers",
    }
    export_filename = "claims"
    inspect_view_enabled = True
    inspect_view_class = ClaimInspectView
    add_view_class = ClaimCreateView
    edit_view_class = ClaimEditView
    unpublish_view_class = ClaimUnpublishView
    workflow_action_view_class = ClaimWorkflowActionView

    def get_queryset(self, request):
        return Claim.objects.select_related("created_by", "verified_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source__outlet"))
        )

    extra_views = {
        "verify": ("verify/<int:pk>/", VerifyClaimView),
        "add_evidence": ("add-evidence/<int:pk>/", AddEvidenceView),
        "merge": ("merge/<int:pk>/", MergeClaimView),
        # The claim form's quote tools (claim_form_tools.js).
        "source_text": ("source-text/<int:pk>/", SourceTextView),
        "draft_corroboration": ("draft-corroboration/", DraftCorroborationView),
        # The similar-claims panel's list (similar_claims.js).
        "similar_claims": ("similar-claims/", SimilarClaimsView),
    }


class EvidenceDeskGroup(SnippetViewSetGroup):
    menu_label = "Evidence desk"
    menu_icon = "tasks"
    menu_order = 150
    items = (SourceViewSet, ClaimViewSet, OutletViewSet)
    submenu_hook = "register_evidence_desk_menu_item"


register_snippet(EvidenceDeskGroup)


class ImportSourcesMenuItem(MenuItem):
    """Import sources, in the Evidence desk menu, for those who may add sources."""

    def is_shown(self, request):
        return request.user.has_perm("newsroom.add_source")


@hooks.register("register_evidence_desk_menu_item")
def import_sources_menu_item():
    url = reverse(Source.snippet_viewset.get_url_name("import"))
    return ImportSourcesMenuItem("Import sources", url, icon_name="upload", order=150)


class EvidenceDeskDeleteBulkAction(BulkActionIdsChecked, DeleteBulkAction):
    """Wagtail's bulk delete of the desk's snippets, refusing ids that cannot exist (400)."""

    models = [Source, Claim, Outlet]


# After Wagtail's own registration, so this one takes the "delete" action for the desk.
hooks.register("register_bulk_action", EvidenceDeskDeleteBulkAction, order=1)
for claim_bulk_action in (TagClaimsBulkAction, SubmitClaimsBulkAction, WithdrawClaimsBulkAction):
    hooks.register("register_bulk_action", claim_bulk_action)


@hooks.register("after_create_snippet")
def record_claim_author(request, instance):
    if isinstance(instance, Claim) and instance.created_by_id is None:
        Claim.objects.filter(pk=instance.pk).update(created_by=request.user)
        instance.created_by = request.user


@hooks.register("register_log_actions")
def register_verification_actions(actions):
    for action, label, message in LOG_ACTIONS.values():
        actions.register_action(action, label, message)
    actions.register_action(*CHANGE_APPROVED)
    actions.register_action(MERGED, "Merge outlets", "Outlets merged")
    actions.register_action(*claim_merges.LOG_ACTION)


@hooks.register("register_actions")
def register_desk_actions(registry):
    registry.register(Outlet, EditOutlet)


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
    citing = live_citations([claim.pk for claim in claims])
    if not citing:
        return None
    listed = describe_citations(claims, citing)
    if request.method != "POST":
        messages.warning(request, f"Live explainers cite these claims: {listed}. {CITATION_ADVICE}")
        return None
    messages.error(
        request,
        f"Nothing was deleted: live explainers cite these claims. {listed}. {CITATION_ADVICE}",
    )
    if len(claims) == 1:
        return redirect(Claim.snippet_viewset.get_url_name("edit"), claims[0].pk)
    return redirect(Claim.snippet_viewset.get_url_name("list"))


@hooks.register("before_delete_snippet")
def refuse_deleting_cited_sources(request, instances):
    """A source that claims quote cannot be deleted: their evidence would point at nothing.
    The message names the claims, so an editor can remove or re-source the quotes first."""
    sources = [instance for instance in instances if isinstance(instance, Source)]
    if not sources or not request.user.has_perm("newsroom.delete_source"):
        return None
    citing = Evidence.objects.filter(source__in=sources).select_related("claim", "source")
    listed = {}
    for evidence in citing:
        listed.setdefault(evidence.source, set()).add(str(evidence.claim))
    if not listed:
        return None
    message = "; ".join(
        f"“{source}” is quoted by " + ", ".join(f"“{claim}”" for claim in sorted(claims))
        for source, claims in listed.items()
    )
    if request.method != "POST":
        messages.warning(request, f"Claims quote these sources: {message}.")
        return None
    messages.error(request, f"Nothing was deleted: claims quote these sources. {message}.")
    if len(sources) == 1:
        return redirect(Source.snippet_viewset.get_url_name("edit"), sources[0].pk)
    return redirect(Source.snippet_viewset.get_url_name("list"))

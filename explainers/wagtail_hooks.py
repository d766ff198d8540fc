"""Explainers in the Wagtail admin: their page views, with Desk review approval answering a
refused publication by naming the claims; and the other ways a page goes live (copying with
"publish copies", bulk publishing) held to the same publish guard, with the same message.
And what a served page's response is labelled with for the page cache."""

from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from explainers import claim_merges, pull_quotes
from explainers.audit import audit_checks
from explainers.guard import refusals_message
from explainers.models import ExplainerPage
from explainers.models.pages import PUBLISH_REFUSED
from explainers.page_cache.keys import add_keys, page_key, refuse_caching
from explainers.page_editor import ExplainerCreateView, ExplainerEditView
from explainers.publishing import owed_notes, owed_notes_message, refusals_for_pages
from explainers.workflow import ExplainerWorkflowActionView
from newsroom.desk.actions.claim_merges import CLAIM_CITATIONS_HOOK
from newsroom.desk.actions.claims import LIVE_CITATIONS_HOOK
from newsroom.desk.audit import AUDIT_CHECKS_HOOK
from newsroom.desk.ids import BulkActionIdsChecked, parse_id
from newsroom.desk.models import Source


class ExplainerPageViewSet(PageViewSet):
    model = ExplainerPage
    add_view_class = ExplainerCreateView
    edit_view_class = ExplainerEditView
    workflow_action_view_class = ExplainerWorkflowActionView
    # Only the per-page views change; the explainers index keeps the standard explorer listing.
    parent_models = []


@hooks.register("register_admin_viewset")
def register_explainer_page_viewset():
    return ExplainerPageViewSet()


hooks.register(AUDIT_CHECKS_HOOK, audit_checks)


@hooks.register(LIVE_CITATIONS_HOOK)
def live_explainers_citing(claim_ids):
    """Tell the evidence desk which live explainers cite claims (it refuses to delete or
    withdraw them)."""
    return ExplainerPage.live_citing(claim_ids)


# Merging claims moves the explainers' citations of the claim merged away.
hooks.register(CLAIM_CITATIONS_HOOK, claim_merges.citation_moves)


@hooks.register("before_delete_snippet")
def refuse_deleting_pull_quoted_sources(request, instances):
    """A source a live explainer's pull quote comes from cannot be deleted: the page would
    lose the quote without anyone deciding so. The message names the explainers."""
    sources = [instance for instance in instances if isinstance(instance, Source)]
    if not sources or not request.user.has_perm("newsroom.delete_source"):
        return None
    citing = pull_quotes.citing_pages([source.pk for source in sources])
    if not citing:
        return None
    listed = "; ".join(
        f"“{source}” is pull-quoted by " + ", ".join(f"“{title}”" for title in citing[source.pk])
        for source in sources
        if source.pk in citing
    )
    advice = "Remove those pull quotes (and publish) first."
    if request.method != "POST":
        messages.warning(request, f"Live explainers quote these sources: {listed}. {advice}")
        return None
    messages.error(
        request, f"Nothing was deleted: live explainers quote these sources. {listed}. {advice}"
    )
    if len(sources) == 1:
        return redirect(Source.snippet_viewset.get_url_name("edit"), sources[0].pk)
    return redirect(Source.snippet_viewset.get_url_name("list"))


@hooks.register("register_log_actions")
def register_publish_refused_action(actions):
    @actions.register_action(PUBLISH_REFUSED)
    class PublishRefusedFormatter(LogFormatter):
        label = "Publishing refused"

        def format_message(self, log_entry):
            claims = "; ".join(f"“{claim['statement']}”" for claim in log_entry.data["claims"])
            return f"Scheduled publishing refused: the page cites claims in the way: {claims}"

    actions.register_action(
        pull_quotes.PULL_QUOTE_LOST, "Pull quote taken down", "Pull quote taken down"
    )


@hooks.register("before_copy_page")
def refuse_copying_into_a_page_that_does_not_exist(request, page):
    """A copy goes under the page the form names. A posted id that names none (tampered
    with, or of a page deleted meanwhile) is refused with a message and the form shown
    again: Wagtail's copy view would fail on it."""
    if request.method != "POST":
        return None
    destination = parse_id(request.POST.get("new_parent_page", ""))
    if destination is not None and Page.objects.filter(pk=destination).exists():
        return None
    messages.error(request, "Nothing was copied: the page to copy it into does not exist.")
    return redirect(request.get_full_path())


@hooks.register("before_copy_page")
def refuse_publishing_copies_the_guard_refuses(request, page):
    """ "Publish copies" puts the copies live without publishing them: refuse it, naming the
    claims, while a live explainer being copied could not be published now."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    if request.POST.get("alias"):
        return None  # An alias shows the original's content, which is already live.
    destination_id = parse_id(request.POST.get("new_parent_page", ""))
    destination = Page.objects.filter(pk=destination_id).first()
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


class GuardedPublishBulkAction(BulkActionIdsChecked, PublishBulkAction):
    """Wagtail's bulk publish, asking the publish guard first: if any explainer it would put
    live is refused, nothing is published and the message names the pages and their claims
    (instead of a bare "permission denied"). Ids that cannot exist are refused with a 400."""

    def prepare_action(self, objects, objects_without_access):
        pages = {page.pk: page for page in objects}
        if self.cleaned_form.cleaned_data["include_descendants"]:
            for page in objects:
                for draft in ExplainerPage.objects.descendant_of(page).not_live():
                    pages.setdefault(draft.pk, draft)
        refusals = refusals_for_pages(pages.values())
        if refusals:
            messages.error(self.request, refusals_message(refusals, "Nothing was published."))
            return redirect(self.next_url)
        owed = owed_notes(pages.values())
        if owed:
            messages.error(self.request, f"Nothing was published. {owed_notes_message(owed)}")
            return redirect(self.next_url)
        return None


# After Wagtail's own registration, so this one takes the "publish" action for pages.
hooks.register("register_bulk_action", GuardedPublishBulkAction, order=1)


@hooks.register("before_serve_page")
def label_served_page(page, request, serve_args, serve_kwargs):
    """A reader's copy of a page carries its `page-<id>` key; a page behind a view
    restriction (its own or a section's) is never shared."""
    if page.get_view_restrictions():
        refuse_caching(request)
    else:
        add_keys(request, [page_key(page.pk)])

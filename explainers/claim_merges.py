"""What a merge of two claims does to explainers (the desk's MergeClaims asks, through
CLAIM_CITATIONS_HOOK): every explainer citing the merged claim cites the one that stays
instead, where readers see it and in its draft.

- A live explainer whose live version cites it: a new revision of the live version, the
  citation moved, is published through ``revision.publish()`` (so the publish guard, related
  stories, pull quotes and caches follow, as for any publication), with a correction for
  its readers saying which claim it now cites.
- An explainer with a draft (never published, or a live one with unpublished changes): the
  draft is saved again as a new revision, the citation moved. A live explainer's draft is
  saved after the published copy, so the editor's draft stays its latest revision.
- An explainer waiting in Desk review is not moved (the reviewer approves what they saw):
  the merge is refused, naming it.

The guard is asked before anything changes, with the claims as they will be: the merge is
refused, naming the explainers, if any live one could not be published citing the claim
that stays (e.g. it is not verified and the citation is not labelled)."""

from functools import partial

from django.db import transaction

from explainers.citations import iter_cited_claims, replace_cited_claim
from explainers.guard import refusal_message, unverified_citations
from explainers.models import Correction, ExplainerPage
from newsroom.desk.actions.claim_merges import CitationMove
from newsroom.desk.models import Claim


def citation_moves(merged_id: int, target_id: int) -> list[CitationMove]:
    """A CitationMove per explainer whose live version or draft cites claim `merged_id`."""
    moves = []
    for page in ExplainerPage.objects.order_by("path"):
        live_cites = page.live and cites(page.body.raw_data, merged_id)
        draft = drafted(page)
        draft_cites = draft is not None and cites(draft.body.raw_data, merged_id)
        if not (live_cites or draft_cites):
            continue
        moves.append(
            CitationMove(
                title=page.get_admin_display_title(),
                publishes=live_cites,
                drafts=draft is not None and (draft_cites or live_cites),
                refusal=refusal(page, live_cites, merged_id, target_id),
                move=partial(move_citations, page.pk, merged_id, target_id),
            )
        )
    return moves


def cites(stream_data, claim_id: int) -> bool:
    return any(pk == claim_id for pk, _ in iter_cited_claims(stream_data))


def drafted(page: ExplainerPage) -> ExplainerPage | None:
    """The page's draft (its latest revision, as a page) if it has one readers do not see."""
    if page.live and not page.has_unpublished_changes:
        return None
    revision = page.get_latest_revision()
    return revision.as_object() if revision else None


def refusal(page: ExplainerPage, live_cites: bool, merged_id: int, target_id: int) -> str:
    title = page.get_admin_display_title()
    if page.workflow_in_progress:
        return (
            f"“{title}” is waiting in Desk review: approve it or request changes first, so "
            "its reviewer approves what will be published."
        )
    if not live_cites:
        return ""
    moved = replace_cited_claim(page.body.raw_data, merged_id, target_id)
    in_the_way = unverified_citations(moved)
    return f"“{title}”: {refusal_message(in_the_way)}" if in_the_way else ""


def move_citations(page_id: int, merged_id: int, target_id: int, user=None) -> None:
    """Move page `page_id`'s citations of `merged_id` to `target_id`: publish its live
    version so moved (the guard may refuse: PublishRefused), then save its draft so moved
    (the draft of a live page is saved again even if it does not cite the claim, so that it
    stays the page's latest revision)."""
    with transaction.atomic():
        page = ExplainerPage.objects.select_for_update().get(pk=page_id)
        draft = drafted(page)
        if page.live and cites(page.body.raw_data, merged_id):
            page.body = replace_cited_claim(page.body.raw_data, merged_id, target_id)
            page.save_revision(user=user, log_action=True).publish(user=user)
            record_correction(page, merged_id, target_id, user)
            page = ExplainerPage.objects.get(pk=page_id)
        if draft is not None:
            draft.body = replace_cited_claim(draft.body.raw_data, merged_id, target_id)
            if not draft.live:
                # As Wagtail's edit view does: a page never published keeps its draft in its
                # own row too, which is what choosers, listings and the reference index read.
                draft.save(clean=False)
            draft.save_revision(user=user, log_action=True)


def record_correction(page: ExplainerPage, merged_id: int, target_id: int, user) -> None:
    """Tell the readers of a live explainer that a claim it showed now stands as another."""
    statements = dict(
        Claim.objects.filter(pk__in=[merged_id, target_id]).values_list("pk", "statement")
    )
    Correction.objects.create(
        page=page,
        claim_id=merged_id,
        kind=Correction.Kind.WITHDRAWN,
        text=(
            f"“{statements[merged_id]}” was merged into “{statements[target_id]}”, "
            "which says the same; this explainer now cites that claim."
        ),
        user=user,
    )

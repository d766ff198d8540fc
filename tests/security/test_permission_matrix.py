"""Every admin URL of the evidence desk and the explainers, every reader URL and every API
endpoint, as anonymous, editor, verifier and superuser: each answer is the one the
newsroom's roles call for. Forged object ids in posts are refused.

Answers, each exact: a status code; LOGIN, the redirect to the admin's login coming back to
the URL (READER_LOGIN, to the readers' login, for a private page); DENIED, Wagtail's refusal
of a forbidden action, a redirect to the dashboard saying permission was denied; or
To(target), a redirect to target(desk) with no error message, where the admin goes once an
action is done (To(target, refused=True): the desk refused it, saying why)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from wagtail.models import PageViewRestriction, Site, Workflow

from newsroom.desk.models import Claim, Evidence, Outlet, Source
from newsroom.desk.verification import verification_version, verify_claim
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    UserFactory,
    admin_login_url,
    cited_claim_block,
    claim_with_evidence,
    explainer_page,
    snippet_url,
    verified,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class To:
    """A redirect to `target(desk)`; `refused`: with an error message saying why."""

    target: Callable
    refused: bool = False


LOGIN, READER_LOGIN = "login", "reader login"
DENIED = To(lambda d: reverse("wagtailadmin_home"), refused=True)
ROLES = ("anonymous", "editor", "verifier", "superuser")
SET_ASIDE = [{"line": 3, "text": "Share this article", "reason": "site chrome"}]


@dataclass
class Desk:
    """One of each thing the admin acts on, made afresh for every visit."""

    outlet: Outlet
    source: Source
    claim: Claim
    evidence: Evidence
    draft_claim: Claim
    page: object
    draft_page: object
    private_page: object
    spare_source: Source
    spare_outlet: Outlet
    spare_claim: Claim
    review_page: object
    review_claim: Claim
    author: object

    @property
    def index(self):
        return self.page.get_parent()


def make_desk(author):
    source = SourceFactory(set_aside=SET_ASIDE)
    source.save_revision(user=author)
    source.title += ", updated"
    source.save_revision(user=author)
    evidence = EvidenceFactory(claim=ClaimFactory(created_by=author), source=source)
    claim = evidence.claim
    EvidenceFactory(claim=claim)  # a second outlet: the claim can be verified
    claim.save_revision(user=author).publish()
    draft_claim = ClaimFactory(created_by=author, live=False)
    draft_claim.save_revision(user=author)
    page = explainer_page("Live explainer", body=[cited_claim_block(claim, True)])
    page.title = "Live explainer, draft edit"
    page.save_revision(user=author)
    private = explainer_page("Private explainer")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    review_page = explainer_page("Explainer in review", publish=False)
    review_page.get_workflow().start(review_page, author)
    spare_claim = ClaimFactory(created_by=author, statement="Nobody cites this claim.")
    spare_claim.save_revision(user=author).publish()
    return Desk(
        outlet=source.outlet,
        source=source,
        claim=claim,
        evidence=evidence,
        draft_claim=draft_claim,
        page=page,
        draft_page=explainer_page("Draft explainer", publish=False),
        private_page=private,
        spare_source=SourceFactory(outlet=None),
        spare_outlet=Outlet.objects.create(name="Nobody's outlet"),
        spare_claim=spare_claim,
        review_page=review_page,
        review_claim=claim_in_review(author),
        author=author,
    )


def claim_in_review(author):
    """A verified claim whose author has submitted a change to it to Claim review."""
    claim = claim_with_evidence(author, stances=("supports", "supports"))
    claim.save_revision(user=author).publish()
    verified(claim, UserFactory(groups=["Verifiers"]))
    claim.refresh_from_db()
    claim.statement += " (reworded)"
    claim.save_revision(user=author)
    claim.get_workflow().start(claim, author)
    return claim


def claim_task_state(desk):
    return desk.review_claim.current_workflow_state.current_task_state


def chooser(model, action, *args):
    return reverse(f"wagtailsnippetchoosers_newsroom_{model}:{action}", args=args)


def pages(action, *args):
    return reverse(f"wagtailadmin_pages:{action}", args=args)


def revision_of(obj):
    return obj.get_latest_revision().pk


EVERYONE = {"anonymous": 200, "editor": 200, "verifier": 200, "superuser": 200}
DESK = {"anonymous": LOGIN, "editor": 200, "verifier": 200, "superuser": 200}
VERIFIERS = {"anonymous": LOGIN, "editor": DENIED, "verifier": 200, "superuser": 200}
SUPERUSER = {"anonymous": LOGIN, "editor": DENIED, "verifier": DENIED, "superuser": 200}
NOT_FOUND = {"anonymous": LOGIN, "editor": 404, "verifier": 404, "superuser": 404}
NOBODY = dict.fromkeys(ROLES, 404)
READ_ONLY = dict.fromkeys(ROLES, 405)
# A body sent where none is taken (readers' paths, the read API) is refused unread
# (newsroom/request_bodies.py), before the view could answer 405.
NO_BODY = dict.fromkeys(ROLES, 413)


def desk_action(done):
    """Anyone in the desk may act; `done` is the answer they get."""
    return {"anonymous": LOGIN, "editor": done, "verifier": done, "superuser": done}


def verifier_action(done):
    return {"anonymous": LOGIN, "editor": DENIED, "verifier": done, "superuser": done}


def superuser_action(done):
    return {"anonymous": LOGIN, "editor": DENIED, "verifier": DENIED, "superuser": done}


def to_snippet(model, action, desk_object=None):
    """To the `model` snippets' `action` view, of `desk_object(desk)` if given."""
    if desk_object is None:
        return To(lambda d: snippet_url(model, action))
    return To(lambda d: snippet_url(model, action, desk_object(d).pk))


def to_page(action, page_of):
    """To the page admin's `action` view of `page_of(desk)`."""
    return To(lambda d: pages(action, page_of(d).pk))


def snippet_rows(model, desk_object):
    """The generic snippet views every evidence-desk model has."""
    return [
        (f"{model}:list", "get", lambda d: snippet_url(model, "list"), DESK),
        (f"{model}:list_results", "get", lambda d: snippet_url(model, "list_results"), DESK),
        (f"{model}:add", "get", lambda d: snippet_url(model, "add"), DESK),
        (f"{model}:edit", "get", lambda d: snippet_url(model, "edit", desk_object(d).pk), DESK),
        (f"{model}:delete", "get", lambda d: snippet_url(model, "delete", desk_object(d).pk), DESK),
        (f"{model}:usage", "get", lambda d: snippet_url(model, "usage", desk_object(d).pk), DESK),
        (
            f"{model}:history",
            "get",
            lambda d: snippet_url(model, "history", desk_object(d).pk),
            DESK,
        ),
        (
            f"{model}:history_results",
            "get",
            lambda d: snippet_url(model, "history_results", desk_object(d).pk),
            DESK,
        ),
        (
            f"{model}:inspect",
            "get",
            lambda d: snippet_url(model, "inspect", desk_object(d).pk),
            DESK,
        ),
        (f"{model}:choose", "get", lambda d: chooser(model, "choose"), DESK),
        (f"{model}:choose_results", "get", lambda d: chooser(model, "choose_results"), DESK),
        (f"{model}:chosen", "get", lambda d: chooser(model, "chosen", desk_object(d).pk), DESK),
        (
            f"{model}:chosen_multiple",
            "get",
            lambda d: chooser(model, "chosen_multiple") + f"?id={desk_object(d).pk}",
            DESK,
        ),
        (f"{model}:create", "get", lambda d: chooser(model, "create"), DESK),
        (
            f"{model}:bulk_delete",
            "get",
            lambda d: (
                reverse("wagtail_bulk_action", args=["newsroom", model, "delete"])
                + f"?id={desk_object(d).pk}"
            ),
            DESK,
        ),
        (
            f"{model}:delete (post)",
            "post",
            lambda d: snippet_url(model, "delete", spare_of(d, model).pk),
            desk_action(to_snippet(model, "list")),
        ),
    ]


def spare_of(desk, model):
    """An object nothing refers to, so deleting it is allowed."""
    return getattr(desk, f"spare_{model}")


def revision_rows(model, desk_object):
    return [
        (
            f"{model}:revisions_revert",
            "get",
            lambda d: snippet_url(
                model, "revisions_revert", desk_object(d).pk, revision_of(desk_object(d))
            ),
            DESK,
        ),
        (
            f"{model}:revisions_compare",
            "get",
            lambda d: snippet_url(
                model,
                "revisions_compare",
                pk=desk_object(d).pk,
                revision_id_a="earliest",
                revision_id_b="latest",
            ),
            DESK,
        ),
    ]


BULK_PUBLISH = ["wagtailcore", "page", "publish"]


def bulk_publish_url(page):
    return reverse("wagtail_bulk_action", args=BULK_PUBLISH) + f"?id={page.pk}"


def explore(page):
    return reverse("wagtailadmin_explore", args=[page.pk])


def add_explainer(desk):
    return pages("add", "explainers", "explainerpage", desk.index.pk)


def api_page_detail(desk):
    """Where the API's find view sends anyone: the live page's detail, absolute on the
    default site, keeping the (empty) rest of the query."""
    root = Site.objects.get(is_default_site=True).root_url
    return root + reverse("wagtailapi:pages:detail", args=[desk.page.pk]) + "?"


def copy_form(desk):
    return {
        "new_title": "Copied explainer",
        "new_slug": "copied-explainer",
        "new_parent_page": desk.index.pk,
        "publish_copies": "on",
    }


# Previews, revisions, copies, bulk publishing and workflows, as issue #7 lists them. The
# POST rows only say who is let in; the tests after the matrix check what each one did.
PAGE_ACTION_ROWS = [
    ("page:preview_on_edit", "get", lambda d: pages("preview_on_edit", d.page.pk), DESK),
    (
        "page:preview_on_edit (post)",
        "post",
        lambda d: pages("preview_on_edit", d.page.pk),
        DESK,
    ),
    (
        "page:preview_on_add",
        "get",
        lambda d: pages("preview_on_add", "explainers", "explainerpage", d.index.pk),
        DESK,
    ),
    (
        "page:revisions_revert",
        "get",
        lambda d: pages("revisions_revert", d.page.pk, revision_of(d.page)),
        DESK,
    ),
    # Unscheduling a go-live is publishing's business.
    (
        "page:revisions_unschedule",
        "get",
        lambda d: pages("revisions_unschedule", d.page.pk, revision_of(d.page)),
        VERIFIERS,
    ),
    (
        "page:revisions_unschedule (post)",
        "post",
        lambda d: pages("revisions_unschedule", d.page.pk, revision_of(d.page)),
        verifier_action(to_page("history", lambda d: d.page)),
    ),
    # Wagtail accepts the request from anyone in the desk (back to the bulk view, which
    # lists what was done) and publishes only the pages the user may publish:
    # test_bulk_publish_publishes_only_for_publishers checks which.
    (
        "page:bulk_publish (post)",
        "post",
        lambda d: bulk_publish_url(d.draft_page),
        desk_action(To(lambda d: reverse("wagtail_bulk_action", args=BULK_PUBLISH))),
    ),
    ("page:copy", "get", lambda d: pages("copy", d.page.pk), DESK),
    (
        "page:copy (post)",
        "post",
        lambda d: (pages("copy", d.page.pk), copy_form(d)),
        desk_action(To(lambda d: explore(d.index))),
    ),
    # The page in review is locked to its editor, so their form comes back (200) while the
    # cancellation still happens: test_cancelling_a_review checks who may cancel.
    (
        "page:workflow_cancel (post)",
        "post",
        lambda d: cancel_review(d),
        {
            "anonymous": LOGIN,
            "editor": 200,
            "verifier": to_page("edit", lambda d: d.review_page),
            "superuser": to_page("edit", lambda d: d.review_page),
        },
    ),
]


def page_form(page, **actions):
    """An explainer's edit form as the admin posts it, with no body blocks."""
    return {
        "title": page.title,
        "slug": page.slug,
        "standfirst": page.standfirst,
        "tags": "",
        "body-count": "0",
        "related_choices-TOTAL_FORMS": "0",
        "related_choices-INITIAL_FORMS": "0",
        "related_choices-MIN_NUM_FORMS": "0",
        "related_choices-MAX_NUM_FORMS": "1000",
        **actions,
    }


def review_task_state(desk):
    return desk.review_page.current_workflow_state.current_task_state


# The rest of Wagtail's page views, so that none is left out (see the coverage test).
MORE_PAGE_ROWS = [
    ("page:move", "get", lambda d: pages("move", d.page.pk), VERIFIERS),
    # Wagtail shows the confirmation to anyone; MovePageAction checks the move itself.
    ("page:move_confirm", "get", lambda d: pages("move_confirm", d.page.pk, d.index.pk), DESK),
    (
        "page:unlock",
        "post",
        lambda d: pages("unlock", d.page.pk),
        verifier_action(To(lambda d: explore(d.index))),
    ),
    ("page:set_page_position", "post", lambda d: pages("set_page_position", d.page.pk), VERIFIERS),
    # Explainers are the only page type the index takes, under the only index.
    (
        "page:add_subpage",
        "get",
        lambda d: pages("add_subpage", d.index.pk),
        desk_action(To(add_explainer)),
    ),
    (
        "page:choose_parent",
        "get",
        lambda d: pages("choose_parent", "explainers", "explainerpage"),
        desk_action(To(add_explainer)),
    ),
    ("page:search", "get", lambda d: pages("search"), DESK),
    ("page:search_results", "get", lambda d: pages("search_results"), DESK),
    ("page:usage", "get", lambda d: pages("usage", d.page.pk), DESK),
    ("page:type_use", "get", lambda d: pages("type_use", "explainers", "explainerpage"), DESK),
    (
        "page:type_use_results",
        "get",
        lambda d: pages("type_use_results", "explainers", "explainerpage"),
        DESK,
    ),
    ("page:history_results", "get", lambda d: pages("history_results", d.page.pk), DESK),
    (
        "page:workflow_history_detail",
        "get",
        lambda d: pages(
            "workflow_history_detail",
            d.review_page.pk,
            d.review_page.current_workflow_state.pk,
        ),
        DESK,
    ),
    # Only those who approve in Desk review see a task's preview and its action forms.
    (
        "page:workflow_preview",
        "get",
        lambda d: pages("workflow_preview", d.review_page.pk, review_task_state(d).task_id),
        VERIFIERS,
    ),
    (
        "page:collect_workflow_action_data",
        "get",
        lambda d: pages(
            "collect_workflow_action_data", d.review_page.pk, "approve", review_task_state(d).pk
        ),
        VERIFIERS,
    ),
    (
        "page:confirm_workflow_cancellation",
        "get",
        lambda d: pages("confirm_workflow_cancellation", d.review_page.pk),
        DESK,
    ),
]

# Page views whose rules other tests here check, not the matrix.
PAGE_URLS_CHECKED_ELSEWHERE = {
    "workflow_action": "test_only_a_verifier_can_approve_an_explainer_in_desk_review",
    "convert_alias": "no explainer is an alias (the view 404s for a page that is not one)",
}


def cancel_review(desk):
    page = desk.review_page
    return pages("edit", page.pk), page_form(page, **{"action-cancel-workflow": "1"})


def group_pk(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name).pk


# Users, groups, workflows, sites and redirects: only superusers administer the newsroom.
ADMINISTRATION_ROWS = [
    ("users:index", "get", lambda d: reverse("wagtailusers_users:index"), SUPERUSER),
    ("users:add", "get", lambda d: reverse("wagtailusers_users:add"), SUPERUSER),
    (
        "users:edit",
        "get",
        lambda d: reverse("wagtailusers_users:edit", args=[d.author.pk]),
        SUPERUSER,
    ),
    (
        "users:edit (post, self-promotion)",
        "post",
        lambda d: (
            reverse("wagtailusers_users:edit", args=[d.author.pk]),
            {"username": d.author.username, "email": d.author.email, "is_superuser": "on"},
        ),
        SUPERUSER,  # the superuser gets the form back: the post is incomplete
    ),
    ("groups:index", "get", lambda d: reverse("wagtailusers_groups:index"), SUPERUSER),
    ("groups:add", "get", lambda d: reverse("wagtailusers_groups:add"), SUPERUSER),
    (
        "groups:edit",
        "get",
        lambda d: reverse("wagtailusers_groups:edit", args=[group_pk("Editors")]),
        SUPERUSER,
    ),
    (
        "groups:edit (post)",
        "post",
        lambda d: (
            reverse("wagtailusers_groups:edit", args=[group_pk("Editors")]),
            {"name": "Editors"},
        ),
        SUPERUSER,
    ),
    ("workflows:index", "get", lambda d: reverse("wagtailadmin_workflows:index"), SUPERUSER),
    ("workflows:add", "get", lambda d: reverse("wagtailadmin_workflows:add"), SUPERUSER),
    (
        "workflows:edit",
        "get",
        lambda d: reverse("wagtailadmin_workflows:edit", args=[d.page.get_workflow().pk]),
        SUPERUSER,
    ),
    (
        "workflows:disable (post)",
        "post",
        lambda d: reverse("wagtailadmin_workflows:disable", args=[d.page.get_workflow().pk]),
        superuser_action(To(lambda d: reverse("wagtailadmin_workflows:index"))),
    ),
    (
        "workflows:task_index",
        "get",
        lambda d: reverse("wagtailadmin_workflows:task_index"),
        SUPERUSER,
    ),
    ("sites:index", "get", lambda d: reverse("wagtailsites:index"), SUPERUSER),
    ("redirects:index", "get", lambda d: reverse("wagtailredirects:index"), SUPERUSER),
]

ADMIN_ROWS = [
    ("admin home", "get", lambda d: reverse("wagtailadmin_home"), DESK),
    *snippet_rows("source", lambda d: d.source),
    *revision_rows("source", lambda d: d.source),
    (
        "source:restore_line",
        "post",
        lambda d: snippet_url("source", "restore_line", d.source.pk, 3),
        desk_action(to_snippet("source", "inspect", lambda d: d.source)),
    ),
    (
        "source:restore_line (not set aside)",
        "post",
        lambda d: snippet_url("source", "restore_line", d.source.pk, 99),
        {"anonymous": LOGIN, "editor": 404, "verifier": 404, "superuser": 404},
    ),
    (
        "source:restore_line (get)",
        "get",
        lambda d: snippet_url("source", "restore_line", d.source.pk, 3),
        {"anonymous": LOGIN, "editor": 405, "verifier": 405, "superuser": 405},
    ),
    ("source:import", "get", lambda d: snippet_url("source", "import"), DESK),
    (
        "source:import_run (no such run)",
        "get",
        lambda d: snippet_url("source", "import_run", 999_999),
        NOT_FOUND,
    ),
    (
        "source:import_run_status (no such run)",
        "get",
        lambda d: snippet_url("source", "import_run_status", 999_999),
        NOT_FOUND,
    ),
    (
        "source:captured_copy (no such copy)",
        "get",
        lambda d: snippet_url("source", "captured_copy", d.source.pk, 999_999),
        NOT_FOUND,
    ),
    (
        "source:recapture (not from the web)",
        "post",
        lambda d: snippet_url("source", "recapture", d.source.pk),
        NOT_FOUND,
    ),
    *snippet_rows("claim", lambda d: d.claim),
    # A change to a decided claim waits in Claim review: anyone in the desk may follow it,
    # only a verifier may act on it.
    (
        "claim:workflow_history",
        "get",
        lambda d: snippet_url("claim", "workflow_history", d.review_claim.pk),
        DESK,
    ),
    (
        "claim:workflow_history_detail",
        "get",
        lambda d: snippet_url(
            "claim",
            "workflow_history_detail",
            d.review_claim.pk,
            d.review_claim.current_workflow_state.pk,
        ),
        DESK,
    ),
    (
        "claim:collect_workflow_action_data",
        "get",
        lambda d: snippet_url(
            "claim",
            "collect_workflow_action_data",
            d.review_claim.pk,
            "approve",
            claim_task_state(d).pk,
        ),
        VERIFIERS,
    ),
    (
        "claim:confirm_workflow_cancellation",
        "get",
        lambda d: snippet_url("claim", "confirm_workflow_cancellation", d.review_claim.pk),
        DESK,
    ),
    (
        "claim:workflow_action (post, approve)",
        "post",
        lambda d: (
            snippet_url(
                "claim", "workflow_action", d.review_claim.pk, "approve", claim_task_state(d).pk
            ),
            {"comment": ""},
        ),
        verifier_action(To(lambda d: snippet_url("claim", "edit", d.review_claim.pk))),
    ),
    *revision_rows("claim", lambda d: d.claim),
    ("claim:copy", "get", lambda d: snippet_url("claim", "copy", d.claim.pk), DESK),
    ("claim:unpublish", "get", lambda d: snippet_url("claim", "unpublish", d.claim.pk), DESK),
    (
        "claim:unpublish (post)",
        "post",
        lambda d: snippet_url("claim", "unpublish", d.spare_claim.pk),
        desk_action(to_snippet("claim", "list")),
    ),
    # The live explainer cites the desk's claim: withdrawing it is refused, saying so.
    (
        "claim:unpublish (post, cited)",
        "post",
        lambda d: snippet_url("claim", "unpublish", d.claim.pk),
        desk_action(To(lambda d: snippet_url("claim", "edit", d.claim.pk), refused=True)),
    ),
    (
        "claim:delete (post, cited)",
        "post",
        lambda d: snippet_url("claim", "delete", d.claim.pk),
        desk_action(To(lambda d: snippet_url("claim", "edit", d.claim.pk), refused=True)),
    ),
    (
        "claim:revisions_unschedule",
        "get",
        lambda d: snippet_url("claim", "revisions_unschedule", d.claim.pk, revision_of(d.claim)),
        DESK,
    ),
    (
        "claim:lock",
        "post",
        lambda d: snippet_url("claim", "lock", d.claim.pk),
        desk_action(to_snippet("claim", "edit", lambda d: d.claim)),
    ),
    # Only verifiers may unlock a claim someone else locked (editors only their own).
    (
        "claim:unlock",
        "post",
        lambda d: snippet_url("claim", "unlock", d.claim.pk),
        verifier_action(to_snippet("claim", "edit", lambda d: d.claim)),
    ),
    ("claim:verify", "get", lambda d: snippet_url("claim", "verify", d.claim.pk), VERIFIERS),
    (
        "claim:verify (post)",
        "post",
        lambda d: (
            snippet_url("claim", "verify", d.claim.pk),
            {"status": "verified", "note": "", "seen_version": verification_version(d.claim)},
        ),
        verifier_action(to_snippet("claim", "edit", lambda d: d.claim)),
    ),
    (
        "claim:verify (no such claim)",
        "get",
        lambda d: snippet_url("claim", "verify", 999_999),
        {"anonymous": LOGIN, "editor": DENIED, "verifier": 404, "superuser": 404},
    ),
    (
        "claim:add_evidence",
        "post",
        lambda d: (
            snippet_url("claim", "add_evidence", d.claim.pk),
            {"source": d.source.pk, "quote": "Elysee Palace said", "stance": "context"},
        ),
        desk_action(to_snippet("claim", "inspect", lambda d: d.claim)),
    ),
    (
        "claim:add_evidence (get)",
        "get",
        lambda d: snippet_url("claim", "add_evidence", d.claim.pk),
        {"anonymous": LOGIN, "editor": 405, "verifier": 405, "superuser": 405},
    ),
    # Merging: a verifier's action, on two claims they may change.
    ("claim:merge", "get", lambda d: snippet_url("claim", "merge", d.spare_claim.pk), VERIFIERS),
    (
        "claim:merge (post)",
        "post",
        lambda d: (
            snippet_url("claim", "merge", d.spare_claim.pk),
            {"target": d.claim.pk, "confirmed": "True"},
        ),
        verifier_action(to_snippet("claim", "edit", lambda d: d.claim)),
    ),
    (
        "claim:merge (no such claim)",
        "get",
        lambda d: snippet_url("claim", "merge", 999_999),
        {"anonymous": LOGIN, "editor": DENIED, "verifier": 404, "superuser": 404},
    ),
    # The claim form's quote tools.
    ("claim:source_text", "get", lambda d: snippet_url("claim", "source_text", d.source.pk), DESK),
    (
        "claim:source_text (no such source)",
        "get",
        lambda d: snippet_url("claim", "source_text", 999_999),
        {"anonymous": LOGIN, "editor": 404, "verifier": 404, "superuser": 404},
    ),
    (
        "claim:draft_corroboration",
        "get",
        lambda d: (
            snippet_url("claim", "draft_corroboration")
            + f"?source={d.source.pk}&quote=Elysee+Palace+said&stance=supports"
        ),
        DESK,
    ),
    (
        "claim:similar_claims",
        "get",
        lambda d: snippet_url("claim", "similar_claims") + "?statement=Elysee+Palace+said",
        DESK,
    ),
    (
        "claim:similar_claims (no such id)",
        "get",
        lambda d: snippet_url("claim", "similar_claims") + "?statement=Elysee&claim=abc",
        {"anonymous": LOGIN, "editor": 400, "verifier": 400, "superuser": 400},
    ),
    ("claim:edit (draft)", "get", lambda d: snippet_url("claim", "edit", d.draft_claim.pk), DESK),
    *snippet_rows("outlet", lambda d: d.outlet),
    ("outlet:copy", "get", lambda d: snippet_url("outlet", "copy", d.outlet.pk), DESK),
    ("outlet:merge", "get", lambda d: snippet_url("outlet", "merge", d.spare_outlet.pk), DESK),
    (
        "outlet:merge (post)",
        "post",
        lambda d: (snippet_url("outlet", "merge", d.spare_outlet.pk), {"target": d.outlet.pk}),
        desk_action(to_snippet("outlet", "edit", lambda d: d.outlet)),
    ),
    # Explainer pages: editors write and delete drafts; verifiers also publish, and so may
    # delete a live page (Wagtail ties that to publishing); only superusers administer.
    ("page:explore", "get", lambda d: reverse("wagtailadmin_explore", args=[d.index.pk]), DESK),
    (
        "page:add",
        "get",
        lambda d: pages("add", "explainers", "explainerpage", d.index.pk),
        DESK,
    ),
    ("page:edit", "get", lambda d: pages("edit", d.page.pk), DESK),
    ("page:edit (draft)", "get", lambda d: pages("edit", d.draft_page.pk), DESK),
    ("page:view_draft", "get", lambda d: pages("view_draft", d.page.pk), DESK),
    # Wagtail moved the revisions list into the history view: it redirects there.
    (
        "page:revisions_index",
        "get",
        lambda d: pages("revisions_index", d.page.pk),
        desk_action(to_page("history", lambda d: d.page)),
    ),
    (
        "page:revisions_view",
        "get",
        lambda d: pages("revisions_view", d.page.pk, revision_of(d.page)),
        DESK,
    ),
    (
        "page:revisions_compare",
        "get",
        lambda d: reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[d.page.pk, "earliest", "latest"],
        ),
        DESK,
    ),
    ("page:history", "get", lambda d: pages("history", d.page.pk), DESK),
    ("page:workflow_history", "get", lambda d: pages("workflow_history", d.page.pk), DESK),
    ("page:unpublish", "get", lambda d: pages("unpublish", d.page.pk), VERIFIERS),
    (
        "page:unpublish (post)",
        "post",
        lambda d: pages("unpublish", d.page.pk),
        verifier_action(To(lambda d: explore(d.index))),
    ),
    # Wagtail: change + publish permission may delete a live page; change alone only drafts.
    ("page:delete", "get", lambda d: pages("delete", d.page.pk), VERIFIERS),
    ("page:delete (draft)", "get", lambda d: pages("delete", d.draft_page.pk), DESK),
    (
        "page:lock",
        "post",
        lambda d: pages("lock", d.page.pk),
        verifier_action(To(lambda d: explore(d.index))),
    ),
    # Wagtail lets whoever may publish a page set its privacy.
    ("page:set_privacy", "get", lambda d: pages("set_privacy", d.page.pk), VERIFIERS),
    (
        "page:bulk_publish",
        "get",
        lambda d: bulk_publish_url(d.draft_page),
        DESK,
    ),
    *PAGE_ACTION_ROWS,
    *MORE_PAGE_ROWS,
    *ADMINISTRATION_ROWS,
]

READER_ROWS = [
    ("home", "get", lambda d: "/", EVERYONE),
    ("explainers index", "get", lambda d: d.index.url, EVERYONE),
    ("live explainer", "get", lambda d: d.page.url, EVERYONE),
    ("draft explainer", "get", lambda d: "/explainers/draft-explainer/", NOBODY),
    (
        "private explainer",
        "get",
        lambda d: d.private_page.url,
        {"anonymous": READER_LOGIN, "editor": 200, "verifier": 200, "superuser": 200},
    ),
    ("search", "get", lambda d: "/search/?q=explainer", EVERYONE),
    ("rss", "get", lambda d: "/feeds/explainers.rss", EVERYONE),
    ("corrections", "get", lambda d: reverse("corrections"), EVERYONE),
    ("corrections rss", "get", lambda d: reverse("corrections_rss"), EVERYONE),
    ("atom", "get", lambda d: "/feeds/explainers.atom", EVERYONE),
    ("sitemap", "get", lambda d: "/sitemap.xml", EVERYONE),
    ("robots", "get", lambda d: "/robots.txt", EVERYONE),
    ("search (post)", "post", lambda d: "/search/", NO_BODY),
]

API_ROWS = [
    ("api:claims", "get", lambda d: reverse("verified-claim-list"), EVERYONE),
    ("api:claim", "get", lambda d: reverse("verified-claim-detail", args=[d.claim.pk]), NOBODY),
    (
        "api:draft claim",
        "get",
        lambda d: reverse("verified-claim-detail", args=[d.draft_claim.pk]),
        NOBODY,
    ),
    ("api:claims (post)", "post", lambda d: reverse("verified-claim-list"), NO_BODY),
    (
        "api:claim (delete)",
        "delete",
        lambda d: reverse("verified-claim-detail", args=[d.claim.pk]),
        NO_BODY,
    ),
    ("api:pages", "get", lambda d: reverse("wagtailapi:pages:listing"), EVERYONE),
    ("api:page", "get", lambda d: reverse("wagtailapi:pages:detail", args=[d.page.pk]), EVERYONE),
    (
        "api:draft page",
        "get",
        lambda d: reverse("wagtailapi:pages:detail", args=[d.draft_page.pk]),
        NOBODY,
    ),
    (
        "api:private page",
        "get",
        lambda d: reverse("wagtailapi:pages:detail", args=[d.private_page.pk]),
        NOBODY,
    ),
    (
        "api:find",
        "get",
        lambda d: reverse("wagtailapi:pages:find") + "?html_path=/explainers/live-explainer/",
        dict.fromkeys(ROLES, To(api_page_detail)),
    ),
    ("api:pages (post)", "post", lambda d: reverse("wagtailapi:pages:listing"), NO_BODY),
]

ROWS = ADMIN_ROWS + READER_ROWS + API_ROWS


def client_for(role, users):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.fixture
def users(editor, verifier, superuser):
    return {"editor": editor, "verifier": verifier, "superuser": superuser}


def answer(response):
    """(status, where it redirects, whether it said an error): Wagtail answers an action
    done and one refused alike with a redirect, so where to and what it said tell them apart."""
    if response.status_code != 302:
        return response.status_code, None, False
    said = get_messages(response.wsgi_request)
    return 302, response["Location"], any(message.level_tag == "error" for message in said)


def expected_answer(expected, url, desk):
    """The answer that a row's `expected` stands for, to a request for `url` on `desk`."""
    if expected == LOGIN:
        return 302, admin_login_url(url), False
    if expected == READER_LOGIN:
        return 302, reverse("wagtailcore_login") + "?" + urlencode({"next": url}, safe="/"), False
    if isinstance(expected, To):
        return 302, expected.target(desk), expected.refused
    return expected, None, False


def visit(row, role, users, desk):
    name, method, target, expected = row
    built = target(desk)
    url, data = built if isinstance(built, tuple) else (built, {})
    got = answer(getattr(client_for(role, users), method)(url, data))
    wanted = expected_answer(expected[role], url, desk)
    return None if got == wanted else f"{name}: {method.upper()} {url} → {got}, not {wanted}"


GET_ROWS = [row for row in ROWS if row[1] == "get"]
ACTION_ROWS = [row for row in ROWS if row[1] != "get"]


@pytest.fixture(scope="class")
def shared_desk(django_db_setup, django_db_blocker):
    """A user per role and one desk for a whole class of tests, built once: each test runs
    in a savepoint of its own (the `db` fixture's, as in Django's TestCase), so what one
    test's request changes is rolled back before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        users = {
            "editor": UserFactory(username="matrix-editor", groups=["Editors"]),
            "verifier": UserFactory(username="matrix-verifier", groups=["Verifiers"]),
            "superuser": UserFactory(username="matrix-chief", is_staff=True, is_superuser=True),
        }
        yield users, make_desk(users["editor"])
        transaction.set_rollback(True)


class TestMatrix:
    """Every row of the matrix, for every role, on one desk."""

    @pytest.mark.parametrize("role", ROLES)
    def test_views(self, role, shared_desk, db):
        """Every GET row for one role (looking changes nothing)."""
        users, desk = shared_desk
        wrong = [problem for row in GET_ROWS if (problem := visit(row, role, users, desk))]
        assert not wrong, f"as {role}:\n" + "\n".join(wrong)

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("row", ACTION_ROWS, ids=[name for name, *_ in ACTION_ROWS])
    def test_actions(self, row, role, shared_desk, db):
        """Every POST or DELETE row, each as the only change made to the desk."""
        users, desk = shared_desk
        problem = visit(row, role, users, desk)
        assert problem is None, f"as {role}: {problem}"


def test_a_verified_claim_is_public_in_the_api_for_everyone(users, editor):
    desk = make_desk(editor)
    verify_claim(desk.claim, users["verifier"], Claim.Status.VERIFIED)
    for role in ROLES:
        url = reverse("verified-claim-detail", args=[desk.claim.pk])
        assert client_for(role, users).get(url).status_code == 200, role


def covered_snippet_url_names():
    names = set()
    for name, *_ in ADMIN_ROWS:
        model, _, action = name.partition(":")
        if model in ("source", "claim", "outlet"):
            names.add((model, action.split(" ")[0]))
    return names


def test_every_evidence_desk_admin_url_is_in_the_matrix():
    """A new admin view of the evidence desk cannot be added without a row here."""
    resolver = get_resolver()
    found = set()
    for namespace, (_, sub) in resolver.namespace_dict.items():
        match = re.fullmatch(r"wagtailsnippet(?:s|choosers)_newsroom_(\w+)", namespace)
        if not match:
            continue
        for name in sub.reverse_dict:
            if isinstance(name, str):
                found.add((match.group(1), name))
    assert found, "no evidence-desk snippet URLs found"
    missing = found - covered_snippet_url_names()
    assert not missing, f"admin URLs with no row in the permission matrix: {sorted(missing)}"


def test_every_page_admin_url_is_in_the_matrix():
    """Every view of Wagtail's page admin has a row, or a test of its own named here."""
    _, sub = get_resolver().namespace_dict["wagtailadmin_pages"]
    found = {name for name in sub.reverse_dict if isinstance(name, str)}
    assert {"preview_on_edit", "revisions_revert", "copy"} <= found
    covered = {
        name.partition(":")[2].split(" ")[0] for name, *_ in ADMIN_ROWS if name.startswith("page:")
    }
    missing = found - covered - set(PAGE_URLS_CHECKED_ELSEWHERE)
    assert not missing, f"page admin URLs with no row in the permission matrix: {sorted(missing)}"


# Forged ids in posts.


def test_a_quote_for_a_source_that_does_not_exist_is_refused(editor_client, editor):
    desk = make_desk(editor)
    before = [row.pk for row in desk.claim.get_latest_revision_as_object().evidence.all()]
    response = editor_client.post(
        snippet_url("claim", "add_evidence", desk.claim.pk),
        {"source": 999_999, "quote": "anything", "stance": "supports"},
    )
    inspect = snippet_url("claim", "inspect", desk.claim.pk)
    assert answer(response) == (302, inspect, True)
    assert "That source does not exist" in editor_client.get(inspect).content.decode()
    assert desk.claim.revisions.count() == 1
    assert [row.pk for row in desk.claim.get_latest_revision_as_object().evidence.all()] == before


def test_a_user_who_cannot_change_claims_cannot_add_evidence(editor):
    from django.contrib.auth.models import Permission

    desk = make_desk(editor)
    outsider = UserFactory(username="outsider")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = client_for("outsider", {"outsider": outsider})
    url = snippet_url("claim", "add_evidence", desk.claim.pk)
    data = {"source": desk.source.pk, "quote": "Elysee Palace said", "stance": "supports"}
    denied = expected_answer(DENIED, url, desk)
    assert answer(client.post(url, data)) == denied
    assert answer(client.post(snippet_url("source", "restore_line", desk.source.pk, 3))) == denied
    verify = snippet_url("claim", "verify", desk.claim.pk)
    assert answer(client.post(verify, {"status": "verified"})) == denied
    desk.claim.refresh_from_db()
    desk.source.refresh_from_db()
    assert desk.claim.revisions.count() == 1 and desk.claim.status == Claim.Status.UNVERIFIED
    assert desk.source.set_aside == SET_ASIDE


def test_evidence_ids_of_another_claim_cannot_be_taken_over_in_the_edit_form(editor_client, editor):
    other = EvidenceFactory(claim=ClaimFactory(created_by=editor), quote="Elysee Palace said")
    target = ClaimFactory(created_by=editor, statement="Target claim.")
    form = {
        "statement": "Target claim, edited.",
        "tags": "",
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "1",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
        "evidence-0-id": str(other.pk),
        "evidence-0-source": str(other.source_id),
        "evidence-0-quote": "Putin was ready for dialogue with Macron",
        "evidence-0-stance": "supports",
        "evidence-0-note": "forged",
        "evidence-0-ORDER": "1",
        "evidence-0-DELETE": "",
    }
    response = editor_client.post(snippet_url("claim", "edit", target.pk), form)
    assert response.status_code == 200
    assert "refers to a quote that is not this claim" in response.content.decode()
    other.refresh_from_db()
    assert other.claim_id != target.pk
    assert other.quote == "Elysee Palace said" and other.note == ""
    # Whatever the form made of the forged row, it is not the other claim's evidence.
    assert other.pk not in Evidence.objects.filter(claim=target).values_list("pk", flat=True)


def test_an_editor_cannot_publish_an_explainer_by_forging_the_publish_action(editor_client, editor):
    desk = make_desk(editor)
    page = desk.draft_page
    form = {**page_form(page, **{"action-publish": "action-publish"}), "title": "Forged publish"}
    response = editor_client.post(pages("edit", page.pk), form)
    # Wagtail takes the edit as a draft, staying on the page's form.
    assert answer(response) == (302, pages("edit", page.pk), False)
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision_as_object().title == "Forged publish"


def test_only_a_verifier_can_approve_an_explainer_in_desk_review(
    editor_client, verifier_client, editor
):
    desk = make_desk(editor)
    page = desk.draft_page.specific
    workflow = page.get_workflow()
    assert isinstance(workflow, Workflow), "explainers go through the Desk review workflow"
    workflow.start(page, editor)
    state = page.current_workflow_task_state
    url = pages("workflow_action", page.pk, "approve", state.pk)
    assert answer(editor_client.post(url, {"comment": ""})) == expected_answer(DENIED, url, desk)
    page.refresh_from_db()
    assert not page.live
    response = verifier_client.post(url, {"comment": "Checked."})
    assert answer(response) == (302, pages("edit", page.pk), False)
    page.refresh_from_db()
    assert page.live


# What the page actions of issue #7 did, beyond who was let in.


@pytest.mark.parametrize(
    "role, goes_live", [("editor", False), ("verifier", True), ("superuser", True)]
)
def test_bulk_publish_publishes_only_for_publishers(role, goes_live, users, editor):
    page = make_desk(editor).draft_page
    response = client_for(role, users).post(bulk_publish_url(page))
    assert answer(response) == (302, reverse("wagtail_bulk_action", args=BULK_PUBLISH), False)
    page.refresh_from_db()
    assert page.live is goes_live


def test_copying_a_live_explainer_publishes_the_copy_only_for_publishers(users, editor):
    from explainers.models import ExplainerPage

    desk = make_desk(editor)
    for role, goes_live in (("editor", False), ("verifier", True)):
        form = {**copy_form(desk), "new_slug": f"copied-by-{role}"}
        response = client_for(role, users).post(pages("copy", desk.page.pk), form)
        assert answer(response) == (302, explore(desk.index), False), role
        copy = ExplainerPage.objects.get(slug=f"copied-by-{role}")
        assert copy.live is goes_live, role


@pytest.mark.parametrize(
    "role, cancels",
    [
        ("anonymous", False),
        ("other editor", False),
        ("editor", True),
        ("verifier", True),
        ("superuser", True),
    ],
)
def test_cancelling_a_review(role, cancels, users, editor):
    """The editor who submitted, and verifiers (who approve), may cancel a Desk review;
    another editor may not."""
    everyone = {**users, "other editor": UserFactory(username="other", groups=["Editors"])}
    desk = make_desk(editor)
    url, data = cancel_review(desk)
    client_for(role, everyone).post(url, data)
    desk.review_page.refresh_from_db()
    assert desk.review_page.workflow_in_progress is not cancels


def test_editors_and_verifiers_cannot_administer_users_or_groups(users, editor):
    from django.contrib.auth.models import Group

    desk = make_desk(editor)
    editors = Group.objects.get(name="Editors")
    permissions = set(editors.permissions.values_list("pk", flat=True))
    for role in ("editor", "verifier"):
        client = client_for(role, users)
        _, _, target, _ = next(
            row for row in ADMINISTRATION_ROWS if row[0].startswith("users:edit (")
        )
        url, data = target(desk)
        client.post(url, data)
        client.post(reverse("wagtailusers_groups:edit", args=[editors.pk]), {"name": "Chiefs"})
        users[role].refresh_from_db()
        assert not users[role].is_superuser, role
    desk.author.refresh_from_db()
    editors.refresh_from_db()
    assert not desk.author.is_superuser
    assert editors.name == "Editors"
    assert set(editors.permissions.values_list("pk", flat=True)) == permissions

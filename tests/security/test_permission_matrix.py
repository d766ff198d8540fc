"""Every admin URL of the evidence desk and the explainers, every reader URL and every API
endpoint, as anonymous, editor, verifier and superuser: each answer is the one the
newsroom's roles call for. Forged object ids in posts are refused.

Answers: a status code; LOGIN, a redirect to the admin's login; DENIED, a refusal (403, or
Wagtail's redirect to the dashboard with "permission denied"); DONE, an action carried out
(a redirect that is not a refusal)."""

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from wagtail.models import PageViewRestriction, Workflow

from newsroom.desk.models import Claim, Evidence, Outlet, Source
from newsroom.desk.verification import verification_version, verify_claim
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    UserFactory,
    cited_claim_block,
    explainer_page,
)

pytestmark = pytest.mark.django_db

LOGIN, DENIED, DONE = "login", "denied", "done"
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
    review_page: object
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
        review_page=review_page,
        author=author,
    )


def snippet(model, action, *args, **kwargs):
    return reverse(f"wagtailsnippets_newsroom_{model}:{action}", args=args, kwargs=kwargs or None)


def chooser(model, action, *args):
    return reverse(f"wagtailsnippetchoosers_newsroom_{model}:{action}", args=args)


def pages(action, *args):
    return reverse(f"wagtailadmin_pages:{action}", args=args)


def revision_of(obj):
    return obj.get_latest_revision().pk


EVERYONE = {"anonymous": 200, "editor": 200, "verifier": 200, "superuser": 200}
DESK = {"anonymous": LOGIN, "editor": 200, "verifier": 200, "superuser": 200}
DESK_ACTION = {"anonymous": LOGIN, "editor": DONE, "verifier": DONE, "superuser": DONE}
VERIFIERS = {"anonymous": LOGIN, "editor": DENIED, "verifier": 200, "superuser": 200}
VERIFIER_ACTION = {"anonymous": LOGIN, "editor": DENIED, "verifier": DONE, "superuser": DONE}
SUPERUSER = {"anonymous": LOGIN, "editor": DENIED, "verifier": DENIED, "superuser": 200}
SUPERUSER_ACTION = {"anonymous": LOGIN, "editor": DENIED, "verifier": DENIED, "superuser": DONE}
NOBODY = dict.fromkeys(ROLES, 404)
READ_ONLY = dict.fromkeys(ROLES, 405)


def snippet_rows(model, desk_object):
    """The generic snippet views every evidence-desk model has."""
    return [
        (f"{model}:list", "get", lambda d: snippet(model, "list"), DESK),
        (f"{model}:list_results", "get", lambda d: snippet(model, "list_results"), DESK),
        (f"{model}:add", "get", lambda d: snippet(model, "add"), DESK),
        (f"{model}:edit", "get", lambda d: snippet(model, "edit", desk_object(d).pk), DESK),
        (f"{model}:delete", "get", lambda d: snippet(model, "delete", desk_object(d).pk), DESK),
        (f"{model}:usage", "get", lambda d: snippet(model, "usage", desk_object(d).pk), DESK),
        (f"{model}:history", "get", lambda d: snippet(model, "history", desk_object(d).pk), DESK),
        (
            f"{model}:history_results",
            "get",
            lambda d: snippet(model, "history_results", desk_object(d).pk),
            DESK,
        ),
        (f"{model}:inspect", "get", lambda d: snippet(model, "inspect", desk_object(d).pk), DESK),
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
            lambda d: snippet(model, "delete", spare_of(d, model).pk),
            DESK_ACTION,
        ),
    ]


def spare_of(desk, model):
    """An object nothing refers to, so deleting it is allowed (claims cascade)."""
    return {"source": desk.spare_source, "outlet": desk.spare_outlet}.get(model) or desk.claim


def revision_rows(model, desk_object):
    return [
        (
            f"{model}:revisions_revert",
            "get",
            lambda d: snippet(
                model, "revisions_revert", desk_object(d).pk, revision_of(desk_object(d))
            ),
            DESK,
        ),
        (
            f"{model}:revisions_compare",
            "get",
            lambda d: snippet(
                model,
                "revisions_compare",
                pk=desk_object(d).pk,
                revision_id_a="earliest",
                revision_id_b="latest",
            ),
            DESK,
        ),
    ]


def bulk_publish_url(page):
    return reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + (
        f"?id={page.pk}"
    )


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
        VERIFIER_ACTION,
    ),
    # Wagtail accepts the request from anyone in the desk and publishes only the pages the
    # user may publish: test_bulk_publish_publishes_only_for_publishers checks which.
    ("page:bulk_publish (post)", "post", lambda d: bulk_publish_url(d.draft_page), DESK_ACTION),
    ("page:copy", "get", lambda d: pages("copy", d.page.pk), DESK),
    ("page:copy (post)", "post", lambda d: (pages("copy", d.page.pk), copy_form(d)), DESK_ACTION),
    # The page in review is locked to its editor, so their form comes back (200) while the
    # cancellation still happens: test_cancelling_a_review checks who may cancel.
    (
        "page:workflow_cancel (post)",
        "post",
        lambda d: cancel_review(d),
        {"anonymous": LOGIN, "editor": 200, "verifier": DONE, "superuser": DONE},
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
    ("page:unlock", "post", lambda d: pages("unlock", d.page.pk), VERIFIER_ACTION),
    ("page:set_page_position", "post", lambda d: pages("set_page_position", d.page.pk), VERIFIERS),
    ("page:add_subpage", "get", lambda d: pages("add_subpage", d.index.pk), DESK_ACTION),
    (
        "page:choose_parent",
        "get",
        lambda d: pages("choose_parent", "explainers", "explainerpage"),
        DESK_ACTION,
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
        SUPERUSER_ACTION,
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
        lambda d: snippet("source", "restore_line", d.source.pk, 3),
        DESK_ACTION,
    ),
    (
        "source:restore_line (not set aside)",
        "post",
        lambda d: snippet("source", "restore_line", d.source.pk, 99),
        {"anonymous": LOGIN, "editor": 404, "verifier": 404, "superuser": 404},
    ),
    (
        "source:restore_line (get)",
        "get",
        lambda d: snippet("source", "restore_line", d.source.pk, 3),
        {"anonymous": LOGIN, "editor": 405, "verifier": 405, "superuser": 405},
    ),
    *snippet_rows("claim", lambda d: d.claim),
    *revision_rows("claim", lambda d: d.claim),
    ("claim:copy", "get", lambda d: snippet("claim", "copy", d.claim.pk), DESK),
    ("claim:unpublish", "get", lambda d: snippet("claim", "unpublish", d.claim.pk), DESK),
    (
        "claim:unpublish (post)",
        "post",
        lambda d: snippet("claim", "unpublish", d.claim.pk),
        DESK_ACTION,
    ),
    (
        "claim:revisions_unschedule",
        "get",
        lambda d: snippet("claim", "revisions_unschedule", d.claim.pk, revision_of(d.claim)),
        DESK,
    ),
    ("claim:lock", "post", lambda d: snippet("claim", "lock", d.claim.pk), DESK_ACTION),
    # Only verifiers may unlock a claim someone else locked (editors only their own).
    ("claim:unlock", "post", lambda d: snippet("claim", "unlock", d.claim.pk), VERIFIER_ACTION),
    ("claim:verify", "get", lambda d: snippet("claim", "verify", d.claim.pk), VERIFIERS),
    (
        "claim:verify (post)",
        "post",
        lambda d: (
            snippet("claim", "verify", d.claim.pk),
            {"status": "verified", "note": "", "seen_version": verification_version(d.claim)},
        ),
        VERIFIER_ACTION,
    ),
    (
        "claim:verify (no such claim)",
        "get",
        lambda d: snippet("claim", "verify", 999_999),
        {"anonymous": LOGIN, "editor": DENIED, "verifier": 404, "superuser": 404},
    ),
    (
        "claim:add_evidence",
        "post",
        lambda d: (
            snippet("claim", "add_evidence", d.claim.pk),
            {"source": d.source.pk, "quote": "Elysee Palace said", "stance": "context"},
        ),
        DESK_ACTION,
    ),
    (
        "claim:add_evidence (get)",
        "get",
        lambda d: snippet("claim", "add_evidence", d.claim.pk),
        {"anonymous": LOGIN, "editor": 405, "verifier": 405, "superuser": 405},
    ),
    ("claim:edit (draft)", "get", lambda d: snippet("claim", "edit", d.draft_claim.pk), DESK),
    *snippet_rows("outlet", lambda d: d.outlet),
    ("outlet:copy", "get", lambda d: snippet("outlet", "copy", d.outlet.pk), DESK),
    ("outlet:merge", "get", lambda d: snippet("outlet", "merge", d.spare_outlet.pk), DESK),
    (
        "outlet:merge (post)",
        "post",
        lambda d: (snippet("outlet", "merge", d.spare_outlet.pk), {"target": d.outlet.pk}),
        DESK_ACTION,
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
        {"anonymous": LOGIN, "editor": DONE, "verifier": DONE, "superuser": DONE},
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
    ("page:unpublish (post)", "post", lambda d: pages("unpublish", d.page.pk), VERIFIER_ACTION),
    # Wagtail: change + publish permission may delete a live page; change alone only drafts.
    ("page:delete", "get", lambda d: pages("delete", d.page.pk), VERIFIERS),
    ("page:delete (draft)", "get", lambda d: pages("delete", d.draft_page.pk), DESK),
    ("page:lock", "post", lambda d: pages("lock", d.page.pk), VERIFIER_ACTION),
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
        {"anonymous": LOGIN, "editor": 200, "verifier": 200, "superuser": 200},
    ),
    ("search", "get", lambda d: "/search/?q=explainer", EVERYONE),
    ("rss", "get", lambda d: "/feeds/explainers.rss", EVERYONE),
    ("corrections", "get", lambda d: reverse("corrections"), EVERYONE),
    ("corrections rss", "get", lambda d: reverse("corrections_rss"), EVERYONE),
    ("atom", "get", lambda d: "/feeds/explainers.atom", EVERYONE),
    ("sitemap", "get", lambda d: "/sitemap.xml", EVERYONE),
    ("robots", "get", lambda d: "/robots.txt", EVERYONE),
    ("search (post)", "post", lambda d: "/search/", READ_ONLY),
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
    ("api:claims (post)", "post", lambda d: reverse("verified-claim-list"), READ_ONLY),
    (
        "api:claim (delete)",
        "delete",
        lambda d: reverse("verified-claim-detail", args=[d.claim.pk]),
        READ_ONLY,
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
        dict.fromkeys(ROLES, DONE),  # a redirect to the page's detail
    ),
    ("api:pages (post)", "post", lambda d: reverse("wagtailapi:pages:listing"), READ_ONLY),
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
    """What a response amounts to, in the matrix's words."""
    if response.status_code == 302:
        location = response["Location"]
        if "/admin/login/" in location or "/_util/login/" in location:
            return LOGIN
        if location.rstrip("/").endswith("/admin") or response.status_code == 403:
            return DENIED
        return DONE if location else 302
    if response.status_code == 403:
        return DENIED
    return response.status_code


def visit(row, role, users, desk):
    name, method, target, expected = row
    built = target(desk)
    url, data = built if isinstance(built, tuple) else (built, {})
    got = answer(getattr(client_for(role, users), method)(url, data))
    return None if got == expected[role] else f"{name}: {method.upper()} {url} → {got}"


GET_ROWS = [row for row in ROWS if row[1] == "get"]
ACTION_ROWS = [row for row in ROWS if row[1] != "get"]


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_views(role, users, editor):
    """Every GET row for one role, on one desk (looking changes nothing)."""
    desk = make_desk(editor)
    wrong = [problem for row in GET_ROWS if (problem := visit(row, role, users, desk))]
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACTION_ROWS, ids=[name for name, *_ in ACTION_ROWS])
def test_permission_matrix_actions(row, role, users, editor):
    """Every POST or DELETE row, on a fresh desk for each (acting changes things)."""
    problem = visit(row, role, users, make_desk(editor))
    assert problem is None, f"as {role}: {problem}"


def test_a_verified_claim_is_public_in_the_api_for_everyone(users, editor):
    desk = make_desk(editor)
    verify_claim(desk.claim, users["verifier"], Claim.Status.VERIFIED)
    for role in ROLES:
        url = reverse("verified-claim-detail", args=[desk.claim.pk])
        assert answer(client_for(role, users).get(url)) == 200, role


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
        snippet("claim", "add_evidence", desk.claim.pk),
        {"source": 999_999, "quote": "anything", "stance": "supports"},
        follow=True,
    )
    assert "That source does not exist" in response.content.decode()
    assert desk.claim.revisions.count() == 1
    assert [row.pk for row in desk.claim.get_latest_revision_as_object().evidence.all()] == before


def test_a_user_who_cannot_change_claims_cannot_add_evidence(editor):
    from django.contrib.auth.models import Permission

    desk = make_desk(editor)
    outsider = UserFactory(username="outsider")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = client_for("outsider", {"outsider": outsider})
    url = snippet("claim", "add_evidence", desk.claim.pk)
    data = {"source": desk.source.pk, "quote": "Elysee Palace said", "stance": "supports"}
    assert answer(client.post(url, data)) == DENIED
    assert answer(client.post(snippet("source", "restore_line", desk.source.pk, 3))) == DENIED
    assert (
        answer(client.post(snippet("claim", "verify", desk.claim.pk), {"status": "verified"}))
        == DENIED
    )
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
    editor_client.post(snippet("claim", "edit", target.pk), form)
    other.refresh_from_db()
    assert other.claim_id != target.pk
    assert other.quote == "Elysee Palace said" and other.note == ""
    # Whatever the form made of the forged row, it is not the other claim's evidence.
    assert other.pk not in Evidence.objects.filter(claim=target).values_list("pk", flat=True)


def test_an_editor_cannot_publish_an_explainer_by_forging_the_publish_action(editor_client, editor):
    desk = make_desk(editor)
    page = desk.draft_page
    form = {**page_form(page, **{"action-publish": "action-publish"}), "title": "Forged publish"}
    editor_client.post(pages("edit", page.pk), form)
    page.refresh_from_db()
    assert not page.live


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
    assert answer(editor_client.post(url, {"comment": ""})) in (DENIED, 404)
    page.refresh_from_db()
    assert not page.live
    verifier_client.post(url, {"comment": "Checked."})
    page.refresh_from_db()
    assert page.live


# What the page actions of issue #7 did, beyond who was let in.


@pytest.mark.parametrize(
    "role, goes_live", [("editor", False), ("verifier", True), ("superuser", True)]
)
def test_bulk_publish_publishes_only_for_publishers(role, goes_live, users, editor):
    page = make_desk(editor).draft_page
    client_for(role, users).post(bulk_publish_url(page))
    page.refresh_from_db()
    assert page.live is goes_live


def test_copying_a_live_explainer_publishes_the_copy_only_for_publishers(users, editor):
    from explainers.models import ExplainerPage

    desk = make_desk(editor)
    for role, goes_live in (("editor", False), ("verifier", True)):
        form = {**copy_form(desk), "new_slug": f"copied-by-{role}"}
        assert answer(client_for(role, users).post(pages("copy", desk.page.pk), form)) == DONE
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

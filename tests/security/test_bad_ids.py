"""Ids that cannot name anything (non-numeric, negative, beyond the database's integers,
empty, several at once), in the URL, query string or posted form of every admin view and
hook of ours that reads one: each is refused with a 4xx or shown back as an error on the
form, never answered with a server error, and nothing is saved (issue #12)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from wagtail.models import Page, Revision

from explainers.models import RelatedStoryChoice
from newsroom.desk.models import Claim, Evidence, Outlet, Source
from tests.explainers.test_publish_guard import edit_form_data
from tests.factories import snippet_url
from tests.newsroom.test_verification_edits import edit_data
from tests.security.test_permission_matrix import chooser, copy_form, make_desk, pages

pytestmark = pytest.mark.django_db

HUGE = str(2**70)
BAD_IDS = {
    "non-numeric": "abc",
    "negative": "-1",
    "huge": HUGE,
    "empty": "",
    "list-valued": ["1", "abc"],
}
# What a URL's path can carry where an id goes.
BAD_PATH_IDS = ("abc", "-1", HUGE)


@pytest.fixture
def desk(editor):
    return make_desk(editor)


@pytest.fixture
def chief(superuser):
    """The superuser, who gets furthest into every view; server errors come back as 500s."""
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


def shows_an_error(response):
    if "html" not in response.get("Content-Type", ""):
        return False
    soup = BeautifulSoup(response.content, "html.parser")
    return bool(soup.select(".messages .error, .error-message, .w-field__errors"))


def saved_state():
    """What a refused request must not change."""
    return [
        model.objects.count()
        for model in (Revision, Page, Claim, Evidence, Source, Outlet, RelatedStoryChoice)
    ]


def query_ids(bad, valid="1"):
    """A query string carrying `bad` as the id (list-valued: a good id and a bad one)."""
    values = [valid, bad[1]] if isinstance(bad, list) else [bad]
    return "&".join(f"id={value}" for value in values)


def bulk(app, model, action, bad, valid="1"):
    return reverse("wagtail_bulk_action", args=[app, model, action]) + "?" + query_ids(bad, valid)


def related_choice(desk, row_id="", story=""):
    data = edit_form_data(desk.page, [desk.claim], action=None, show_as_unverified=[desk.claim])
    data.update(
        {
            "related_choices-TOTAL_FORMS": "1",
            "related_choices-INITIAL_FORMS": "1" if row_id else "0",
            "related_choices-0-id": row_id,
            "related_choices-0-story": story,
            "related_choices-0-choice": "pin",
            "related_choices-0-ORDER": "1",
        }
    )
    return data


def body_citing(desk, claim_id):
    data = edit_form_data(desk.page, [desk.claim], action=None, show_as_unverified=[desk.claim])
    data["body-0-value-claim"] = claim_id
    return data


def claim_edit(desk, **row):
    data = edit_data(desk.claim, action="action-save")
    data.update({f"evidence-0-{name}": value for name, value in row.items()})
    return data


# Each: (method, url, posted data) for one bad id, given the desk.
CASES = {
    "copy: parent page": lambda d, bad: (
        "post",
        pages("copy", d.page.pk),
        {**copy_form(d), "new_parent_page": bad},
    ),
    "copy as a draft: parent page": lambda d, bad: (
        "post",
        pages("copy", d.page.pk),
        {**copy_form(d), "publish_copies": "", "new_parent_page": bad},
    ),
    "bulk publish": lambda d, bad: (
        "get",
        bulk("wagtailcore", "page", "publish", bad, d.draft_page.pk),
        {},
    ),
    "bulk publish (post)": lambda d, bad: (
        "post",
        bulk("wagtailcore", "page", "publish", bad, d.draft_page.pk),
        {"include_descendants": "on"},
    ),
    "bulk publish all: parent": lambda d, bad: (
        "get",
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id=all&{query_ids(bad, d.index.pk).replace('id=', 'childOf=')}",
        {},
    ),
    "bulk delete claims": lambda d, bad: ("get", bulk("newsroom", "claim", "delete", bad), {}),
    "bulk delete claims (post)": lambda d, bad: (
        "post",
        bulk("newsroom", "claim", "delete", bad, d.claim.pk),
        {},
    ),
    "bulk delete outlets (post)": lambda d, bad: (
        "post",
        bulk("newsroom", "outlet", "delete", bad, d.spare_outlet.pk),
        {},
    ),
    "claim chooser: several chosen": lambda d, bad: (
        "get",
        chooser("claim", "chosen_multiple") + "?" + query_ids(bad, d.claim.pk),
        {},
    ),
    "source chooser: several chosen": lambda d, bad: (
        "get",
        chooser("source", "chosen_multiple") + "?" + query_ids(bad, d.source.pk),
        {},
    ),
    "add evidence: source": lambda d, bad: (
        "post",
        snippet_url("claim", "add_evidence", d.claim.pk),
        {"source": bad, "quote": "Elysee Palace said", "stance": "context"},
    ),
    "verify: version seen": lambda d, bad: (
        "post",
        snippet_url("claim", "verify", d.claim.pk),
        {"status": "verified", "note": "", "seen_version": bad},
    ),
    "claim edit: evidence row": lambda d, bad: (
        "post",
        snippet_url("claim", "edit", d.claim.pk),
        claim_edit(d, id=bad),
    ),
    "claim edit: evidence source": lambda d, bad: (
        "post",
        snippet_url("claim", "edit", d.claim.pk),
        claim_edit(d, source=bad),
    ),
    "page edit: related story pinned": lambda d, bad: (
        "post",
        pages("edit", d.page.pk),
        related_choice(d, story=bad),
    ),
    "page edit: related story row": lambda d, bad: (
        "post",
        pages("edit", d.page.pk),
        related_choice(d, row_id=bad, story=d.private_page.pk),
    ),
    "page edit: claim cited in the body": lambda d, bad: (
        "post",
        pages("edit", d.page.pk),
        body_citing(d, bad),
    ),
    "merge outlet: target": lambda d, bad: (
        "post",
        snippet_url("outlet", "merge", d.outlet.pk),
        {"target": bad},
    ),
}


# Where an empty value means something (a new row; nothing chosen yet, which a draft may
# leave), the form may be saved.
EMPTY_MEANS_SOMETHING = {
    "claim edit: evidence row",
    "page edit: related story row",
    "page edit: related story pinned",
    "page edit: claim cited in the body",
}


def refusal_problems(client, method, url, data=None, empty_means_something=False):
    """What is wrong with the answer to a request carrying a bad id: nothing if it was
    refused (a 4xx, or a page showing an error) and nothing was saved; or, for an empty
    value that means something, if it did not fail."""
    before = saved_state()
    response = getattr(client, method)(url, data or {}, follow=True)
    if response.status_code >= 500 or empty_means_something:
        return [f"answered {response.status_code}"] if response.status_code >= 500 else []
    refused = 400 <= response.status_code < 500 or (
        response.status_code == 200 and shows_an_error(response)
    )
    if not refused:
        return [f"answered {response.status_code} without an error"]
    return ["saved something"] if saved_state() != before else []


def test_every_id_posted_or_queried_is_refused_when_it_cannot_exist(editor, chief):
    """Every case, on a desk of its own, with every kind of bad id."""
    problems = []
    for case, build in CASES.items():
        with transaction.atomic():
            desk = make_desk(editor)
            for kind, bad in BAD_IDS.items():
                method, url, data = build(desk, bad)
                lenient = kind == "empty" and case in EMPTY_MEANS_SOMETHING
                for problem in refusal_problems(chief, method, url, data, lenient):
                    problems.append(f"{case}, {kind} id {bad!r}: {method.upper()} {url} {problem}")
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def urls_with_one_bad_id(desk):
    """URLs whose other ids are good, one of them beyond the database's integers."""
    review = desk.review_page.current_workflow_state.current_task_state
    return [
        snippet_url("source", "restore_line", desk.source.pk, HUGE),
        snippet_url("claim", "revisions_revert", desk.claim.pk, HUGE),
        snippet_url("claim", "revisions_unschedule", desk.claim.pk, HUGE),
        snippet_url("claim", "revisions_compare", desk.claim.pk, "earliest", HUGE),
        pages("revisions_view", desk.page.pk, HUGE),
        pages("revisions_revert", desk.page.pk, HUGE),
        pages("workflow_action", desk.review_page.pk, "approve", HUGE),
        pages("workflow_action", HUGE, "approve", review.pk),
        pages("workflow_preview", desk.review_page.pk, HUGE),
    ]


def admin_url_names():
    """(namespace, URL name, parameter names) of every evidence-desk snippet view and
    chooser, and every page view (explainers have theirs among them)."""
    resolver = get_resolver()
    for namespace, (_, sub) in resolver.namespace_dict.items():
        if not re.fullmatch(
            r"wagtailsnippet(s|choosers)_newsroom_\w+|wagtailadmin_pages", namespace
        ):
            continue
        for name in sub.reverse_dict:
            if not isinstance(name, str):
                continue
            for possibility, *_ in sub.reverse_dict.getlist(name):
                for _, params in possibility:
                    if params:
                        yield namespace, name, params


def test_every_admin_url_refuses_bad_ids_in_its_path(desk, chief):
    """Each id in the path of every evidence-desk and page admin URL, replaced by one that
    cannot exist (where the URL can carry it), answers a 4xx, to GET and POST alike; so do
    URLs with one such id among good ones."""
    urls = urls_with_one_bad_id(desk)
    for namespace, name, params in admin_url_names():
        for bad in BAD_PATH_IDS:
            try:
                urls.append(reverse(f"{namespace}:{name}", kwargs=dict.fromkeys(params, bad)))
            except NoReverseMatch:
                continue  # the URL cannot carry it: the resolver answers 404
    assert len(urls) > 50, "the admin's URLs were not found"
    problems = [
        f"{method.upper()} {url} {problem}"
        for url in urls
        for method in ("get", "post")
        for problem in refusal_problems(chief, method, url)
    ]
    assert not problems, "\n".join(problems)

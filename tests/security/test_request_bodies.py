"""Request bodies have budgets (newsroom/request_bodies.py): readers' paths take none, the
admin takes the import's allowance, the login and password forms a little; past a budget the
body is refused with 413 before anything reads it. Varnish's VCL holds the same figures."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.test.client import ClientHandler

from newsroom.request_bodies import IMPORT_FORM_MARGIN, body_budgets, import_allowance
from tests.explainers.test_varnish import VCL

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


class Tripwire:
    """A request body that records whether anything read it."""

    def __init__(self, size):
        self.size = size
        self.read_from = False

    def read(self, *args):
        self.read_from = True
        return b"x" * self.size

    readline = read


def send(method, path, size=0, chunked=False, **headers):
    """A request through the whole site (every middleware, as the test client sends it), its
    body a tripwire. Returns the status and whether the body was read."""
    request = RequestFactory().generic(method, path, **headers)
    environ = dict(request.environ)
    body = Tripwire(size)
    environ["wsgi.input"] = body
    if chunked:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ.pop("CONTENT_LENGTH", None)
    else:
        environ["CONTENT_LENGTH"] = str(size)
    environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    response = ClientHandler(enforce_csrf_checks=False)(environ)
    return response.status_code, body.read_from


def test_the_budgets_and_their_defaults():
    assert import_allowance() == 20 * 5 * MIB + MIB == 101 * MIB
    assert dict(body_budgets()) == {
        "/admin/": 101 * MIB,
        "/_util/": 64 * 1024,
        "/documents/authenticate_with_password/": 64 * 1024,
    }
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 2 * settings.NEWSROOM_IMPORT_MAX_FILES


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/search/"),
        ("POST", "/"),
        ("POST", "/feeds/explainers.rss"),
        ("PUT", "/explainers/"),
        ("GET", "/search/?q=x"),
        ("POST", "/api/claims/"),
    ],
)
def test_a_single_byte_of_body_on_a_readers_path_is_refused_unread(news_site, method, path):
    assert send(method, path, size=1) == (413, False)
    assert send(method, path, chunked=True) == (413, False)


def test_a_post_without_a_body_to_a_readers_path_is_refused_by_its_view(news_site):
    assert send("POST", "/search/") == (405, False)


@override_settings(NEWSROOM_IMPORT_MAX_FILES=2, NEWSROOM_IMPORT_MAX_BYTES=1000)
def test_the_admin_takes_the_imports_allowance_and_not_a_byte_more(db):
    budget = 2 * 1000 + IMPORT_FORM_MARGIN
    assert import_allowance() == budget
    assert send("POST", "/admin/login/", size=budget + 1) == (413, False)
    # Within it, the login form reads it, and finds no username in it.
    assert send("POST", "/admin/login/", size=budget) == (200, True)


@override_settings(NEWSROOM_FORM_MAX_BODY_BYTES=2000)
@pytest.mark.parametrize(
    ("path", "within"),
    [
        # The login form again, having read the body.
        ("/_util/login/", (200, True)),
        # Past the budget check, to Wagtail's view: there is no such restriction.
        ("/documents/authenticate_with_password/1/", (404, False)),
    ],
)
def test_the_small_forms_take_their_budget_and_not_a_byte_more(db, path, within):
    assert send("POST", path, size=2001) == (413, False)
    assert send("POST", path, size=2000) == within


def test_a_body_of_unknown_length_where_bodies_are_taken_is_refused_unread(db):
    assert send("POST", "/admin/login/", chunked=True) == (411, False)
    assert send("POST", "/_util/login/", chunked=True) == (411, False)


def vcl_budgets():
    """The body limits of the VCL's refuse_bodies by the paths they apply to: the announced
    length it refuses past, and what std.cache_req_body buffers at most."""
    text = VCL.read_text()
    routine = text[text.index("sub refuse_bodies") :]
    routine = routine[: routine.index("\n}\n")]
    branches = re.findall(
        r'req\.url ~ "([^"]+)".*?Content-Length, 0\) > (\d+)\).*?cache_req_body\((\d+)(KB|MB)\)',
        routine,
        re.S,
    )
    units = {"KB": 1024, "MB": MIB}
    return {
        pattern: (int(announced), int(number) * units[unit])
        for pattern, announced, number, unit in branches
    }


def test_varnish_holds_the_same_budgets():
    budgets = vcl_budgets()
    assert len(budgets) == 2
    for prefix, budget in body_budgets():
        matching = [limits for pattern, limits in budgets.items() if re.match(pattern, prefix)]
        assert matching == [(budget, budget)], prefix
    # Every other path: no body at all.
    assert 'return (synth(413, "This address takes no request body"));' in VCL.read_text()

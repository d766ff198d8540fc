"""Editors writing through the running site while its servers restart, and what the
database holds afterwards.

Writers log in through the admin login form as a browser would, then keep creating claims
(their evidence inline) or publishing explainers through the admin, each with a statement
or title no other write uses, and record the answer each write got. The checks read the
private database directly: every write the site acknowledged must be there, whole.
"""

import dataclasses
import secrets
import time

import psycopg
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

REQUEST_TIMEOUT = 15
FAULT_MARK = "Fault write"


@dataclasses.dataclass
class Write:
    """One write sent to the site: what it was, when, and the answer it got."""

    kind: str
    name: str
    started: float
    status: int = 0
    duration: float = 0.0
    location: str = ""

    @property
    def acknowledged(self):
        # The admin answers a saved form with a redirect to a listing or an edit view; a
        # redirect to the login page says the session was not read, not that it saved.
        return self.status in (301, 302, 303) and "/login/" not in self.location

    @property
    def refused(self):
        # An error page or no answer at all: the editor knows the write did not go through.
        return self.status == 0 or self.status >= 500


class AdminSession:
    """A logged-in admin user, as a browser behind the HTTPS proxy production expects."""

    def __init__(self, site, username, password):
        self.site = site
        self.http = requests.Session()
        # Production marks cookies Secure and checks the Origin of every POST: say the
        # request came through the TLS proxy, and keep the cookies on this plain-HTTP hop.
        origin = "https://" + site.url.removeprefix("http://")
        self.http.headers.update({"X-Forwarded-Proto": "https", "Origin": origin})
        self.log_in(username, password)

    def log_in(self, username, password):
        login = reverse("wagtailadmin_login")
        self.get(login)
        response = self.post(login, {"username": username, "password": password, "next": "/admin/"})
        if response.status_code != 302 or "/login/" in response.headers.get("Location", ""):
            raise RuntimeError(f"{username} could not log in: {response.status_code}")

    def get(self, path):
        response = self.http.get(self.site.url + path, timeout=REQUEST_TIMEOUT)
        self.keep_cookies()
        return response

    def post(self, path, data):
        data = {**data, "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")}
        response = self.http.post(
            self.site.url + path, data=data, timeout=REQUEST_TIMEOUT, allow_redirects=False
        )
        self.keep_cookies()
        return response

    def keep_cookies(self):
        for cookie in self.http.cookies:
            cookie.secure = False

    def send(self, write, path, data):
        """POST a write and record its answer on it; status 0 when none came."""
        started = time.monotonic()
        try:
            response = self.post(path, data)
            write.status = response.status_code
            write.location = response.headers.get("Location", "")
        except requests.RequestException:
            write.status = 0
        write.duration = time.monotonic() - started


def encoded(password):
    """The password as production stores it (the tests' own settings hash with MD5)."""
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt())


class Desk:
    """Two admin users and what their writes need: two anchored quotes from different
    sources, a verified claim to cite and the section explainers are published in."""

    def __init__(self, site):
        self.site = site
        password = secrets.token_urlsafe(16)
        with self.connect() as db:
            for username, group in (("fault-editor", "Editors"), ("fault-verifier", "Verifiers")):
                db.execute(CREATE_USER, (encoded(password), username, group))
            self.quotes = db.execute(TWO_QUOTES).fetchall()
            self.claim_id = db.execute(VERIFIED_CLAIM).fetchone()[0]
            self.section_id = db.execute(EXPLAINERS_SECTION).fetchone()[0]
        assert len(self.quotes) == 2, "the demo has no two anchored quotes to cite"
        self.editor = AdminSession(site, "fault-editor", password)
        self.verifier = AdminSession(site, "fault-verifier", password)

    def connect(self):
        port = self.site.postgres.port
        return psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres")

    def claim_form(self, statement, publish):
        data = {
            "statement": statement,
            "tags": "fault-test",
            "evidence-TOTAL_FORMS": str(len(self.quotes)),
            "evidence-INITIAL_FORMS": "0",
            "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "1000",
        }
        for index, (source_id, quote) in enumerate(self.quotes):
            data[f"evidence-{index}-source"] = str(source_id)
            data[f"evidence-{index}-quote"] = quote
            data[f"evidence-{index}-stance"] = "supports" if index == 0 else "context"
            data[f"evidence-{index}-ORDER"] = str(index + 1)
        if publish:
            data["action-publish"] = "action-publish"
        return data

    def explainer_form(self, title, slug):
        block = {"claim": str(self.claim_id), "framing": rich_text(""), "show_as_unverified": ""}
        return nested_form_data(
            {
                "title": title,
                "slug": slug,
                "standfirst": f"What {title} shows about writes during a restart.",
                "tags": "fault-test",
                "body": streamfield([("claim", block)]),
                "related_choices": inline_formset([]),
                "comments": inline_formset([]),
                "action-publish": "action-publish",
            }
        )

    def writers(self, label):
        """The writer loops for one fault, as `load_while` runs them."""
        return [
            lambda begun, stop, writes: self.write_claims(label, begun, stop, writes),
            lambda begun, stop, writes: self.publish_explainers(label, begun, stop, writes),
        ]

    def write_claims(self, label, begun, stop, writes):
        """Create claims as the editor until told to stop, publishing every other one."""
        path = reverse("wagtailsnippets_newsroom_claim:add")
        number = 0
        while not stop.is_set():
            number += 1
            statement = f"{FAULT_MARK} {label} claim {number}: the desk keeps what it acknowledged."
            write = Write("claim", statement, time.monotonic() - begun)
            writes.append(write)
            self.editor.send(write, path, self.claim_form(statement, publish=number % 2))

    def publish_explainers(self, label, begun, stop, writes):
        """Publish new explainers as the verifier until told to stop."""
        args = ["explainers", "explainerpage", self.section_id]
        path = reverse("wagtailadmin_pages:add", args=args)
        number = 0
        while not stop.is_set():
            number += 1
            title = f"{FAULT_MARK} {label} explainer {number}"
            write = Write("explainer", title, time.monotonic() - begun)
            writes.append(write)
            slug = f"fault-write-{label}-explainer-{number}"
            self.verifier.send(write, path, self.explainer_form(title, slug))

    def stored_claims(self, label):
        """{statement: [claim rows]} for this fault's claims, as the database holds them."""
        with self.connect() as db:
            rows = db.execute(STORED_CLAIMS, (f"{FAULT_MARK} {label} claim %",)).fetchall()
        stored = {}
        for statement, *row in rows:
            stored.setdefault(statement, []).append(StoredClaim(*row))
        return stored

    def stored_explainers(self, label):
        """{title: [page rows]} for this fault's explainers, as the database holds them."""
        with self.connect() as db:
            rows = db.execute(STORED_EXPLAINERS, (f"{FAULT_MARK} {label} explainer %",)).fetchall()
        stored = {}
        for title, *row in rows:
            stored.setdefault(title, []).append(StoredExplainer(*row))
        return stored

    def row_counts(self):
        with self.connect() as db:
            return {
                table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in COUNTED
            }


StoredClaim = dataclasses.make_dataclass(
    "StoredClaim", ["live", "author", "anchored_quotes", "quotes", "revisions"]
)
StoredExplainer = dataclasses.make_dataclass(
    "StoredExplainer", ["live", "specific", "revisions", "stale", "queued", "computed", "stories"]
)
COUNTED = ("wagtailcore_page", "newsroom_claim", "newsroom_evidence", "newsroom_source")

CREATE_USER = """
    WITH added AS (
        INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                               is_staff, is_active, date_joined)
        VALUES (%s, false, %s, '', '', '', true, true, now()) RETURNING id)
    INSERT INTO auth_user_groups (user_id, group_id)
    SELECT added.id, auth_group.id FROM added, auth_group WHERE auth_group.name = %s
"""
TWO_QUOTES = """
    SELECT DISTINCT ON (e.source_id) e.source_id, e.quote FROM newsroom_evidence e
    JOIN newsroom_claim c ON c.id = e.claim_id
    WHERE c.live AND e.anchor_status = 'anchored'
    ORDER BY e.source_id, e.id LIMIT 2
"""
VERIFIED_CLAIM = "SELECT id FROM newsroom_claim WHERE live AND status = 'verified' LIMIT 1"
EXPLAINERS_SECTION = "SELECT page_ptr_id FROM explainers_explainerindexpage LIMIT 1"
STORED_CLAIMS = """
    SELECT c.statement, c.live, u.username,
        (SELECT count(*) FROM newsroom_evidence e
         WHERE e.claim_id = c.id AND e.anchor_status = 'anchored'),
        (SELECT array_agg(e.quote ORDER BY e.sort_order) FROM newsroom_evidence e
         WHERE e.claim_id = c.id),
        (SELECT count(*) FROM wagtailcore_revision r
         WHERE r.object_id = c.id::text AND r.base_content_type_id = (
             SELECT id FROM django_content_type WHERE app_label = 'newsroom' AND model = 'claim'))
    FROM newsroom_claim c LEFT JOIN auth_user u ON u.id = c.created_by_id
    WHERE c.statement LIKE %s
"""
STORED_EXPLAINERS = """
    SELECT p.title, p.live, e.page_ptr_id IS NOT NULL,
        (SELECT count(*) FROM wagtailcore_revision r
         WHERE r.object_id = p.id::text AND r.base_content_type_id = (
             SELECT id FROM django_content_type
             WHERE app_label = 'wagtailcore' AND model = 'page')),
        s.stale, s.queued_at IS NOT NULL, s.computed_at IS NOT NULL,
        (SELECT count(*) FROM explainers_relatedstory r WHERE r.page_id = p.id)
    FROM wagtailcore_page p
    LEFT JOIN explainers_explainerpage e ON e.page_ptr_id = p.id
    LEFT JOIN explainers_relatedstate s ON s.page_id = p.id
    WHERE p.title LIKE %s
"""

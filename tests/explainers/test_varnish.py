"""The production edge for real: Debian's varnishd, with deploy/varnish/default.vcl, in front
of gunicorn (two workers, the origin page cache in Redis), on PostgreSQL.

- Freshness: a scripted run of more than 50 changes, made through the admin (logged in over
  HTTP, through Varnish) and through the write paths and commands in this process; after
  each, every reader URL it affects, read through Varnish, is already fresh (within 1 s;
  no stale read in the whole run), and read again is a Varnish hit.
- Grace: with gunicorn stopped, readers are still served what Varnish kept.
- Privacy: nothing an admin or logged-in user is answered is kept or served to anyone else.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from explainers.models import ExplainerPage
from explainers.related.regeneration import regenerate_related
from newsroom.desk.actions.sources import save_source
from newsroom.desk.models import Claim, Outlet, Source
from tests.celery_worker import database_url
from tests.explainers.test_publish_guard import edit_form_data
from tests.factories import (
    UserFactory,
    cited_claim_block,
    claim_with_evidence,
    explainer_index,
    explainer_page,
    verified,
)
from tests.faults.writers import AdminSession
from tests.newsroom.test_sqlite_concurrent_saves import free_port
from tests.processes import stop_process

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VCL = settings.BASE_DIR / "deploy" / "varnish" / "default.vcl"
PASSWORD = "correct-horse-battery"
FRESH_WITHIN = 1.0
TAG = "diplomacy"


def redis_url():
    # A Redis database per xdist worker (2 to 9; the Celery tests use 10 and up).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"redis://127.0.0.1:6379/{2 + int(worker.removeprefix('gw') or 0)}"


def wait_for(url, deadline=60):
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered at {url}")


@dataclass
class Edge:
    """Varnish at `url` in front of gunicorn at `origin`."""

    url: str
    origin: str
    gunicorn: subprocess.Popen
    varnish: subprocess.Popen

    def get(self, path, session=None):
        return (session or requests).get(self.url + path, timeout=10, allow_redirects=False)


def start_gunicorn(port, env):
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_varnish(folder, port, backend_port):
    """varnishd in the foreground, its working directory and VCL in `folder` (which its
    unprivileged child must be able to read: pytest's own tmp_path is private to root)."""
    vcl = folder / "default.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000"', f'.port = "{backend_port}"'))
    vcl.chmod(0o644)
    return subprocess.Popen(
        [
            "varnishd",
            "-F",
            "-n",
            str(folder / "varnish"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-s",
            "malloc,64m",
            "-T",
            "127.0.0.1:0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def start_edge():
    """Start gunicorn and Varnish in front of it; this process purges them as the site does."""
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn needs a database another process can open (PostgreSQL)")
    if not shutil.which("varnishd"):
        pytest.skip("varnishd is not installed (scripts/test installs Debian's)")
    redis.Redis.from_url(redis_url()).flushdb()
    folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    folder.chmod(0o755)
    started, overrides = [], []

    def start(shared_seconds=3600):
        app_port, edge_port = free_port(), free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            "DATABASE_URL": database_url(),
            "CACHE_URL": redis_url(),
            "VARNISH_URL": f"http://127.0.0.1:{edge_port}",
            "PAGE_CACHE_SHARED_SECONDS": str(shared_seconds),
        }
        # This process purges the same Varnish, as the site's own processes do.
        purging = override_settings(
            WAGTAILFRONTENDCACHE={
                "varnish": {
                    "BACKEND": "explainers.page_cache.edge.VarnishXkeyBackend",
                    "LOCATION": env["VARNISH_URL"],
                }
            }
        )
        purging.enable()
        overrides.append(purging)
        gunicorn = start_gunicorn(app_port, env)
        varnish = start_varnish(folder, edge_port, app_port)
        edge = Edge(
            f"http://127.0.0.1:{edge_port}", f"http://127.0.0.1:{app_port}", gunicorn, varnish
        )
        started.append(edge)
        wait_for(edge.origin + "/robots.txt")
        wait_for(edge.url + "/robots.txt")
        return edge

    # Every cache in one Redis, shared with gunicorn's workers (CACHE_URL), as in production:
    # the page store, and the default cache that holds the API's change probe.
    caches = {
        alias: {
            **config,
            "BACKEND": "newsroom.cache.ForgivingRedisCache",
            "LOCATION": redis_url(),
            "OPTIONS": {},
        }
        for alias, config in settings.CACHES.items()
    }
    with override_settings(CACHES=caches):
        try:
            yield start
        finally:
            for edge in started:
                stop_process(edge.varnish)
                stop_process(edge.gunicorn)
            # Before CACHES' own override ends: each restores what was there when it began.
            for override in reversed(overrides):
                override.disable()
            shutil.rmtree(folder, ignore_errors=True)


class Session(AdminSession):
    """A logged-in admin user talking plain HTTP through Varnish."""

    def __init__(self, url, username):
        self.site = type("Site", (), {"url": url})
        self.http = requests.Session()
        self.log_in(username, PASSWORD)


@pytest.fixture
def newsroom():
    editor = UserFactory(username="editor", groups=["Editors"])
    verifier = UserFactory(username="verifier", groups=["Verifiers"])
    for user in (editor, verifier):
        user.set_password(PASSWORD)
        user.save()
    claims = [
        verified(claim_with_evidence(editor, ("supports",) * 3, statement=f"Fact {n}."), verifier)
        for n in range(2)
    ]
    pages = [
        explainer_page(
            title=f"Story {n}", body=[cited_claim_block(claims[n])], slug=f"story-{n}", tags=[TAG]
        )
        for n in range(2)
    ]
    regenerate_related([page.pk for page in pages])
    return editor, verifier, claims, pages


# Freshness.


class Reader:
    """Reads through Varnish and counts reads that were not yet fresh."""

    def __init__(self, edge):
        self.edge = edge
        self.stale_reads = 0
        self.checks = 0
        self.hits = 0

    def sees(self, path, fresh):
        """`fresh(response)` holds for the first read after the change, and for a read
        within FRESH_WITHIN; the read after that is Varnish's kept copy."""
        self.checks += 1
        started = time.monotonic()
        response = self.edge.get(path)
        if not fresh(response):
            self.stale_reads += 1
            while not fresh(response):
                assert time.monotonic() - started < FRESH_WITHIN, f"{path} stale after 1 s"
                time.sleep(0.05)
                response = self.edge.get(path)
        if response.status_code == 200:
            again = self.edge.get(path)
            assert fresh(again), path
            self.hits += again.headers.get("X-Cache") == "hit"


def shows(text):
    return lambda response: response.status_code == 200 and text in response.text


def gone(text):
    return lambda response: text not in response.text


def lists_no_claim(claim_id):
    return lambda response: claim_id not in [item["id"] for item in response.json()["results"]]


def not_found(response):
    return response.status_code == 404


def test_readers_through_varnish_are_never_served_a_stale_page(start_edge, newsroom):
    edge = start_edge()
    editor, verifier, claims, pages = newsroom
    admin = Session(edge.url, "verifier")
    desk_editor = Session(edge.url, "editor")
    reader = Reader(edge)
    index, tag = explainer_index(), None
    tag = index.url + index.reverse_subpage("tag", kwargs={"tag": TAG})
    listings = [index.url, tag, "/feeds/explainers.rss", "/"]
    for path in [*(page.url for page in pages), *listings, "/sitemap.xml", "/api/claims/"]:
        reader.sees(path, lambda response: response.status_code == 200)

    def title_everywhere(page, title):
        for path in (page.url, *listings):
            reader.sees(path, shows(title))

    changes = 0
    for round_ in range(6):
        page = ExplainerPage.objects.get(pk=pages[round_ % 2].pk)
        claim = claims[round_ % 2]

        # 1. Published in code (a revision published by a command or a task).
        page.title = f"Round {round_} in code"
        page.save_revision().publish()
        title_everywhere(page, page.title)
        changes += 1

        # 2. Published through the admin's edit form, over HTTP through Varnish.
        page = ExplainerPage.objects.get(pk=page.pk)
        page.title = f"Round {round_} by the admin"
        data = {**edit_form_data(page, [claim]), "tags": TAG}
        response = admin.post(f"/admin/pages/{page.pk}/edit/", data)
        assert response.status_code == 302, response.text[:500]
        title_everywhere(page, page.title)
        changes += 1

        # 3, 4. A claim decision and back: the citing page and its listings.
        verified(Claim.objects.get(pk=claim.pk), verifier, Claim.Status.UNVERIFIED, "Recheck.")
        reader.sees(page.url, shows("claim--unverified"))
        reader.sees("/api/claims/", lists_no_claim(claim.pk))
        verified(Claim.objects.get(pk=claim.pk), verifier, Claim.Status.VERIFIED, "Rechecked.")
        reader.sees(page.url, gone("claim--unverified"))
        changes += 2

        # 5. A source re-imported.
        source = Source.objects.get(pk=claim.evidence.order_by("pk").first().source_id)
        source.title = f"Source title {round_}"
        save_source(source)
        reader.sees(page.url, shows(source.title))
        changes += 1

        # 6. An outlet renamed in the admin, by the editor.
        outlet = Outlet.objects.get(pk=source.outlet_id)
        name = f"Outlet {outlet.pk} renamed in round {round_}"
        response = desk_editor.post(
            reverse("wagtailsnippets_newsroom_outlet:edit", args=[outlet.pk]),
            {
                "name": name,
                "homepage": outlet.homepage,
                "domain": outlet.domain,
                "country": outlet.country,
                "aliases": outlet.aliases,
                "notes": outlet.notes,
            },
        )
        assert response.status_code == 302
        reader.sees(page.url, shows(name))
        changes += 1

        # 7, 8. Unpublished through the admin, then published again by the scheduler.
        response = admin.post(f"/admin/pages/{page.pk}/unpublish/", {})
        assert response.status_code == 302
        reader.sees(page.url, not_found)
        for path in listings[:3]:
            reader.sees(path, gone(page.title))
        revision = ExplainerPage.objects.get(pk=page.pk).get_latest_revision()
        revision.approved_go_live_at = revision.created_at
        revision.save(update_fields=["approved_go_live_at"])
        call_command("publish_scheduled", stdout=StringIO())
        title_everywhere(page, page.title)
        changes += 2

        # 9. The related-stories widget regenerated (as the Celery task does).
        other = pages[(round_ + 1) % 2]
        other_title = ExplainerPage.objects.get(pk=other.pk).title
        regenerate_related([page.pk])
        reader.sees(page.url, shows(other_title))
        changes += 1

    assert changes >= 50
    assert reader.stale_reads == 0
    assert reader.hits >= reader.checks // 2, "Varnish kept too little"


# Grace.


def test_readers_are_served_while_gunicorn_is_stopped(start_edge, newsroom):
    edge = start_edge(shared_seconds=1)
    page = newsroom[3][0]
    first = edge.get(page.url)
    assert first.status_code == 200
    stop_process(edge.gunicorn)
    time.sleep(4)  # past the copy's s-maxage, and the probe has seen gunicorn gone
    for _ in range(3):
        response = edge.get(page.url)
        assert response.status_code == 200
        assert response.text == first.text
    assert edge.get("/never-fetched/").status_code == 503


# Privacy.


def test_nothing_from_a_logged_in_session_is_kept_or_shared(start_edge, newsroom):
    edge = start_edge()
    page = newsroom[3][0]
    anonymous = edge.get(page.url)
    admin = Session(edge.url, "editor")
    for path in ("/admin/", f"/admin/pages/{page.pk}/edit/", page.url):
        for _ in range(2):
            response = edge.get(path, admin.http)
            assert response.status_code == 200, path
            assert response.headers["X-Cache"] == "miss", path
            assert "no-store" in response.headers["Cache-Control"], path
            assert "private" in response.headers["Cache-Control"], path
    # Anonymous readers of the same URLs get nothing of the editor's: the admin sends them
    # to log in, the page is the copy kept before the editor came.
    assert edge.get("/admin/").status_code == 302
    assert edge.get(f"/admin/pages/{page.pk}/edit/").status_code == 302
    again = edge.get(page.url)
    assert again.headers["X-Cache"] == "hit"
    assert again.text == anonymous.text
    # A response that sets a cookie (the login form's CSRF cookie) is never kept.
    first, second = edge.get("/admin/login/"), edge.get("/admin/login/")
    assert second.headers["X-Cache"] == "miss"
    assert csrf_cookie(first) != csrf_cookie(second)


def csrf_cookie(response):
    return re.search("csrftoken=([^;]+)", response.headers["Set-Cookie"]).group(1)


def test_purges_are_refused_from_addresses_not_on_the_list(start_edge, newsroom):
    edge = start_edge()
    page = newsroom[3][0]
    edge.get(page.url)
    assert edge.get(page.url).headers["X-Cache"] == "hit"
    host, port = edge.url.removeprefix("http://").split(":")
    for purge in (f"PURGE {page.url} HTTP/1.1", "PURGE / HTTP/1.1"):
        # From 127.0.0.2: a loopback address that is not the application's.
        with socket.create_connection((host, int(port)), source_address=("127.0.0.2", 0)) as raw:
            raw.sendall(f"{purge}\r\nHost: x\r\nxkey-purge: page-{page.pk}\r\n\r\n".encode())
            assert raw.recv(100).startswith(b"HTTP/1.1 405")
    assert edge.get(page.url).headers["X-Cache"] == "hit"
    # From the application's address, the same purge works.
    purged = requests.request(
        "PURGE", edge.url + "/", headers={"xkey-purge": f"page-{page.pk}"}, timeout=5
    )
    assert purged.status_code == 200
    assert edge.get(page.url).headers["X-Cache"] == "miss"

"""Saves at the same moment on SQLite, through two real server processes sharing one
database file: both editors' claims are kept, and of two verifiers deciding one claim, the
second is told someone else has just decided. Neither ever gets a 500, and readers are not
held up by a save in progress."""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import pytest
import requests
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from newsroom.desk.models import Claim
from tests.factories import UserFactory, claim_with_evidence
from tests.faults.writers import AdminSession
from tests.processes import stop_process

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct-horse-battery"
ROUNDS = 4


class Session(AdminSession):
    """A logged-in admin user talking plain HTTP to a server run with the test settings."""

    def __init__(self, url, username):
        self.site = SimpleNamespace(url=url)
        self.http = requests.Session()
        self.log_in(username, PASSWORD)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_path):
    """One gunicorn process with one worker on the database file, and its URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_URL": f"sqlite:///{database_path}",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--preload",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until_answering(url):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/robots.txt", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not start")


@pytest.fixture
def desk(tmp_path):
    """The test database copied to a file, and two servers on it, one per process."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own locking is what is tested")
    for name in ("anna", "boris"):
        UserFactory(username=name, groups=["Editors"])
    for name in ("vera", "victor"):
        UserFactory(username=name, groups=["Verifiers"])
    claim = claim_with_evidence(
        UserFactory(username="author", groups=["Editors"]), ("supports", "supports")
    )
    path = tmp_path / "newsroom.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    servers = [start_server(path), start_server(path)]
    try:
        for _, url in servers:
            wait_until_answering(url)
        yield SimpleNamespace(path=path, urls=[url for _, url in servers], claim=claim)
    finally:
        for process, _ in servers:
            stop_process(process)


def at_once(*actions):
    """Run the actions in threads released together; their results in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        results[index] = action()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def claim_form(statement, claim):
    """A new claim citing the same quotes as `claim`, published as the editor saves it."""
    rows = [
        {"source": str(evidence.source_id), "quote": evidence.quote, "stance": evidence.stance}
        for evidence in claim.evidence.all()
    ]
    return nested_form_data(
        {
            "statement": statement,
            "tags": "",
            "evidence": inline_formset(rows),
            "action-publish": "action-publish",
        }
    )


def stored(path, sql, *params):
    with sqlite3.connect(path) as database:
        rows = database.execute(sql, params).fetchall()
    database.close()
    return rows


def test_two_editors_saving_claims_at_once_both_keep_their_claims(desk):
    anna, boris = Session(desk.urls[0], "anna"), Session(desk.urls[1], "boris")
    add = reverse("wagtailsnippets_newsroom_claim:add")
    statements = []
    for number in range(ROUNDS):
        pair = [f"Anna's claim {number} on the talks", f"Boris's claim {number} on the talks"]
        statements += pair
        answers = at_once(
            lambda pair=pair: anna.post(add, claim_form(pair[0], desk.claim)),
            lambda pair=pair: boris.post(add, claim_form(pair[1], desk.claim)),
        )
        for answer in answers:
            assert answer.status_code == 302, answer.text[:500]
            assert "/login/" not in answer.headers["Location"]
    for statement in statements:
        rows = stored(
            desk.path,
            "SELECT claim.id, COUNT(evidence.id) FROM newsroom_claim claim "
            "JOIN newsroom_evidence evidence ON evidence.claim_id = claim.id "
            "WHERE claim.statement = ? GROUP BY claim.id",
            statement,
        )
        assert [count for _, count in rows] == [2], statement


def seen_version(session, url):
    form = BeautifulSoup(session.get(url).text, "html.parser")
    return form.find("input", {"name": "seen_version"})["value"]


def test_two_verifiers_deciding_at_once_one_decides_and_the_other_is_told(desk):
    vera, victor = Session(desk.urls[0], "vera"), Session(desk.urls[1], "victor")
    url = reverse("wagtailsnippets_newsroom_claim:verify", args=[desk.claim.pk])
    versions = [seen_version(vera, url), seen_version(victor, url)]
    answers = at_once(
        lambda: vera.post(url, {"status": "verified", "note": "", "seen_version": versions[0]}),
        lambda: victor.post(url, {"status": "verified", "note": "", "seen_version": versions[1]}),
    )
    assert sorted(answer.status_code for answer in answers) == [200, 302]
    [told] = [answer for answer in answers if answer.status_code == 200]
    assert "Someone else has just decided on this claim" in told.text
    decisions = stored(
        desk.path, "SELECT status FROM newsroom_verification WHERE claim_id = ?", desk.claim.pk
    )
    assert decisions == [(Claim.Status.VERIFIED,)]


def test_a_save_waits_for_one_in_progress_and_readers_do_not(desk):
    anna = Session(desk.urls[0], "anna")
    listing = reverse("wagtailsnippets_newsroom_claim:list")
    add = reverse("wagtailsnippets_newsroom_claim:add")
    [(journal_mode,)] = stored(desk.path, "PRAGMA journal_mode")
    assert journal_mode == "wal"
    answers = []
    save = threading.Thread(
        target=lambda: answers.append(anna.post(add, claim_form("Saved after", desk.claim)))
    )
    other_save = sqlite3.connect(desk.path, isolation_level=None)
    other_save.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert anna.get(listing).status_code == 200
        assert time.monotonic() - started < 5
        save.start()
        time.sleep(1.5)
        assert answers == []
    finally:
        other_save.execute("ROLLBACK")
        other_save.close()
    save.join(timeout=30)
    assert answers[0].status_code == 302
    count = "SELECT COUNT(*) FROM newsroom_claim WHERE statement = 'Saved after'"
    assert stored(desk.path, count) == [(1,)]

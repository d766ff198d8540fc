"""A hostile page that stalls or kills the worker importing it is fetched once, never again
(issue #25, A), with a real Celery worker on Redis, as in production (prefork: each task in
a child the main process supervises). The loopback server below drips its page a byte at a
time, holding the import, and counts the requests it gets. PostgreSQL only."""

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from newsroom.desk.importing.runs import start_import
from newsroom.desk.importing.stops import STARTED_BEFORE, STOPPED
from newsroom.desk.models import ImportRun
from newsroom.desk.tasks import import_sources
from tests.celery_worker import CeleryWorker, allocate, broker_url, sending_to

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.celery_worker,
]


class DripServer:
    """Answers every request with a page it never finishes sending: a byte every 0.2 s."""

    def __init__(self):
        self.requests = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/news/endless"
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.requests += 1
            threading.Thread(target=self.drip, args=(connection,), daemon=True).start()

    def drip(self, connection):
        try:
            connection.recv(65536)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n"
            )
            while True:
                connection.sendall(b"<")
                time.sleep(0.2)
        except OSError:
            connection.close()

    def close(self):
        self.listener.close()


class PreforkWorker(CeleryWorker):
    pool = "prefork"

    def wait_until_ready(self, timeout=120):
        super().wait_until_ready(timeout)

    def child_pids(self):
        return [
            int(path.name)
            for path in Path("/proc").iterdir()
            if path.name.isdigit() and _parent_of(path) == self.process.pid
        ]


def _parent_of(proc):
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


@pytest.fixture
def drip():
    server = DripServer()
    yield server
    server.close()


@pytest.fixture
def workers(transactional_db, monkeypatch, settings, tmp_path):
    """Start prefork workers on Redis with these budgets; stop them all after."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database another process can open (PostgreSQL)")
    settings.NEWSROOM_IMPORT_UPLOAD_DIR = tmp_path
    monkeypatch.setenv("NEWSROOM_IMPORT_UPLOAD_DIR", str(tmp_path))
    monkeypatch.setenv("NEWSROOM_FETCH_ALLOWED_NETWORKS", "127.0.0.0/8")
    started = []

    def start(soft=60, hard=90, fetch_timeout=30, fetch_deadline=60, memory_mb=2048):
        monkeypatch.setenv("NEWSROOM_IMPORT_TASK_SOFT_SECONDS", str(soft))
        monkeypatch.setenv("NEWSROOM_IMPORT_TASK_HARD_SECONDS", str(hard))
        monkeypatch.setenv("NEWSROOM_FETCH_TIMEOUT", str(fetch_timeout))
        monkeypatch.setenv("NEWSROOM_FETCH_DEADLINE", str(fetch_deadline))
        monkeypatch.setenv("NEWSROOM_WORKER_MEMORY_MB", str(memory_mb))
        worker = PreforkWorker()
        worker.log = worker.log.with_name(f"{worker.log.stem}-stops-{len(started)}.log")
        started.append(worker)
        return worker.start()

    with sending_to(broker_url()):
        yield start
    for worker in started:
        worker.stop()


def wait_for(condition, worker, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"not within {timeout}s; log:\n{worker.log.read_text(errors='replace')[-3000:]}")


def status_of(run):
    run.refresh_from_db()
    return run.status


def test_a_worker_child_killed_mid_import_fails_the_run_and_never_fetches_again(
    workers, drip, editor
):
    worker = workers()
    run = start_import(editor, [], [drip.url])
    import_sources.delay(run.pk)
    wait_for(lambda: drip.requests == 1 and status_of(run) == ImportRun.Status.RUNNING, worker)

    [child] = worker.child_pids()
    os.kill(child, signal.SIGKILL)  # as the kernel kills a child over the machine's memory

    wait_for(lambda: status_of(run) == ImportRun.Status.FAILED, worker)
    assert run.failure_reason.startswith(f"{STOPPED}: killed (")
    assert "SIGKILL" in run.failure_reason
    assert run.items.get().message == run.failure_reason
    # The main process started a new child, and another worker starts: neither fetches it.
    worker.stop()
    fresh = workers()
    import_sources.delay(run.pk)  # and were it delivered again, it would not run
    wait_for(lambda: "newsroom.import_sources" in fresh.log.read_text(errors="replace"), fresh)
    time.sleep(2)
    assert drip.requests == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED


def test_a_whole_worker_killed_mid_import_leaves_a_run_no_delivery_restarts(workers, drip, editor):
    worker = workers()
    run = start_import(editor, [], [drip.url])
    import_sources.delay(run.pk)
    wait_for(lambda: drip.requests == 1 and status_of(run) == ImportRun.Status.RUNNING, worker)

    for pid in worker.child_pids():
        os.kill(pid, signal.SIGKILL)
    worker.kill(signal.SIGKILL)  # main process and child: nobody is left to say so
    assert status_of(run) == ImportRun.Status.RUNNING

    fresh = workers()
    import_sources.delay(run.pk)  # a second delivery of the started run
    wait_for(lambda: status_of(run) == ImportRun.Status.FAILED, fresh)
    assert run.failure_reason == STARTED_BEFORE
    assert drip.requests == 1


def send_with_limits(run, soft, hard):
    """Send the run's task as a sender whose settings hold these limits would: a task's
    limits travel in its message, from the sender's task options."""
    import_sources.apply_async((run.pk,), soft_time_limit=soft, time_limit=hard)


def test_a_run_over_its_soft_time_limit_fails_with_the_reason(workers, drip, editor):
    # The fetch gives up at its 6 s deadline; the soft limit (2 s) comes first, and the
    # task stops as soon as the fetch lets go, well within its hard limit.
    worker = workers(soft=2, hard=30, fetch_timeout=3, fetch_deadline=6)
    run = start_import(editor, [], [drip.url])
    started = time.monotonic()
    send_with_limits(run, soft=2, hard=30)

    wait_for(lambda: status_of(run) == ImportRun.Status.FAILED, worker, timeout=40)
    assert time.monotonic() - started < 30
    assert run.failure_reason == f"{STOPPED}: over its 2 s time limit"
    assert "Soft time limit (2s) exceeded" in worker.log.read_text(errors="replace")
    assert drip.requests == 1


def test_a_run_over_its_hard_time_limit_is_killed_and_fails_with_the_reason(workers, drip, editor):
    # The soft limit's exception cannot stop a fetch in progress (its thread waits for the
    # fetch); the hard limit kills the child, and the main process fails the run.
    worker = workers(soft=2, hard=4, fetch_timeout=30)
    run = start_import(editor, [], [drip.url])
    send_with_limits(run, soft=2, hard=4)

    wait_for(lambda: status_of(run) == ImportRun.Status.FAILED, worker, timeout=40)
    assert run.failure_reason == f"{STOPPED}: over its 4 s time limit, so it was killed"
    assert drip.requests == 1


def test_a_worker_child_cannot_grow_past_its_memory_ceiling(workers):
    """Within NEWSROOM_WORKER_MEMORY_MB a task gets its memory; past it, a MemoryError in the
    task (an import run then fails "out of memory"), and the child goes on to the next."""
    worker = workers(memory_mb=1536)
    log = worker.log
    for megabytes in (256, 2048, 64):
        allocate.delay(megabytes)
    wait_for(lambda: "allocation of 64 MB" in log.read_text(errors="replace"), worker)
    text = log.read_text(errors="replace")
    assert "allocation of 256 MB given" in text
    assert "allocation of 2048 MB refused: MemoryError" in text
    assert "allocation of 64 MB given" in text
    assert len(worker.child_pids()) == 1

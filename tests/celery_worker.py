"""A real Celery worker process on the machine's Redis, for tests that must not use eager mode.

The worker runs the project's tasks against the test database (PostgreSQL only: an
in-memory SQLite database cannot be shared with another process). It also imports this
module, so a test can hold each related-stories regeneration for a while before it runs (to
kill the worker mid-task, say) without the production task knowing anything of tests.
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import redis
from celery import shared_task
from celery.signals import task_prerun
from celery.utils.log import get_task_logger
from django.db import connection

from tests.processes import stop_process

BASE_DIR = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
# Seconds the worker waits before each regeneration task; set only in a worker's environment.
REGENERATION_PAUSE = "TEST_REGENERATION_PAUSE"

logger = get_task_logger(__name__)


@task_prerun.connect
def pause_regeneration(sender=None, args=None, **kwargs):
    """Hold a regeneration task after the worker took it and before it runs: acks_late, so
    the message is not yet acknowledged, as in the middle of the task."""
    pause = float(os.environ.get(REGENERATION_PAUSE) or 0)
    if pause and sender.name == "explainers.regenerate_related":
        logger.info("regenerate_related pausing %ss before %s", pause, args)
        time.sleep(pause)


@shared_task(name="tests.allocate")
def allocate(megabytes):
    """Ask for `megabytes` of memory in the worker child, and log whether it was given."""
    try:
        block = bytearray(megabytes * 1024 * 1024)
    except MemoryError:
        logger.info("allocation of %s MB refused: MemoryError", megabytes)
        return
    logger.info("allocation of %s MB given", megabytes)
    del block


def broker_url():
    # One Redis database per xdist worker, so parallel test processes don't share a queue.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = 10 + int(worker.removeprefix("gw") or 0)
    return f"{REDIS_URL}/{number}"


def database_url():
    settings = connection.settings_dict
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


def use_broker(**conf):
    """Have this process send tasks as `conf` says (broker_url, task_always_eager)."""
    from newsroom.celery import app

    app.conf.update(conf)
    # Connections are pooled per broker URL; drop them so the new URL takes effect.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def sending_to(url):
    """Within the block, this process sends tasks to the broker at `url` (not eagerly)."""
    from newsroom.celery import app

    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    use_broker(task_always_eager=False, broker_url=url)
    try:
        yield
    finally:
        use_broker(**previous)


class CeleryWorker:
    #: "solo" runs tasks in the worker's own process; "prefork" in a child it supervises
    #: (time limits and a killed child are handled by the main process, as in production).
    pool = "solo"

    def __init__(self, regeneration_pause=0):
        self.regeneration_pause = regeneration_pause
        self.process = None
        self.log = BASE_DIR / "test-artifacts" / f"celery-{os.getpid()}.log"

    def start(self):
        redis.Redis.from_url(broker_url()).flushdb()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url(),
            REGENERATION_PAUSE: str(self.regeneration_pause),
        }
        command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker"]
        command += ["--include", __name__]
        command += [f"--pool={self.pool}", "--concurrency=1"]
        command += ["--without-gossip", "--without-mingle", "--loglevel=info"]
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        self.wait_until_ready()
        return self

    def wait_until_ready(self, timeout=120):
        # Generous: a loaded machine starts a worker slowly; the wait ends once it is ready.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"Celery worker not ready in {timeout}s: {self.log.read_text()[-2000:]}")

    def kill(self, signal_number):
        self.process.send_signal(signal_number)
        self.process.wait(timeout=30)

    def stop(self):
        stop_process(self.process)

"""Private PostgreSQL and Redis servers, and the site under gunicorn, for fault tests.

Fault tests restart their servers on purpose, so they never touch the machine's own
PostgreSQL and Redis, which the rest of the suite is using at the same time.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.processes import stop_process

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port} after {timeout}s")


def postgres_bin(name):
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        raise RuntimeError("PostgreSQL's server programs are not installed")
    return str(versions[-1] / name)


def as_postgres(command):
    """PostgreSQL refuses to run as root; run its programs as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class Restartable:
    """A server the fault tests take down and bring back (it has start() and stop())."""

    def restart(self, down_for=0.0):
        """Stop the server, keep it down `down_for` seconds, start it again; return when
        it stopped and when it answered again (time.monotonic())."""
        self.stop()
        stopped = time.monotonic()
        time.sleep(down_for)
        self.start()
        return stopped, time.monotonic()


class PrivatePostgres(Restartable):
    """A throwaway cluster on its own port, trust auth, restartable at will."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        if not self.data.exists():
            subprocess.run(
                as_postgres(
                    [
                        postgres_bin("initdb"),
                        "-D",
                        str(self.data),
                        "-A",
                        "trust",
                        "-U",
                        "postgres",
                        "--no-sync",
                    ]
                ),
                check=True,
                capture_output=True,
            )
        self.ctl("start", "-w", "-o", f"-p {self.port} -k {self.folder} -c fsync=off")
        wait_for_port(self.port)
        return self

    def ctl(self, *args):
        command = [postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args]
        subprocess.run(as_postgres(command), check=True, capture_output=True, timeout=60)

    def stop(self):
        self.ctl("stop", "-m", "fast", "-w")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis(Restartable):
    """A Redis server on its own port that keeps nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


class Site:
    """The site as production runs it: gunicorn, two workers, production settings."""

    def __init__(self, database_url, redis_url):
        self.port = free_port()
        self.process = None
        self.log = BASE_DIR / "test-artifacts" / f"gunicorn-{self.port}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "DJANGO_SECRET_KEY": "fault-test-key-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "CACHE_URL": f"{redis_url}/1",
            "CELERY_BROKER_URL": f"{redis_url}/0",
        }

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args):
        command = [sys.executable, "manage.py", *args]
        return subprocess.run(
            command, cwd=BASE_DIR, env=self.env, check=True, capture_output=True, text=True
        )

    def start(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-w", "2"]
        command += ["-b", f"127.0.0.1:{self.port}", "--timeout", "20", "--graceful-timeout", "5"]
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        wait_for_port(self.port)
        self.warm_up()
        return self

    def warm_up(self, timeout=90):
        """Each worker loads Django on its first request; don't count that as load."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.get("/", timeout=timeout)[0] == 200:
                return
            time.sleep(0.5)
        raise RuntimeError(f"the site did not answer 200 in {timeout}s: see {self.log}")

    def stop(self):
        stop_process(self.process)

    def get(self, path, timeout=10):
        """(status, seconds) for one request; status 0 when no answer came."""
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError):
            status = 0
        return status, time.monotonic() - started

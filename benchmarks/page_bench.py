"""Explainer page speed: p50/p95 render time and queries for explainers citing 5, 20 and 50
claims (3 quotes each), uncached and cached; then requests per second for the demo
explainer under gunicorn (2 workers) with wrk.

    .venv/bin/python benchmarks/page_bench.py [--runs 40] [--skip-http]

Uses a throwaway database (SQLite in /tmp, or DATABASE_URL), never your own.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def setup_django(database_url):
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_explainer(claim_count, author):
    from newsroom.desk.models import Claim
    from tests.explainers.conftest import claim_block, claim_with_evidence, make_explainer

    claims = [
        claim_with_evidence(author, statement=f"Bench {claim_count} claim {n}.")
        for n in range(claim_count)
    ]
    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(status=Claim.Status.VERIFIED)
    return make_explainer(
        title=f"Bench {claim_count} claims", body=[claim_block(claim) for claim in claims]
    )


def measure(client, page, runs, cached):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    times, queries = [], []
    client.get(page.url)
    for _ in range(runs):
        if not cached:
            cache.clear()
            Site.get_site_root_paths()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(page.url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        queries.append(len(captured))
    return times, queries


def render_figures(runs):
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.factories import UserFactory

    setup_test_environment()
    author = UserFactory(username="bench-author")
    client = Client()
    print(f"Render (Django test client, {runs} runs each)")
    print(f"{'claims':>6} {'mode':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for count in (5, 20, 50):
        page = build_explainer(count, author)
        for cached in (False, True):
            times, queries = measure(client, page, runs, cached)
            mode = "cached" if cached else "uncached"
            print(
                f"{count:>6} {mode:>8} {statistics.median(times):>8.1f} "
                f"{percentile(times, 0.95):>8.1f} {max(queries):>8}"
            )


def http_figures(seconds):
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk")
        return
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    python = str(ROOT / ".venv/bin/python")
    for command in (
        ["migrate"],
        ["collectstatic", "--no-input"],
        ["import_sources"],
        ["build_demo"],
    ):
        subprocess.run(
            [python, "manage.py", *command, "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    port = "8765"
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "newsroom.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/explainers/are-france-and-russia-talking-again/"
    try:
        for _ in range(50):
            try:
                status = urllib.request.urlopen(url, timeout=2).status
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        print(f"\nDemo explainer under gunicorn (2 workers), wrk -t2 -c16 -d{seconds}s: {url}")
        print(f"first response: HTTP {status}")
        result = subprocess.run(
            ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url],
            capture_output=True,
            text=True,
            check=True,
        )
        print(result.stdout)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-render-") as tmp:
        setup_django(os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/render.sqlite3"))
        render_figures(args.runs)
    if not args.skip_http:
        http_figures(args.seconds)


if __name__ == "__main__":
    main()

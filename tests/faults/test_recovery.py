"""The site under load while its database or Redis restarts: nothing hangs, it recovers
on its own, and no data is lost.

Runs gunicorn (two workers, production settings) against private PostgreSQL and Redis
servers, so restarting them disturbs no other test.
"""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from tests.faults.services import PrivatePostgres, PrivateRedis, Site

pytestmark = pytest.mark.faults

REQUEST_TIMEOUT = 15
COUNT_ROWS = (
    "import json; from wagtail.models import Page; from newsroom.models import Claim, Evidence, "
    "Source; print(json.dumps({m.__name__: m.objects.count() "
    "for m in (Page, Claim, Evidence, Source)}))"
)


@pytest.fixture(scope="module")
def site():
    postgres, redis = PrivatePostgres().start(), PrivateRedis().start()
    site = Site(postgres.url, redis.url)
    try:
        site.manage("migrate", "--no-input")
        site.manage("collectstatic", "--no-input")
        for step in ("import_sources", "build_demo"):
            if site.has_command(step):
                site.manage(step)
        site.start()
        site.postgres, site.redis = postgres, redis
        yield site
    finally:
        site.stop()
        redis.stop()
        postgres.destroy()


def reader_paths(site):
    """The home page, the APIs, and every live page the pages API lists."""
    import urllib.request

    with urllib.request.urlopen(site.url + "/api/v2/pages/?limit=20", timeout=60) as response:
        pages = json.load(response)["items"]
    paths = {"/", "/api/claims/", "/api/v2/pages/"}
    paths |= {urlsplit(page["meta"]["html_url"]).path for page in pages}
    return sorted(paths)


def row_counts(site):
    return json.loads(site.manage("shell", "--no-imports", "-c", COUNT_ROWS).stdout)


def load_while(site, paths, disturb, seconds=12, threads=8):
    """Send requests from several threads for `seconds`, calling `disturb` a third of the
    way in; return (started_at, path, status, duration) for every request."""
    results, stop = [], threading.Event()
    begun = time.monotonic()

    def hammer(offset):
        index = offset
        while not stop.is_set():
            path = paths[index % len(paths)]
            index += 1
            started = time.monotonic() - begun
            status, duration = site.get(path, timeout=REQUEST_TIMEOUT)
            results.append((started, path, status, duration))

    with ThreadPoolExecutor(threads) as pool:
        for offset in range(threads):
            pool.submit(hammer, offset)
        time.sleep(seconds / 3)
        disturbed_at = time.monotonic() - begun
        disturb()
        recovered_at = time.monotonic() - begun
        time.sleep(seconds * 2 / 3)
        stop.set()
    return results, disturbed_at, recovered_at


def assert_recovered(site, paths, results, recovered_at):
    assert results, "no request was made"
    slowest = max(duration for *_, duration in results)
    assert slowest < REQUEST_TIMEOUT + 1, f"a request hung for {slowest:.1f}s"
    # Give connections a few seconds to be re-made, then every request must succeed.
    settled = [r for r in results if r[0] > recovered_at + 3]
    assert settled, "no request was made after the restart"
    failures = [(path, status) for _, path, status, _ in settled if status != 200]
    assert not failures, f"still failing after recovery: {failures[:5]}"
    for path in paths:
        assert site.get(path)[0] == 200, path


def test_the_site_serves_every_reader_path_before_any_fault(site):
    paths = reader_paths(site)
    assert len(paths) >= 3
    for path in paths:
        assert site.get(path)[0] == 200, path


def test_the_site_recovers_from_a_postgresql_restart_under_load(site):
    paths = reader_paths(site)
    before = row_counts(site)
    results, _, recovered_at = load_while(site, paths, site.postgres.restart)
    assert_recovered(site, paths, results, recovered_at)
    assert row_counts(site) == before


def test_the_site_recovers_from_a_redis_restart_under_load(site):
    paths = reader_paths(site)
    before = row_counts(site)
    results, _, recovered_at = load_while(site, paths, site.redis.restart)
    assert_recovered(site, paths, results, recovered_at)
    assert row_counts(site) == before

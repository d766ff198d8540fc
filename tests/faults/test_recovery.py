"""The site under load while its database or Redis goes down and comes back: nothing hangs,
it recovers on its own, and no write it acknowledged is lost.

Runs gunicorn (two workers, production settings) against private PostgreSQL and Redis
servers, so stopping them disturbs no other test. While readers load every public path,
an editor creates claims with their evidence and a verifier publishes explainers through
the admin; afterwards the database must hold every write the site acknowledged, whole,
and every other write must have had an error answer and left nothing half-saved.
"""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from tests.faults.services import PrivatePostgres, PrivateRedis, Site
from tests.faults.writers import REQUEST_TIMEOUT, Desk

pytestmark = pytest.mark.faults

# Long enough that writes meet the outage, not just the moment of the restart.
DOWN_FOR = 2.0
SWEEP_NOW = (
    "from explainers.tasks import sweep_stale_related; print(sweep_stale_related(older_than=0))"
)


@pytest.fixture(scope="module")
def site():
    postgres, redis = PrivatePostgres().start(), PrivateRedis().start()
    site = Site(postgres.url, redis.url)
    try:
        site.manage("migrate", "--no-input")
        site.manage("collectstatic", "--no-input")
        site.manage("import_sources")
        site.manage("build_demo")
        site.start()
        site.postgres, site.redis = postgres, redis
        yield site
    finally:
        site.stop()
        redis.stop()
        postgres.destroy()


@pytest.fixture(scope="module")
def desk(site):
    return Desk(site)


def reader_paths(site):
    """The home page, the APIs, and every live page the pages API lists."""
    import urllib.request

    with urllib.request.urlopen(site.url + "/api/v2/pages/?limit=20", timeout=60) as response:
        pages = json.load(response)["items"]
    paths = {"/", "/api/claims/", "/api/v2/pages/"}
    paths |= {urlsplit(page["meta"]["html_url"]).path for page in pages}
    return sorted(paths)


def load_while(site, paths, disturb, writers, seconds=12, threads=8):
    """Send requests from several threads, and run the writers, for `seconds`, calling
    `disturb` a third of the way in. Returns the reads as (started_at, path, status,
    duration), the writes, and the outage as disturb reported it, all in seconds from the
    start."""
    results, writes, stop = [], [], threading.Event()
    begun = time.monotonic()

    def hammer(offset):
        index = offset
        while not stop.is_set():
            path = paths[index % len(paths)]
            index += 1
            started = time.monotonic() - begun
            status, duration = site.get(path, timeout=REQUEST_TIMEOUT)
            results.append((started, path, status, duration))

    with ThreadPoolExecutor(threads + len(writers)) as pool:
        running = [pool.submit(hammer, offset) for offset in range(threads)]
        running += [pool.submit(write, begun, stop, writes) for write in writers]
        time.sleep(seconds / 3)
        down_from, down_until = (moment - begun for moment in disturb())
        time.sleep(seconds * 2 / 3)
        stop.set()
    for thread in running:
        thread.result()
    return results, writes, (down_from, down_until)


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


def assert_writes_answered(writes, recovered_at):
    """Each write got an answer in time: saved, or an error page; after recovery, saved."""
    for kind in ("claim", "explainer"):
        assert any(w.acknowledged for w in writes if w.kind == kind), f"no {kind} was saved"
    slowest = max(write.duration for write in writes)
    assert slowest < REQUEST_TIMEOUT + 1, f"a write hung for {slowest:.1f}s"
    unclear = [(w.name, w.status, w.location) for w in writes if not (w.acknowledged or w.refused)]
    assert not unclear, f"writes answered neither saved nor failed: {unclear[:5]}"
    settled = [w for w in writes if w.started > recovered_at + 3]
    assert settled, "no write was made after the restart"
    failing = [(w.name, w.status) for w in settled if not w.acknowledged]
    assert not failing, f"writes still failing after recovery: {failing[:5]}"


def assert_acknowledged_claims_kept(desk, label, writes):
    """Every acknowledged claim is stored once, live if published, with its author, its
    revision and both quotes anchored; a claim stored without acknowledgement must be
    just as whole (saved before its answer was lost), and none is stored twice."""
    stored = desk.stored_claims(label)
    sent = {w.name: w for w in writes if w.kind == "claim"}
    missing = [w.name for w in sent.values() if w.acknowledged and w.name not in stored]
    assert not missing, f"claims acknowledged but not in the database: {missing}"
    assert set(stored) <= set(sent), f"claims nobody sent: {set(stored) - set(sent)}"
    quotes = [quote for _, quote in desk.quotes]
    for statement, rows in stored.items():
        assert len(rows) == 1, f"stored {len(rows)} times: {statement}"
        claim = rows[0]
        whole = (claim.author, claim.anchored_quotes, claim.quotes, claim.revisions > 0)
        answer = sent[statement].status
        assert whole == ("fault-editor", 2, quotes, True), f"half-saved ({answer}): {claim}"
        number = int(statement.split(" claim ")[1].split(":")[0])
        assert claim.live == bool(number % 2), f"published or draft, wrongly: {statement}"
    return stored


def assert_acknowledged_explainers_kept(desk, label, writes):
    """Every acknowledged explainer is stored once, live, whole (its explainer row and its
    revision), with its related-stories widget marked for regeneration."""
    stored = desk.stored_explainers(label)
    sent = {w.name: w for w in writes if w.kind == "explainer"}
    missing = [w.name for w in sent.values() if w.acknowledged and w.name not in stored]
    assert not missing, f"explainers acknowledged but not in the database: {missing}"
    assert set(stored) <= set(sent), f"explainers nobody sent: {set(stored) - set(sent)}"
    for title, rows in stored.items():
        assert len(rows) == 1, f"stored {len(rows)} times: {title}"
        page = rows[0]
        answer = sent[title].status
        whole = (page.live, page.specific, page.revisions > 0)
        assert whole == (True, True, True), f"half-saved ({answer}): {title}: {page}"
        assert page.stale is not None, f"no related-stories marker ({answer}): {title}: {page}"
    return stored


def assert_rows_only_added(desk, before, claims, explainers):
    """What was there before is still there, and the only new rows are the writes'."""
    expected = {
        "wagtailcore_page": before["wagtailcore_page"] + len(explainers),
        "newsroom_claim": before["newsroom_claim"] + len(claims),
        "newsroom_evidence": before["newsroom_evidence"] + 2 * len(claims),
        "newsroom_source": before["newsroom_source"],
    }
    counts = desk.row_counts()
    assert counts == expected, f"rows lost or added besides the writes: {counts} != {expected}"


def assert_stale_widgets_swept(site, desk, label):
    """No Celery worker runs here, and Redis keeps no queue across a restart, so every new
    explainer's widget is still stale: beat's sweeper must bring each one up to date."""
    stale = [t for t, (page,) in desk.stored_explainers(label).items() if page.stale]
    assert stale, "no widget was left stale for the sweeper"
    swept = int(site.manage("shell", "--no-imports", "-c", SWEEP_NOW).stdout)
    assert swept >= len(stale)
    for title, (page,) in desk.stored_explainers(label).items():
        assert (page.stale, page.computed, page.stories > 0) == (False, True, True), title


def test_the_site_serves_every_reader_path_before_any_fault(site):
    paths = reader_paths(site)
    assert len(paths) >= 3
    for path in paths:
        assert site.get(path)[0] == 200, path


def test_no_write_is_lost_when_postgresql_goes_down_under_load(site, desk):
    paths, before = reader_paths(site), desk.row_counts()

    def restart():
        return site.postgres.restart(down_for=DOWN_FOR)

    results, writes, (_, recovered_at) = load_while(site, paths, restart, desk.writers("pg"))
    assert_recovered(site, paths, results, recovered_at)
    assert_writes_answered(writes, recovered_at)
    assert any(w.refused for w in writes), "no write met the outage"
    claims = assert_acknowledged_claims_kept(desk, "pg", writes)
    explainers = assert_acknowledged_explainers_kept(desk, "pg", writes)
    assert_rows_only_added(desk, before, claims, explainers)
    assert_stale_widgets_swept(site, desk, "pg")


def test_no_write_is_lost_or_refused_when_redis_goes_down_under_load(site, desk):
    paths, before = reader_paths(site), desk.row_counts()
    log_before = site.log.read_text()

    def restart():
        return site.redis.restart(down_for=DOWN_FOR)

    results, writes, outage = load_while(site, paths, restart, desk.writers("redis"))
    assert_recovered(site, paths, results, outage[1])
    assert_writes_answered(writes, outage[1])
    # Writes need only the database: the cache and the broker being down refuses none.
    refused = [(w.name, w.status) for w in writes if not w.acknowledged]
    assert not refused, f"writes refused while only Redis was down: {refused}"
    during = [w for w in writes if w.kind == "explainer" and outage[0] < w.started < outage[1]]
    assert during, "no explainer was published while Redis was down"
    # What explainers.related.scheduling.enqueue_regeneration logs when it cannot reach the broker.
    broker_down = site.log.read_text().removeprefix(log_before)
    assert "Broker unavailable" in broker_down, "no publish met the broker down"
    claims = assert_acknowledged_claims_kept(desk, "redis", writes)
    explainers = assert_acknowledged_explainers_kept(desk, "redis", writes)
    assert_rows_only_added(desk, before, claims, explainers)
    assert_stale_widgets_swept(site, desk, "redis")

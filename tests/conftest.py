import os
import shutil

import pytest

from tests.factories import UserFactory, logged_in_client

# Tests whose outcome depends on the database engine: the application branches on it
# (similar claims, related-stories storage and its index), or the engine does the work being
# tested (locks and transactions, the search backends, query-string handling that reaches
# them, the state machine's writes). They run on both databases; every other test runs once.
ENGINE_MODULES = frozenset(
    [
        "tests/explainers/test_integrity_state.py",
        "tests/explainers/test_related.py",
        "tests/explainers/test_search_index.py",
        "tests/explainers/test_discovery.py",
        "tests/newsroom/test_choosers.py",
        "tests/newsroom/test_concurrency.py",
        "tests/newsroom/test_restore_concurrency.py",
        "tests/newsroom/test_similar_claims.py",
        "tests/newsroom/test_sqlite_concurrent_saves.py",
        "tests/newsroom/test_write_transactions.py",
        "tests/security/test_public_fuzz.py",
        "tests/security/test_public_query_params.py",
        "tests/security/test_query_flood.py",
    ]
)
# What needs a database another process can open, or the production engine itself:
# Chromium's live server, real Celery workers, gunicorn behind Varnish.
POSTGRES_MARKERS = frozenset(["browser", "postgres", "celery_worker"])
POSTGRES_FIXTURES = frozenset(["celery_worker", "workers", "start_edge", "live_server"])
# scripts/test sets this on each of its two passes: "sqlite" runs every test but those that
# need PostgreSQL, "postgresql" runs those and the engine tests again. Unset, pytest runs
# whatever it collected (each test then skips what its database cannot do).
PASS = os.environ.get("NEWSROOM_TEST_PASS", "")


def pass_of(item) -> str:
    """Which of scripts/test's passes runs `item`: "both", "postgresql" or "sqlite"."""
    path = item.nodeid.split("::")[0]
    if path in ENGINE_MODULES or item.get_closest_marker("engine"):
        return "both"
    if POSTGRES_FIXTURES & set(item.fixturenames) or any(
        item.get_closest_marker(name) for name in POSTGRES_MARKERS
    ):
        return "postgresql"
    return "sqlite"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if not PASS:
        return
    kept, dropped = [], []
    for item in items:
        (kept if pass_of(item) in ("both", PASS) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On the SQLite pass, a test that skips for want of PostgreSQL would run on no pass at
    all: it fails, asking to be marked for the PostgreSQL pass."""
    report = yield
    if PASS == "sqlite" and report.skipped and pass_of(item) == "sqlite":
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        if "postgresql" in reason.lower():
            report.outcome = "failed"
            report.longrepr = (
                f"{item.nodeid} skips on SQLite ({reason}) and so runs on no pass of "
                "scripts/test: mark it `postgres` (or `engine`, to run it on both)"
            )
    return report


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (the default one and the API's): ids are reused
    after a rollback, so a cached answer from one test could otherwise match another's data."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


@pytest.fixture
def verifier(db):
    return UserFactory(username="verifier", groups=["Verifiers"])


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def desk_reader(db):
    """Someone who may look around the desk (admin access, view sources) but change nothing."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="reader")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_source"),
    )
    return user


@pytest.fixture
def editor_client(editor):
    return logged_in_client(editor)


@pytest.fixture
def verifier_client(verifier):
    return logged_in_client(verifier)


@pytest.fixture
def admin_client(superuser):
    return logged_in_client(superuser)


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker on Redis, with this process sending tasks to it (not eager)."""
    from django.db import connection

    from tests.celery_worker import CeleryWorker, broker_url, sending_to

    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database another process can open (PostgreSQL)")

    with sending_to(broker_url()):
        worker = CeleryWorker()
        try:
            # Inside the try: a worker that starts but never becomes ready is stopped too.
            yield worker.start()
        finally:
            worker.stop()


@pytest.fixture
def run_import(db):
    """Run `manage.py import_sources` with arguments as the shell would; return
    (exit status, stdout, stderr)."""
    from contextlib import redirect_stderr, redirect_stdout
    from io import StringIO
    from unittest.mock import patch

    from django.core.management import ManagementUtility

    def run(*args):
        stdout, stderr = StringIO(), StringIO()
        status = 0
        # run_from_argv closes every connection when it ends, which would close the
        # test's own transaction on PostgreSQL; the command's work is what is tested.
        no_close = patch("django.core.management.base.connections.close_all")
        with redirect_stdout(stdout), redirect_stderr(stderr), no_close:
            try:
                ManagementUtility(["manage.py", "import_sources", *map(str, args)]).execute()
            except SystemExit as exit:
                status = exit.code
        return status, stdout.getvalue(), stderr.getvalue()

    return run


@pytest.fixture
def news_site(settings):
    """A local web server of news pages and bad answers (tests/web_pages.py), with the
    fetcher allowed to reach it (loopback only) and a one-second timeout."""
    from tests.web_pages import NewsSite, fill_realistic_site, serve

    site = NewsSite()
    server, site.url = serve(site)
    fill_realistic_site(site, site.url)
    settings.NEWSROOM_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.NEWSROOM_FETCH_TIMEOUT = 1.0
    site.slow_seconds = 2.5
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def protected_page(db):
    """A live explainer behind the page password "s3cret", and its password form's URL."""
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    from tests.factories import explainer_page

    page = explainer_page("Internal memo")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return page, url


@pytest.fixture
def copied_seed(tmp_path):
    """A copy of seed 002 to change and import again."""
    from django.conf import settings

    seed = settings.BASE_DIR / "seeds" / "002_0ce464d2b3789fd5.txt"
    path = tmp_path / seed.name
    shutil.copy(seed, path)
    return path


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what is sent after commit (regeneration tasks, rechecks), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def without_claim_review(db):
    """No review workflow on claims: a change to a decided claim is then published at once
    and reopens it, the rule for every path outside the admin's review (and for a site that
    removed the workflow)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import WorkflowContentType

    from newsroom.desk.models import Claim

    WorkflowContentType.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim)
    ).delete()


@pytest.fixture
def hostile_site(news_site, settings):
    """The news site with hostile answers besides (tests/security/hostile_web.py): bombs,
    dripping and endless answers, hostile charsets; a three-second fetch deadline."""
    from tests.security.hostile_web import fill_hostile_site

    fill_hostile_site(news_site)
    settings.NEWSROOM_FETCH_DEADLINE = 3.0
    return news_site

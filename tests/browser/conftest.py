"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against live_server.

Never `playwright install`: the browser is the machine's own.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from tests.requests_in_progress import wait_until_idle

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(os.environ.get("NEWSROOM_SCREENSHOTS", "test-artifacts/screenshots"))

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# The live server hands every request the test's own database connection. Chromium asks for
# several things at once (a page, the admin's icon sprite, a chooser's search), and on
# SQLite two atomic requests on one connection interleave their savepoints and fail. One
# request at a time: Django's single-threaded server closes each connection after its answer.
class SerialLiveServer(WSGIServer):
    """Django's WSGI server, serving in the live server's thread (which already holds the
    test's connections)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = SerialLiveServer


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright runs, this thread counts as running an event loop, and Django then
    # looks its connections up in a store of their own. Keep the connections the test
    # database was set up on: they hold the serialized contents that serialized_rollback
    # restores (groups, pages, workflow) after each live-server flush; fresh ones would
    # restore nothing, and every later test of this process would see an empty database.
    kept = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in kept.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class InFlight:
    """Counts a browser context's requests still waiting for their answer.

    A page's scripts may still be asking the live server for something when a test ends.
    The server thread can then hold a read lock inside its transaction while the
    teardown's TRUNCATE waits for it, and PostgreSQL breaks the deadlock by failing the
    flush. Closing only once every answer has arrived avoids that."""

    def __init__(self, context):
        self.pending = set()
        context.on("request", self.started)
        context.on("requestfinished", self.ended)
        context.on("requestfailed", self.ended)

    def started(self, request):
        self.pending.add(request)

    def ended(self, request):
        self.pending.discard(request)

    def settle(self, page, timeout_ms=10_000):
        waited = 0
        while self.pending and waited < timeout_ms and not page.is_closed():
            page.wait_for_timeout(50)
            waited += 50


def close_settled(context, page):
    """Close a context after its requests have had their answers (see InFlight), then wait
    until the live server has answered whatever reached it (a request the closing browser
    abandoned still runs to its end on the server)."""
    in_flight = getattr(context, "_newsroom_in_flight", None)
    if in_flight is not None and not page.is_closed():
        in_flight.settle(page)
    context.close()
    assert wait_until_idle(), "the live server is still answering a request"


def open_context(chromium, **options):
    context = chromium.new_context(**options)
    context._newsroom_in_flight = InFlight(context)
    return context


@pytest.fixture
def page(chromium):
    context = open_context(chromium, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_settled(context, page)


@pytest.fixture
def screenshot(page, request):
    """Save a numbered screenshot of the current page under test-artifacts/screenshots/."""
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def take(label):
        path = folder / f"{next(counter):02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo_explainer(live_server):
    """The demo's explainer, built from the seeds as `manage.py build_demo` builds it."""
    from explainers.models import ExplainerPage

    call_command("import_sources", verbosity=0)
    call_command("build_demo", verbosity=0)
    return ExplainerPage.objects.get(slug="are-france-and-russia-talking-again")


def assert_no_axe_violations(page, within=None):
    """Axe finds nothing on the page, or only in the part `within` selects (a panel of an
    admin page whose other parts are Wagtail's own)."""
    results = Axe().run(page, context=within) if within else Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def log_in(page, live_server, username, password="correct-horse-battery"):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

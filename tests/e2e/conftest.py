"""A real browser (Debian's Chromium, driven by Playwright) against a real server on loopback.

Chromium is never downloaded: the tests use /usr/bin/chromium (`apt-get install chromium`).
Without it, or without Playwright, the tests fail in CI (FOLIO_REQUIRE_SERVICES=1) and skip on
a developer's machine. Each test gets its own server thread on a free port of 127.0.0.1
(pytest-django's live server, over the test database) and its own browser, so xdist workers
never collide.
"""

import contextlib
import os
from pathlib import Path

import pytest

from tests.conftest import service_missing
from tests.e2e.screenshots import Screenshots

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def chromium_available():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        service_missing("Playwright (pip install -r requirements-dev.txt)")
    if not CHROMIUM.exists():
        service_missing(f"Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture
def server(chromium_available, transactional_db, settings):
    """A live server on 127.0.0.1 and a free port; the admin's client preview points at it."""
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer("127.0.0.1:0")
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        **settings.WAGTAIL_HEADLESS_PREVIEW,
        "CLIENT_URLS": {"default": f"{live.url}/api/v1/preview/"},
    }
    yield live
    live.stop()


@pytest.fixture
def chromium(server):
    """Playwright's driver on the system Chromium, for one test.

    Playwright's sync API keeps an asyncio loop on this thread while it runs, and Django refuses
    ORM calls from a thread with a running loop. The test's own ORM calls (data, assertions)
    are synchronous all the same, so the guard is lifted while the browser runs, and the
    browser is stopped before the database is flushed (this fixture is torn down first).
    """
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    # Saves and page loads share two cores with the rest of the suite: assertions wait as long
    # as actions do before they fail.
    expect.set_options(timeout=TIMEOUT_MS)

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            # The test's ORM calls ran beside Playwright's loop, where Django keeps connections
            # of their own: close them here, or PostgreSQL cannot drop the test database.
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def shots(request):
    return Screenshots(request.node.name)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browser_context(chromium, request, shots):
    """Opens a fresh browser profile (cookies, storage): one per user of the test.

    When the test fails, every open tab is saved as a screenshot beside the step screenshots.
    """
    contexts = []

    def open_context():
        context = chromium.new_context(viewport={"width": 1360, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    report = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts, start=1):
        if report is not None and report.failed:
            for tab, page in enumerate(context.pages, start=1):
                path = shots.directory / f"failure-user{number}-tab{tab}.png"
                with contextlib.suppress(Exception):  # a closed page: nothing to show
                    page.screenshot(path=str(path), full_page=True)
        context.close()

"""Playwright fixtures for the browser journeys.

One Chromium per run (Debian's /usr/bin/chromium; `playwright install` is never used), a fresh context per test in
Dutch (Belgium), every console error and uncaught exception collected for the test to assert on, and a screenshot in
test-results/<test name>.png when a test fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from partners.tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Short enough that a broken journey fails in seconds, long enough for an htmx round trip on a busy CI runner.
TIMEOUT_MS = 5_000

# Labels in both languages: the tests must pass whether or not the Dutch catalogue is compiled.
EMAIL_LABEL = re.compile(r"^(E-mail address|E-mailadres)$")
PASSWORD_LABEL = re.compile(r"^(Password|Wachtwoord)$")
LOG_IN_BUTTON = re.compile(r"^(Log in|Aanmelden|Inloggen)$")

# The measuring pages answer a stale save with 409 and a refused value with 400 on purpose (static/js/measurement.js
# shows the answer in place); Chromium still reports each as a failed resource. Only those, and only for measuring
# URLs, are not errors.
EXPECTED_REFUSAL = re.compile(r"^Failed to load resource: the server responded with a status of (400|409) \(")
#: Pages whose forms answer 400/409 on purpose (a refused value, a stale save): the measurements and the action plans.
REFUSING_FORMS_URL = re.compile(r"^https?://[^/]+/(metingen|actieplan)/\d+/")

phase_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test item so the page fixture knows in teardown whether the test failed."""
    report = yield
    item.stash.setdefault(phase_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def browser(django_db_setup: None) -> Iterator[Browser]:
    """Launched once for all browser journeys, closed after the last one.

    Playwright's sync API keeps an asyncio loop marked as running in this thread while it is started. That has two
    effects on the test's own ORM calls (build_world(), the flush after each test), handled here for exactly as long
    as Playwright runs, which is why this is package-scoped rather than session-scoped: after the last test under
    browser_tests/ the rest of the suite runs with Django's normal guard and connections.
    - Django's async-unsafe guard rejects them: DJANGO_ALLOW_ASYNC_UNSAFE lifts it.
    - Django keeps connections in an asgiref Local that switches to context-local storage while a loop runs, so the
      ORM gets new connection objects without the snapshot of the migrated reference data (regions, study areas)
      that serialized rollback restores after each flush: hand it over.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium. "
            "Install it with `apt-get install chromium` (scripts/test.sh does this through EXTRA_APT_PACKAGES).",
            pytrace=False,
        )
    snapshots = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                connections[alias]._test_serialized_contents = snapshot
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
            # Close the connections opened while the loop ran, or PostgreSQL refuses to drop the test database.
            connections.close_all()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors (CSP violations included: Chromium reports them there) and uncaught exceptions of the page.

    Not collected: the 400/409 answers the measuring and action plan pages give on purpose (see EXPECTED_REFUSAL)."""
    return []


@pytest.fixture
def page(
    browser: Browser,
    console_errors: list[str],
    live_server: LiveServer,
    django_db_serialized_rollback: None,
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A fresh browser context per test against the live server.

    The live server needs committed data, so the test database is flushed after each test; serialized rollback
    restores what the migrations load (regions, study areas, NACE divisions), which build_world() relies on.
    """
    context = browser.new_context(locale="nl-BE", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if EXPECTED_REFUSAL.match(message.text) and REFUSING_FORMS_URL.match(url):
            return
        console_errors.append(f"{message.text} ({url})")

    def on_page_error(error: Error) -> None:
        console_errors.append(f"uncaught: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    call = request.node.stash.get(phase_reports, {}).get("call")
    if call is not None and call.failed:
        results = request.config.rootpath / "test-results"
        results.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        page.screenshot(path=results / f"{name}.png", full_page=True)
    context.close()


@pytest.fixture
def log_in(page: Page, live_server: LiveServer) -> Callable[..., None]:
    """Log in as a new visitor would: open the site, get sent to the login page, fill the form by its labels."""

    def fill_login_form(email: str, password: str = PASSWORD) -> None:
        page.goto("/")
        expect(page).to_have_url(f"{live_server.url}/login/?next=/")
        page.get_by_label(EMAIL_LABEL).fill(email)
        page.get_by_label(PASSWORD_LABEL).fill(password)
        page.get_by_role("button", name=LOG_IN_BUTTON).click()

    return fill_login_form

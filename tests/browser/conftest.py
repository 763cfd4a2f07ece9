"""Browser fixtures: the app served on loopback and a headless Debian Chromium driven by Playwright."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

# No browser downloads here: Playwright drives the distribution's chromium.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]
TIMEOUT_MS = 15000
PASSWORD = "browser-pass-2026"


def chromium_path():
    """Return the Chromium executable to drive, or None when there is none."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), *CHROMIUM_CANDIDATES):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    return None


def _unavailable(reason):
    """Skip on a developer's machine; fail under CI, where the browser is required."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI requires the browser tests: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    path = chromium_path()
    if path is None:
        _unavailable("no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # noqa: BLE001 - any launch failure means "no usable browser"
        playwright.stop()
        _unavailable(f"Chromium at {path} did not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture()
def live_server(app):
    """Serve the test's app (same database) from a thread on a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the test item, so fixtures can tell a failed test."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture()
def page(request, browser, live_server, tmp_path):
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:  # keep what the browser saw, for the failure report
        tab.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        (tmp_path / "failure.html").write_text(tab.content())
        print(f"browser at {tab.url}; screenshot and HTML in {tmp_path}")
    context.close()


@pytest.fixture()
def browser_user(make_user):
    """Return a function making a user of a role whose password the browser tests know."""
    def make(role="clerk"):
        user = make_user(role)
        user.set_password(PASSWORD)
        user.save()
        return user
    return make


@pytest.fixture()
def log_in(page):
    """Return a function that logs a user in through the /login form."""
    def as_user(user, password=PASSWORD):
        page.goto("/login")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("#logout", state="attached")  # it sits in the user menu
        return page
    return as_user

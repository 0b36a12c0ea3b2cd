"""A live server on a free port and a real Chromium (Debian's, driven by Playwright).

Skipped with a reason when Chromium or Playwright is missing; `.ci/run` installs both.
Screenshots of failing journeys land in test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from app import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def live_server(app, tmp_path_factory):
    from werkzeug.serving import make_server

    # the live app indexes what it commits (a real Whoosh index in a temporary directory)
    live = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], SERVER_NAME=None,
                      WTF_CSRF_ENABLED=True, UPLOAD_DIR=app.config.get("UPLOAD_DIR"), SEARCH_BACKEND="whoosh",
                      SEARCH_WRITER="sync", SEARCH_INDEX_DIR=str(tmp_path_factory.mktemp("live-index")))
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    required = os.environ.get("REQUIRE_BROWSER") == "1"  # .ci/run sets it: no silent skip in CI
    if not CHROMIUM:
        (pytest.fail if required else pytest.skip)("Debian chromium is not installed (apt-get install chromium; .ci/run does it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        (pytest.fail if required else pytest.skip)("playwright is not installed (it is in requirements.txt)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()

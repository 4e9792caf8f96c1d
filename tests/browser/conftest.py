"""Browser fixtures: one headless Chromium per session, the app on a live threaded server.

Playwright's sync API drives Debian's /usr/bin/chromium (not a downloaded browser). Without
that binary the browser tests are skipped locally but fail under CI (CI set), so a CI
machine never passes by skipping them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apps import base_config
from databases import empty_database
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from advocacy import create_app
from advocacy.campaigns.service import install_shipped_campaigns
from advocacy.db import get_session

from .journeys import LiveServer, new_context

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start one headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must not skip the browser tests)", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def static_read_whole(app: Any) -> Any:
    """The app, with each static file's answer read whole and its file closed at once.

    Werkzeug's development server skips closing an answer when the browser drops the
    connection while it is sent (its clean-up reads the socket first, and that raises): a
    font the browser stops loading as a test leaves its page stays open, a ResourceWarning
    (an error in this suite) in whatever test runs next. The app's own answers are
    unchanged; production serves static files from nginx.
    """

    def serve(environ: dict[str, Any], start_response: Any) -> Any:
        answer = app(environ, start_response)
        if not environ.get("PATH_INFO", "").startswith("/static/"):
            return answer
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return serve


@pytest.fixture(scope="module")
def live_server(
    browser: Browser,
    migrated_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """Serve a fresh app (emptied database, shipped campaigns) from a threaded server.

    Built like conftest's make_app, but once per module: starting a server per test would
    cost more than the tests. Each test uses its own email address, so pledges never clash.
    It asks for the browser first, so nothing starts when the browser tests are skipped.
    """
    tmp_dir = tmp_path_factory.mktemp("live")
    empty_database(migrated_url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_INSTANCE_PATH", str(tmp_dir / "instance"))
        app = create_app(
            {
                **base_config(tmp_dir, migrated_url),
                "MIN_FILL_SECONDS": 0,
                "SESSION_COOKIE_SECURE": False,
            }
        )
    with app.app_context():
        install_shipped_campaigns(get_session())
        get_session().commit()
    server = make_server("127.0.0.1", 0, static_read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        app.extensions["advocacy.engine"].dispose()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A JavaScript-enabled desktop context that may use the clipboard."""
    ctx = new_context(browser, permissions=["clipboard-read", "clipboard-write"])
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()

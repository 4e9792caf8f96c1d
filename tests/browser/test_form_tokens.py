"""The form token's script in a real browser (issue 19), with the minimum fill time on.

With JavaScript, the page's script swaps the shared token (the same for every visitor of
its window, so the page can be cached) for one of the visitor's own, stamped when the page
loaded: two seconds after loading, a pledge is accepted. Without JavaScript, the shared
token is measured from its window's end: a quick send comes back kept, with a token of its
own, and the next press after two seconds is accepted. In the partner's cross-site frame
the script fetches its token with no cookie either way.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from apps import base_config
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect
from werkzeug.serving import make_server

from advocacy import create_app
from advocacy.campaigns.service import install_shipped_campaigns
from advocacy.db import get_session

from .journeys import CAMPAIGN, SLUG, SUBMIT, LiveServer, fill_pledge, new_context, unique_email

pytestmark = pytest.mark.browser

MIN_FILL = 2.0
TOO_QUICK = "quicker than we expected"


@pytest.fixture(scope="module")
def strict_server(
    browser: Browser, migrated_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The app with the production minimum fill time (the suite's other servers have 0)."""
    tmp_dir = tmp_path_factory.mktemp("strict")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_INSTANCE_PATH", str(tmp_dir / "instance"))
        app = create_app(
            {
                **base_config(tmp_dir, migrated_url),
                "MIN_FILL_SECONDS": MIN_FILL,
                "SESSION_COOKIE_SECURE": False,
            }
        )
    with app.app_context():
        install_shipped_campaigns(get_session())
        get_session().commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        app.extensions["advocacy.engine"].dispose()


def token_window(value: str) -> Any:
    """Return the token's window length: 0 for a visitor's own, else the shared window."""
    payload = value.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["w"]


def started(target: Page | Frame) -> str:
    return target.locator("input[name=started]").input_value()


def test_with_javascript_the_fill_time_runs_from_the_real_load(
    strict_server: LiveServer, page: Page
) -> None:
    page.goto(strict_server(CAMPAIGN))
    loaded = time.monotonic()
    page.wait_for_function(
        "() => { const v = document.querySelector('input[name=started]').value;"
        " const p = JSON.parse(atob(v.split('.')[0].replace(/-/g, '+').replace(/_/g, '/')));"
        " return p.w === 0; }"
    )
    fill_pledge(page, email=unique_email("stamped"))
    time.sleep(max(0.0, MIN_FILL + 0.3 - (time.monotonic() - loaded)))
    with page.expect_navigation() as navigation:
        page.click(SUBMIT)
    response = navigation.value
    assert response is not None and response.status < 400
    assert TOO_QUICK not in page.content()


def test_without_javascript_a_quick_send_is_kept_and_the_next_accepted(
    strict_server: LiveServer, browser: Browser
) -> None:
    context = new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(strict_server(CAMPAIGN))
        assert token_window(started(page)) > 0  # the page's shared token stays
        email = unique_email("nojs")
        fill_pledge(page, email=email)
        with page.expect_navigation():
            page.click(SUBMIT)  # at once: before the window's end, whenever it loaded
        assert TOO_QUICK in page.content()
        expect(page.locator("form.pledge-form [name=email]")).to_have_value(email)
        assert token_window(started(page)) == 0  # the answer's own token
        time.sleep(MIN_FILL + 0.3)
        with page.expect_navigation() as navigation:
            page.click(SUBMIT)
        response = navigation.value
        assert response is not None and response.status < 400
        assert TOO_QUICK not in page.content()
    finally:
        context.close()


class _Partner:
    """Another site (127.0.0.2) whose page embeds the widget."""

    def __init__(self, app_url: str) -> None:
        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title>'
            f'</head><body><h1>Partner</h1><script src="{app_url}/embed.js" '
            f'data-campaign="{SLUG}" async></script></body></html>'
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self.path != "/":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(html)))
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_in_a_partners_frame_the_widget_fetches_its_own_token_without_cookies(
    strict_server: LiveServer, browser: Browser
) -> None:
    partner = _Partner(strict_server.url)
    context: BrowserContext = new_context(browser)
    try:
        page = context.new_page()
        token_requests = []
        page.on(
            "request",
            lambda r: token_requests.append(r) if r.url.endswith("/widget/form-token") else None,
        )
        page.goto(partner.url)
        handle = page.wait_for_selector(".advocacy-widget iframe")
        assert handle is not None
        frame = handle.content_frame()
        assert frame is not None
        frame.wait_for_selector("input[name=started]", state="attached")
        assert frame.url.startswith(strict_server.url + "/c/")
        frame.wait_for_function(
            "() => document.querySelector('input[name=started]').value.length > 0"
            " && JSON.parse(atob(document.querySelector('input[name=started]').value"
            ".split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))).w === 0"
        )
        loaded = time.monotonic()
        [request] = token_requests
        assert "cookie" not in request.all_headers()
        response = request.response()
        assert response is not None and "set-cookie" not in response.all_headers()
        frame.locator("#name").fill("Amina Tursun")
        frame.locator("#email").fill(unique_email("framed"))
        frame.locator("#zip").fill("98105")
        time.sleep(max(0.0, MIN_FILL + 0.3 - (time.monotonic() - loaded)))
        frame.locator("button[type=submit]").click()
        expect(frame.locator(".widget__thanks")).to_be_visible()
        assert context.cookies(strict_server.url) == []
    finally:
        context.close()
        partner.close()

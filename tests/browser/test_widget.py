"""The widget on a partner's page, in a browser that blocks third-party cookies.

The partner's page is served from http://127.0.0.2 (another site than the app's
http://127.0.0.1), so the widget runs in a cross-site frame, as on a real partner's site.

Third-party cookies: the module launches its own Chromium with
--test-third-party-cookie-phaseout, which makes Chromium block them (its Playwright
contexts already do by default). The journey proves they are blocked rather than
trusting the flag: a probe cookie (SameSite=None; Secure) set first-party for 127.0.0.1
by a helper server there reaches the app when visited directly, but never comes with a
request from the widget's frame. And the app must set no cookie at all: every response
from it is checked for Set-Cookie, and the context holds no cookie of ours afterwards.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from contact_keys import hashed
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FrameLocator,
    Page,
    Request,
    Response,
    expect,
)

from advocacy.db import get_session
from advocacy.models import Campaign, Pledge

from .conftest import CHROMIUM, CHROMIUM_ARGS
from .journeys import SLUG, LiveServer, assert_no_axe_violations, new_context, unique_email

pytestmark = pytest.mark.browser

WIDGET = f"/c/{SLUG}/widget"
PARTNER_HOST = "127.0.0.2"
PARTNER_REF = "partner-test"
PROBE_COOKIE = "third-party-probe"
INITIAL_HEIGHT = 760  # embed.js's reserved height


def partner_html(app_url: str, *, widgets: int = 2, extra: str = "") -> str:
    """A partner's page: its own content and button, widgets, and a pledged-event log."""
    tag = (
        f'<script src="{app_url}/embed.js" data-campaign="{SLUG}" '
        f'data-ref="{PARTNER_REF}" async></script>'
    )
    sections = "".join(
        f'<section class="slot" id="slot-{n}"><h2>Sign here ({n})</h2>{tag}</section>'
        for n in range(1, widgets + 1)
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A partner organization</title>
<style>
  body {{ font-family: Georgia, serif; margin: 0 auto; max-width: 70rem; padding: 1rem;
         background: #fbf7ef; color: #222; }}
  .slots {{ display: grid; gap: 2rem;
           grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); }}
</style>
</head>
<body>
<h1>A partner organization</h1>
<p id="own-content">Our own story about the campaign, written by the partner.</p>
<p><button id="own-button" type="button">Our own button</button> clicked
  <output id="clicks">0</output> times</p>
<div class="slots">{sections}</div>
{extra}
<script>
  window.pledgedEvents = [];
  window.widgetMessages = [];
  window.addEventListener("advocacy:pledged", function (event) {{
    window.pledgedEvents.push({{detail: event.detail, keys: Object.keys(event.detail),
                               from: event.target.className || "window"}});
  }});
  window.addEventListener("message", function (event) {{
    var frames = Array.prototype.slice.call(document.querySelectorAll(".advocacy-widget iframe"));
    var frame = frames.findIndex(function (f) {{ return f.contentWindow === event.source; }});
    window.widgetMessages.push({{origin: event.origin, frame: frame, data: event.data}});
  }});
  document.getElementById("own-button").addEventListener("click", function () {{
    var out = document.getElementById("clicks");
    out.textContent = String(Number(out.textContent) + 1);
  }});
</script>
</body>
</html>"""


class StaticSite:
    """A threaded static server: each test puts its pages in `pages`.

    /set-probe sets the probe cookie for the host (cookies ignore ports, so one set by
    this server on 127.0.0.1 is the app's cookie too).
    """

    def __init__(self, host: str) -> None:
        pages: dict[str, str] = {}
        self.pages = pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path = self.path.split("?")[0]
                body = "<p>probe set</p>" if path == "/set-probe" else pages.get(path)
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if path == "/set-probe":
                    self.send_header(
                        "Set-Cookie", f"{PROBE_COOKIE}=1; SameSite=None; Secure; Path=/"
                    )
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.url + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def partner() -> Iterator[StaticSite]:
    """The partner's site: another site than the app's."""
    site = StaticSite(PARTNER_HOST)
    yield site
    site.close()


@pytest.fixture(scope="module")
def probe_setter() -> Iterator[StaticSite]:
    """A server on the app's host, to set the probe cookie first-party."""
    site = StaticSite("127.0.0.1")
    yield site
    site.close()


@pytest.fixture(scope="module")
def blocking_browser(browser: Browser) -> Iterator[Browser]:
    """A Chromium told to block third-party cookies (asks for `browser` so it skips alike)."""
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"],
    )
    yield chromium
    chromium.close()


class Traffic:
    """Every request to the app and every response from it, for cookie checks."""

    def __init__(self, app_url: str) -> None:
        self.app_url = app_url
        self.requests: list[Request] = []
        self.responses: list[Response] = []

    def watch(self, page: Page) -> None:
        page.on("request", self._request)
        page.on("response", self._response)

    def _request(self, request: Request) -> None:
        if request.url.startswith(self.app_url):
            self.requests.append(request)

    def _response(self, response: Response) -> None:
        if response.url.startswith(self.app_url):
            self.responses.append(response)

    def assert_no_cookies_either_way(self) -> None:
        """No request from the widget carried a cookie; no response set one."""
        assert self.requests and self.responses
        for request in self.requests:
            assert "cookie" not in request.all_headers(), (request.method, request.url)
        for response in self.responses:
            assert "set-cookie" not in response.all_headers(), response.url


@pytest.fixture
def cookieless(blocking_browser: Browser) -> Iterator[BrowserContext]:
    """A desktop context of the browser that blocks third-party cookies."""
    context = new_context(blocking_browser, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def set_probe_and_check_it_reaches_the_app(
    context: BrowserContext, probe_setter: StaticSite, app_url: str
) -> None:
    """The control: a cookie for the app's host that is sent when the app is visited."""
    page = context.new_page()
    page.goto(probe_setter.url + "/set-probe")
    with page.expect_request(f"{app_url}/healthz") as request:
        page.goto(f"{app_url}/healthz")
    assert PROBE_COOKIE in request.value.all_headers().get("cookie", "")
    page.close()


def app_cookies(context: BrowserContext, app_url: str) -> list[str]:
    return [c["name"] for c in context.cookies(app_url) if c["name"] != PROBE_COOKIE]


def widget_frames(page: Page) -> tuple[FrameLocator, FrameLocator]:
    frames = page.frame_locator(".advocacy-widget iframe")
    return frames.nth(0), frames.nth(1)


def iframe_height(page: Page, index: int) -> float:
    box = page.locator(".advocacy-widget iframe").nth(index).bounding_box()
    assert box is not None
    return box["height"]


def wait_for_height_report(page: Page, frame: int) -> None:
    """Wait until the widget in the frame-th iframe has told the page its height."""
    page.wait_for_function(
        "i => window.widgetMessages.some(m => m.frame === i && m.data"
        " && m.data.type === 'advocacy:height')",
        arg=frame,
    )


def database(live_server: LiveServer, query: Callable[[Any], Any]) -> Any:
    with live_server.app.app_context():
        return query(get_session())


# --- the journey -------------------------------------------------------------------------------


def test_a_pledge_inside_one_of_two_widgets_with_third_party_cookies_blocked(
    live_server: LiveServer,
    partner: StaticSite,
    probe_setter: StaticSite,
    cookieless: BrowserContext,
) -> None:
    set_probe_and_check_it_reaches_the_app(cookieless, probe_setter, live_server.url)
    page = cookieless.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    traffic = Traffic(live_server.url)
    traffic.watch(page)

    page.goto(partner.add("/two-widgets.html", partner_html(live_server.url)))
    first, second = widget_frames(page)
    expect(page.locator(".advocacy-widget iframe")).to_have_count(2)
    for frame in (first, second):
        expect(frame.locator("form.widget__form")).to_be_visible()
    # Each iframe is where its tag stood, titled, at most 28rem wide.
    for n in (1, 2):
        iframe = page.locator(f"#slot-{n} > .advocacy-widget > iframe")
        expect(iframe).to_have_count(1)
        assert (iframe.get_attribute("title") or "").startswith("Pledge form")
        src = iframe.get_attribute("src") or ""
        assert src == f"{live_server.url}{WIDGET}?ref={PARTNER_REF}", src
        box = iframe.bounding_box()
        assert box is not None and box["width"] <= 28 * 16 + 0.5

    # The iframe follows the widget's height: taller once the form shows its errors.
    wait_for_height_report(page, 0)
    before = iframe_height(page, 0)
    assert abs(before - first.locator("main.widget").evaluate("m => m.offsetHeight")) <= 2
    first.locator("button[type=submit]").click()
    expect(first.locator("#error-summary")).to_be_visible()
    expect(first.locator("#name-error")).to_contain_text("Please enter your name.")
    page.wait_for_function(
        "h => document.querySelector('.advocacy-widget iframe').getBoundingClientRect()"
        ".height > h + 40",
        arg=before,
    )
    after = iframe_height(page, 0)
    inner = first.locator("main.widget").evaluate("m => m.offsetHeight")
    assert abs(after - inner) <= 2, (after, inner)
    assert page.evaluate("window.pledgedEvents") == []

    # Now a real pledge in the first widget.
    email = unique_email("widget")
    first.locator("#name").fill("Amina Tursun")
    first.locator("#email").fill(email)
    first.locator("#zip").fill("98105")
    # By keyboard, as a supporter may: a click can land on a neighbour while the frame
    # is still taking its new height (the error summary made it taller).
    first.locator("#consent").press("Space")
    expect(first.locator("#consent")).to_be_checked()
    first.locator("button[type=submit]").click()
    expect(first.locator(".widget__thanks")).to_contain_text("Now check your email to confirm.")
    page.wait_for_function("window.pledgedEvents.length === 1")

    pledge = database(
        live_server,
        lambda db: db.scalar(sa.select(Pledge).where(Pledge.email_hash == hashed(email))),
    )
    assert pledge is not None
    assert (pledge.ref, pledge.zip, pledge.consent) == (PARTNER_REF, "98105", True)
    total = database(
        live_server,
        lambda db: db.scalar(sa.select(Campaign.pledge_count).where(Campaign.slug == SLUG)),
    )
    expect(first.locator("#progress-label strong")).to_have_text(f"{total:,}")

    # The partner hears of it: the campaign, and nothing else, once.
    [event] = page.evaluate("window.pledgedEvents")
    assert event == {"detail": {"campaign": SLUG}, "keys": ["campaign"], "from": "advocacy-widget"}
    # No message from the widget carries anything typed.
    messages = page.evaluate("window.widgetMessages")
    widget_messages = [m for m in messages if m["origin"] == live_server.url]
    assert widget_messages
    for message in widget_messages:
        data = message["data"]
        assert data in ({"type": "advocacy:pledged", "campaign": SLUG},) or (
            set(data) == {"type", "height"} and data["type"] == "advocacy:height"
        ), data
    assert "Amina" not in str(messages) and email not in str(messages)

    # No cookie was needed, sent or set.
    traffic.assert_no_cookies_either_way()
    assert app_cookies(cookieless, live_server.url) == []
    assert errors == []

    # "Write to your members" opens this pledge's results page in a new tab, first-party:
    # a top-level post of the widget's signed token, then a 303 to the page, which the
    # session cookie (SameSite=Lax, set on the 303) finds. No second pledge, and nothing
    # personal in any address.
    button = first.get_by_role("button", name="Write to your members")
    with cookieless.expect_page() as new_tab:
        button.click()
    tab = new_tab.value
    tab.wait_for_load_state()
    assert tab.url == f"{live_server.url}/c/{SLUG}/thanks#main"
    expect(tab.locator("h1")).to_have_text("Thank you, Amina Tursun!")
    expect(tab.locator("section.member")).to_have_count(3)
    expect(tab.locator("section.member textarea").first).to_contain_text("WA 98105")
    [session_cookie] = [
        c for c in cookieless.cookies(live_server.url) if c["name"] != PROBE_COOKIE
    ]
    assert session_cookie["sameSite"] == "Lax" and session_cookie["httpOnly"]
    # Reloaded, the page is still there: the cookie, not the token, finds it now.
    tab.reload()
    expect(tab.locator("section.member")).to_have_count(3)
    tab.close()
    # The same token again (a second press, or a copy of the form): refused, plainly.
    with cookieless.expect_page() as new_tab:
        button.click()
    refused = new_tab.value
    refused.wait_for_load_state()
    expect(refused.locator("h1")).to_have_text("This button has been used or has expired")
    expect(refused.get_by_role("link", name="Look up your members again")).to_be_visible()
    refused.close()
    assert (
        database(
            live_server,
            lambda db: db.scalar(
                sa.select(sa.func.count())
                .select_from(Pledge)
                .where(Pledge.email_hash == hashed(email))
            ),
        )
        == 1
    )

    # The other widget is untouched and still works on its own.
    expect(second.locator("form.widget__form")).to_be_visible()
    expect(second.locator("#error-summary")).to_have_count(0)


def test_the_campaign_page_refuses_to_be_framed(
    live_server: LiveServer, partner: StaticSite, cookieless: BrowserContext
) -> None:
    page = cookieless.new_page()
    extra = f'<iframe id="framed-page" title="framed" src="{live_server.url}/c/{SLUG}"></iframe>'
    with page.expect_response(f"{live_server.url}/c/{SLUG}") as response:
        page.goto(partner.add("/frames-the-page.html", partner_html(live_server.url, extra=extra)))
    headers = response.value.all_headers()
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    # Chromium shows its error page instead: nothing of the campaign page renders.
    framed = page.frame_locator("#framed-page")
    expect(framed.locator("form.pledge-form")).to_have_count(0)
    expect(framed.get_by_text("Remember Baren")).to_have_count(0)
    frame = page.locator("#framed-page").element_handle().content_frame()
    assert frame is not None
    assert frame.url.startswith("chrome-error://"), frame.url
    # The widget beside it renders.
    expect(widget_frames(page)[0].locator("form.widget__form")).to_be_visible()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_partner_page_works(page: Page, errors: list[str]) -> None:
    expect(page.locator("#own-content")).to_be_visible()
    page.click("#own-button")
    page.click("#own-button")
    expect(page.locator("#clicks")).to_have_text("2")
    assert errors == []


def test_the_partner_page_survives_our_server_being_down(
    partner: StaticSite, cookieless: BrowserContext
) -> None:
    page = cookieless.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    dead = f"http://127.0.0.1:{closed_port()}"
    page.goto(partner.add("/server-down.html", partner_html(dead)))
    page.wait_for_timeout(500)
    assert_partner_page_works(page, errors)


def test_the_partner_page_survives_the_widget_failing_or_hanging(
    live_server: LiveServer, partner: StaticSite, cookieless: BrowserContext
) -> None:
    """The loader came (from a CDN, say) but the widget does not: refused, then hanging."""
    url = partner.add("/widget-down.html", partner_html(live_server.url))
    for failure in ("refused", "hanging"):
        page = cookieless.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        if failure == "refused":
            page.route(
                f"{live_server.url}{WIDGET}*", lambda route: route.abort("connectionrefused")
            )
        else:
            # Never answered: the partner's load event must not wait for it.
            page.route(f"{live_server.url}{WIDGET}*", lambda route: None)
        page.goto(url, wait_until="load", timeout=5_000)
        expect(page.locator(".advocacy-widget iframe")).to_have_count(2)
        # The reserved box stays where it was.
        assert iframe_height(page, 0) == INITIAL_HEIGHT, failure
        assert_partner_page_works(page, errors)
        page.close()


# --- accessibility and layout ------------------------------------------------------------------


def test_widget_page_has_no_axe_violations(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server(f"{WIDGET}?ref={PARTNER_REF}"))
    expect(page.locator("form.widget__form")).to_be_visible()
    assert_no_axe_violations(page, "the widget")

    page.fill("#email", "not-an-address")
    page.click("button[type=submit]")
    expect(page.locator("#error-summary")).to_be_focused()
    assert_no_axe_violations(page, "the widget with errors")

    page.fill("#name", "Amina Tursun")
    page.fill("#email", unique_email("widget-axe"))
    page.fill("#zip", "98105")
    page.click("button[type=submit]")
    expect(page.locator("#thanks-heading")).to_be_focused()
    assert_no_axe_violations(page, "the widget after a pledge")


def assert_fits(page: Page, index: int) -> None:
    """The index-th widget's frame is as tall as the widget, and neither scrolls sideways."""
    iframe = page.locator(".advocacy-widget iframe").nth(index)
    html = iframe.content_frame.locator("html")
    script = """html => ({scrollWidth: html.scrollWidth, clientWidth: html.clientWidth,
                          scrollHeight: html.scrollHeight, clientHeight: html.clientHeight})"""
    fit: dict[str, int] = {}
    for _ in range(100):  # the frame follows the widget's height message
        fit = html.evaluate(script)
        if fit["scrollHeight"] <= fit["clientHeight"] + 1:
            break
        page.wait_for_timeout(50)
    assert fit["scrollWidth"] <= fit["clientWidth"], fit
    assert fit["scrollHeight"] <= fit["clientHeight"] + 1, fit


@pytest.mark.parametrize("width", [390, 1280])
def test_the_widget_fits_the_partner_page(
    live_server: LiveServer,
    partner: StaticSite,
    blocking_browser: Browser,
    width: int,
    tmp_path: Path,
) -> None:
    """Blank, with errors, and after a pledge; screenshots go to WIDGET_SHOTS_DIR if set."""
    phone = width < 600
    context = new_context(
        blocking_browser,
        viewport={"width": width, "height": 900},
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.goto(partner.add("/layout.html", partner_html(live_server.url)))
    first, second = widget_frames(page)
    shots = Path(os.environ.get("WIDGET_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    def check(state: str) -> None:
        for index in (0, 1):
            page.locator(".slot").nth(index).scroll_into_view_if_needed()
            assert_fits(page, index)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width, state
        # Viewport shots: a full-page shot stretches the viewport, which cross-site frames
        # are not always repainted for.
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(shots / f"partner-{width}-{state}.png"))
        for index in (0, 1):
            slot = page.locator(".slot").nth(index)
            slot.scroll_into_view_if_needed()
            slot.screenshot(path=str(shots / f"partner-{width}-{state}-widget-{index + 1}.png"))

    for index in (0, 1):
        page.locator(".slot").nth(index).scroll_into_view_if_needed()
        expect(widget_frames(page)[index].locator("form.widget__form")).to_be_visible()
        wait_for_height_report(page, index)
    check("blank")

    first.locator("#email").fill("not-an-address")
    first.locator("button[type=submit]").click()
    expect(first.locator("#error-summary")).to_be_visible()
    second.locator("#name").fill("Amina Tursun")
    second.locator("#email").fill(unique_email("layout"))
    second.locator("#zip").fill("98105")
    second.locator("button[type=submit]").click()
    expect(second.locator(".widget__thanks")).to_be_visible()
    check("errors-and-thanks")
    context.close()

"""Passkeys in Chromium with a virtual authenticator (the DevTools protocol's WebAuthn
domain): add one, sign out, sign in with it, be asked again before the contacts' export;
and a page on another origin whose passkey answer the server refuses.

The site is served as http://localhost:<port> (browsers refuse passkeys for a numeric
address); *.localhost names reach the same server from another origin.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from organizer_pages import EMAIL, PASSWORD, create_organizer
from playwright.sync_api import Browser, BrowserContext, Page, expect
from werkzeug.serving import make_server

from advocacy.bench.server import free_port
from advocacy.db import get_session
from advocacy.models import OrganizerSession

from .conftest import CHROMIUM, CHROMIUM_ARGS
from .journeys import SLUG, LiveServer, assert_no_axe_violations, new_context

pytestmark = pytest.mark.browser

EXPORT = f"/organizers/c/{SLUG}/pledges.csv"
SHOTS = Path(os.environ.get("PASSKEY_SHOTS", "/tmp/shots"))


@pytest.fixture
def site(browser: Browser, make_app: Any) -> Iterator[LiveServer]:
    """The app served at http://localhost:<port>, its public address, with one organizer."""
    port = free_port()
    app = make_app(PUBLIC_URL=f"http://localhost:{port}", SESSION_COOKIE_SECURE=False)
    create_organizer(app)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="passkeys-live", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://localhost:{port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def device_page(browser: Browser) -> Iterator[Page]:
    """A page whose browser has a virtual platform authenticator (fingerprint verified)."""
    context = new_context(browser)
    page = context.new_page()
    _virtual_authenticator(context, page)
    yield page
    context.close()


def _virtual_authenticator(context: BrowserContext, page: Page) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def _shots(page: Page, name: str) -> None:
    """Screenshots at a phone's width and a desktop's, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"passkeys-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sign_in_with_password(page: Page, site: LiveServer) -> None:
    page.goto(site("/organizers/login"))
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.url == site("/organizers/"), page.url


def _add_passkey(page: Page, site: LiveServer, name: str) -> None:
    page.goto(site("/organizers/account/passkeys"))
    page.get_by_label("Name for the new passkey").fill(name)
    with page.expect_navigation():
        page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("status")).to_contain_text(f"Passkey “{name}” added")


def _forget_step_up(site: LiveServer) -> None:
    """The minutes since the passkey was last asked for have passed."""
    with site.app.app_context():
        get_session().execute(sa.update(OrganizerSession).values(stepped_up_at=None))
        get_session().commit()


def test_add_a_passkey_sign_in_with_it_and_confirm_the_export_with_it(
    site: LiveServer, device_page: Page
) -> None:
    page = device_page
    _sign_in_with_password(page, site)
    _add_passkey(page, site, "Work laptop")
    expect(page.locator(".org-passkeys li")).to_have_count(1)
    expect(page.locator(".org-passkeys")).to_contain_text("Work laptop")
    assert_no_axe_violations(page, "the passkeys page")
    _shots(page, "list")
    page.get_by_role("link", name="How organizers sign in").click()
    expect(page.get_by_role("button", name="Switch password sign-in off")).to_be_visible()
    assert_no_axe_violations(page, "the owners' switch for password sign-in")
    _shots(page, "switch")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.url == site("/organizers/login")
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    assert_no_axe_violations(page, "the sign-in page with passkeys")
    _shots(page, "sign-in")

    # The export's address, signed out: to the sign-in page, then back there with the passkey.
    page.goto(site(EXPORT))
    with page.expect_navigation(url=site(EXPORT)):
        page.get_by_role("button", name="Use a passkey").click()
    # Signing in with the passkey just now counts as being asked.
    expect(page.get_by_role("button", name="Download the pledges (CSV)")).to_be_visible()

    _forget_step_up(site)
    page.goto(site(EXPORT))
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(page.get_by_role("button", name="Download the pledges (CSV)")).to_have_count(0)
    assert_no_axe_violations(page, "the page asking again before the export")
    _shots(page, "step-up")
    with page.expect_navigation(url=site(EXPORT)):
        page.get_by_role("button", name="Use your passkey").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the pledges (CSV)").click()
    assert download.value.suggested_filename.startswith(f"{SLUG}-pledges-")


def test_a_page_at_another_address_gets_no_passkey_from_the_browser(
    site: LiveServer, device_page: Page
) -> None:
    page = device_page
    _sign_in_with_password(page, site)
    _add_passkey(page, site, "Laptop")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()

    # The same server at another name: the page there asks for this site's passkey, and
    # the browser itself refuses (the passkey belongs to localhost, not to that name).
    other = site.url.replace("//localhost:", "//look-alike.localhost:")
    page.goto(other + "/organizers/login")
    page.get_by_role("button", name="Use a passkey").click()
    alert = page.locator("[data-passkey-status]")
    expect(alert).to_contain_text("Your browser refused to use a passkey here")
    page.goto(site("/organizers/"))
    assert page.url.startswith(site("/organizers/login")), page.url


@pytest.fixture
def sibling_sites(make_app: Any) -> Iterator[tuple[LiveServer, str]]:
    """The app at http://app.example.test:<port> with passkeys for all of example.test,
    and the address of a sibling host (evil.example.test) the same server answers."""
    port = free_port()
    public = f"http://app.example.test:{port}"
    app = make_app(
        PUBLIC_URL=public, ORGANIZERS_WEBAUTHN_RP_ID="example.test", SESSION_COOKIE_SECURE=False
    )
    create_organizer(app)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="passkeys-sibling", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=public), f"http://evil.example.test:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_passkey_answer_made_on_a_sibling_origin_is_refused_by_the_server(
    browser: Browser, sibling_sites: tuple[LiveServer, str]
) -> None:
    """Browsers let any host of the RP ID's domain ask for its passkeys; the server still
    refuses an answer whose origin is not the site's own, and says so."""
    site, sibling = sibling_sites
    # Names that resolve to this machine, treated as secure (passkeys need that).
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--host-resolver-rules=MAP *.example.test 127.0.0.1",
            f"--unsafely-treat-insecure-origin-as-secure={site.url},{sibling}",
        ],
    )
    try:
        context = new_context(chromium)
        page = context.new_page()
        _virtual_authenticator(context, page)
        _sign_in_with_password(page, site)
        _add_passkey(page, site, "Laptop")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        page.goto(sibling + "/organizers/login")
        page.get_by_role("button", name="Use a passkey").click()
        alert = page.locator("[data-passkey-status]")
        expect(alert).to_contain_text(f"That passkey answer was made for another site ({sibling})")
        expect(alert).to_contain_text(f"Sign in only at {site.url}")
        page.goto(site("/organizers/"))
        assert page.url.startswith(site("/organizers/login")), page.url
        # The same passkey on the site's own address signs in.
        page.goto(site("/organizers/login"))
        with page.expect_navigation(url=site("/organizers/")):
            page.get_by_role("button", name="Use a passkey").click()
    finally:
        chromium.close()


def test_without_javascript_the_password_form_stays_and_no_passkey_button_shows(
    site: LiveServer, browser: Browser
) -> None:
    context = new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site("/organizers/login"))
        expect(page.get_by_role("button", name="Use a passkey")).to_have_count(0)
        expect(page.get_by_text("Passkeys need JavaScript")).to_be_visible()
        page.fill("#email", EMAIL)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in", exact=True).click()
        assert page.url == site("/organizers/")
    finally:
        context.close()

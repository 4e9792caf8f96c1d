"""In Chromium, without JavaScript: an organizer makes a second campaign live and chooses it
for the site's home page from the campaign list, and reads the widget's preview; both
pages clean under axe-core at a phone's width and a desktop's. ADVOCACY_SCREENSHOTS=folder
keeps screenshots of them to look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from organizer_pages import create_organizer
from playwright.sync_api import Browser, Page, expect

from .journeys import LiveServer, assert_no_axe_violations, new_context, sign_in_to

pytestmark = pytest.mark.browser

WIDTHS = {390: 844, 1280: 900}
LIST = "/organizers/campaigns"
SECOND = "east-turkistan-week"


@pytest.fixture(scope="module")
def organizer_server(live_server: LiveServer) -> Iterator[LiveServer]:
    create_organizer(live_server.app)
    yield live_server


def _page(browser: Browser, width: int, *, script: bool = False) -> Page:
    viewport = {"width": width, "height": WIDTHS[width]}
    return new_context(browser, viewport=viewport, java_script_enabled=script).new_page()


def _click(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()


def _shoot(page: Page, name: str) -> None:
    shots = os.environ.get("ADVOCACY_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / name), full_page=True)


def test_choosing_the_home_campaign_and_previewing_the_widget(
    organizer_server: LiveServer, browser: Browser
) -> None:
    server = organizer_server
    page = _page(browser, 1280)
    sign_in_to(page, server, LIST)
    page.fill("#new-title", "East Turkistan Week")
    page.fill("#new-slug", SECOND)
    _click(page, "Start a draft")
    _click(page, "Publish")
    expect(page.locator("main .notice").first).to_contain_text("is live")

    page.goto(server(LIST))
    button = page.locator(f"form:has(input[name=slug][value={SECOND}]) button")
    expect(button).to_have_accessible_name("Make it the home page for East Turkistan Week")
    with page.expect_navigation():
        button.click()
    expect(page.locator("main .notice").first).to_contain_text(
        "The home page now shows East Turkistan Week."
    )
    page.goto(server("/"))
    expect(page.locator("h1").first).to_contain_text("East Turkistan Week")

    for width in WIDTHS:
        checked = _page(browser, width, script=True)
        sign_in_to(checked, server, LIST)
        assert_no_axe_violations(checked, f"the campaign list at {width} px")
        _shoot(checked, f"home-control-{width}.png")
        path = f"/organizers/c/{SECOND}/preview/widget?version=1"
        checked.goto(server(path))
        expect(checked.locator(".org-preview-banner")).to_contain_text("Preview of the widget")
        assert_no_axe_violations(checked, f"the widget's preview at {width} px")
        _shoot(checked, f"widget-preview-{width}.png")
        checked.goto(server(f"/organizers/c/{SECOND}/preview?version=1"))
        checked.locator("#widget-heading").scroll_into_view_if_needed()
        assert_no_axe_violations(checked, f"the preview at {width} px")
        _shoot(checked, f"preview-with-widget-{width}.png")

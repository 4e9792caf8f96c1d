"""Sharing after acting, in Chromium: no page asks another site for anything, the Copy
button copies and says so, the share menu's button shows only where the browser has one,
and everything works without JavaScript (issue 21)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from .journeys import (
    CAMPAIGN,
    SLUG,
    LiveServer,
    assert_no_axe_violations,
    mailed_codes,
    new_context,
    pledge,
    submit_pledge,
    unique_email,
)

pytestmark = pytest.mark.browser

SHARE = "section[data-share]"
WIDGET = f"/c/{SLUG}/widget"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def requests_seen(context: BrowserContext) -> Iterator[list[str]]:
    """Every request any page of the context makes, as it makes it."""
    seen: list[str] = []

    def record(request: Request) -> None:
        seen.append(request.url)

    context.on("request", record)
    yield seen
    context.remove_listener("request", record)


def pledge_in_widget(page: Page, live: LiveServer, email: str) -> None:
    """Pledge from the widget's page, opened on its own; end on its thanks."""
    page.goto(live(WIDGET))
    for name, value in (("name", "Amina Tursun"), ("email", email), ("zip", "98105")):
        page.fill(f"main.widget [name={name}]", value)
    submit_pledge(page)
    expect(page.locator("#thanks-heading")).to_be_visible()


def confirm(page: Page, live: LiveServer, email: str) -> None:
    """Open the email's link and press the button, as the supporter does."""
    code, _ = mailed_codes(live, email)
    page.goto(live(f"/c/{SLUG}/confirm#{code}"))
    page.get_by_role("button", name="Confirm my pledge").click()
    expect(page.locator("h1")).to_have_text("Your pledge is confirmed")


def test_no_page_of_the_path_requests_another_site(
    live_server: LiveServer, page: Page, requests_seen: list[str]
) -> None:
    own = origin(live_server.url)
    visited: list[str] = []

    def settle(label: str) -> None:
        page.wait_for_load_state("networkidle")
        visited.append(label)

    page.goto(live_server(CAMPAIGN))
    settle("campaign page")
    email = unique_email("share-requests")
    pledge(page, live_server.url, email=email)
    expect(page.locator(SHARE)).to_be_visible()
    settle("results page")
    confirm(page, live_server, email)
    expect(page.locator(SHARE)).to_be_visible()
    settle("confirmed page")
    pledge_in_widget(page, live_server, unique_email("share-widget"))
    expect(page.locator(SHARE)).to_be_visible()
    settle("widget's thanks")

    assert visited == ["campaign page", "results page", "confirmed page", "widget's thanks"]
    assert any("/static/js/share.js" in url for url in requests_seen)
    elsewhere = [
        url for url in requests_seen if not url.startswith("data:") and origin(url) != own
    ]
    assert elsewhere == []


def test_the_copy_button_copies_the_link_and_says_so(live_server: LiveServer, page: Page) -> None:
    pledge(page, live_server.url, email=unique_email("share-copy"))
    block = page.locator(SHARE)
    link = block.locator("#share-link").input_value()
    assert link.endswith(f"/c/{SLUG}?ref=share-copy")

    block.get_by_role("button", name="Copy link").click()
    status = block.get_by_role("status")
    expect(status).to_have_text("Copied the link.")
    expect(status).to_have_attribute("aria-live", "polite")
    assert page.evaluate("navigator.clipboard.readText()") == link

    block.get_by_role("button", name="Copy message").click()
    expect(status).to_have_text("Copied the message: paste it into a Signal chat.")
    message = page.evaluate("navigator.clipboard.readText()")
    assert message.endswith(f"/c/{SLUG}?ref=share-signal")
    assert message == block.locator("#share-signal").input_value()
    assert_no_axe_violations(page, "the results page after copying the link")


def test_the_share_menu_button_shows_only_where_the_browser_has_one(
    live_server: LiveServer, browser: Browser
) -> None:
    without = new_context(browser)
    without.add_init_script("delete Navigator.prototype.share;")
    page = without.new_page()
    pledge(page, live_server.url, email=unique_email("share-no-menu"))
    expect(page.locator(SHARE).get_by_role("button", name="Copy link")).to_be_visible()
    expect(page.locator("[data-share-native]")).to_be_hidden()
    without.close()

    # A browser with a share menu: what the page hands it is recorded instead of shown.
    with_menu = new_context(browser)
    with_menu.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'share', {configurable: true,"
        " value: function (data) { window.sharedData = data; return Promise.resolve(); }});"
    )
    page = with_menu.new_page()
    pledge(page, live_server.url, email=unique_email("share-menu"))
    button = page.locator(SHARE).get_by_role("button", name="Share the campaign…")
    expect(button).to_be_visible()
    button.click()
    shared = page.evaluate("window.sharedData")
    assert shared["url"].endswith(f"/c/{SLUG}?ref=share-native")
    assert shared["title"] == "Remember Baren: pass the Uyghur Policy Act"
    assert "Amina" not in str(shared)
    with_menu.close()


def test_without_javascript_the_links_and_texts_are_there(
    live_server: LiveServer, browser: Browser
) -> None:
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    pledge(page, live_server.url, email=unique_email("share-nojs"))
    block = page.locator(SHARE)
    for name, start in (("Email", "mailto:?subject="), ("WhatsApp", "https://wa.me/?text=")):
        link = block.get_by_role("link", name=name)
        expect(link).to_be_visible()
        assert (link.get_attribute("href") or "").startswith(start)
    expect(block.get_by_role("link", name="Telegram")).to_be_visible()
    field = block.get_by_label("Link to the campaign")
    expect(field).to_be_visible()
    expect(field).to_have_value(
        live_server.app.config["PUBLIC_URL"] + f"{CAMPAIGN}?ref=share-copy"
    )
    expect(block.get_by_label("Message for Signal")).to_be_visible()
    # The buttons that need the script are not offered.
    expect(block.get_by_role("button")).to_have_count(0)
    context.close()


def test_the_widget_thanks_with_the_share_block_is_accessible(
    live_server: LiveServer, page: Page
) -> None:
    pledge_in_widget(page, live_server, unique_email("share-widget-axe"))
    expect(page.locator(SHARE).get_by_role("link", name="WhatsApp")).to_be_visible()
    assert_no_axe_violations(page, "the widget's thanks with the share block")

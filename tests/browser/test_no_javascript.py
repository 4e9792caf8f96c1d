"""Tor Browser's "Safest" level runs no JavaScript: the supporter's whole path works
without it, on every way in (the campaign page is tests/browser/test_supporter_path.py):
the partner widget opened on its own and its "Write to your members" button, and an
event's page, with the quote box ticked from the keyboard. Screenshots of the form with
the quote box and of the privacy page, at 390 and 1280 px, go to ADVOCACY_SCREENSHOTS."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from event_pages import add_event
from playwright.sync_api import Browser, BrowserContext, Page, expect

from advocacy.db import get_session
from advocacy.models import PledgeQuote

from .journeys import (
    CAMPAIGN,
    SLUG,
    THANKS,
    LiveServer,
    assert_no_axe_violations,
    fill_pledge,
    new_context,
    submit_pledge,
    unique_email,
)

pytestmark = pytest.mark.browser

WIDTHS = [390, 1280]


def shoot(page: Page, name: str) -> None:
    shots = os.environ.get("ADVOCACY_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / name), full_page=True)


@pytest.fixture
def no_js(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser, java_script_enabled=False)
    yield context
    context.close()


def assert_letters(page: Page, note: str) -> None:
    expect(page.locator("h1")).to_have_text("Thank you, Amina Tursun!")
    members = page.locator("section.member")
    expect(members).to_have_count(3)
    assert note in members.first.locator("textarea").input_value()


def test_the_widget_on_its_own_and_its_handoff_work_without_javascript(
    live_server: LiveServer, no_js: BrowserContext
) -> None:
    page = no_js.new_page()
    page.goto(live_server(f"/c/{SLUG}/widget"))
    page.fill("#name", "Amina Tursun")
    page.fill("#email", unique_email("widget-nojs"))
    page.fill("#zip", "98105")
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("#thanks-heading")).to_be_visible()
    with no_js.expect_page() as new_tab:
        page.get_by_role("button", name="Write to your members").click()
    results = new_tab.value
    results.wait_for_load_state()
    assert results.url.split("#")[0] == live_server(THANKS)
    assert_letters(results, "")


def test_an_events_page_takes_a_pledge_and_a_quote_without_javascript(
    live_server: LiveServer, no_js: BrowserContext
) -> None:
    code = add_event(live_server.app, name="Baren evening")
    note = "Akam 2017-yildin beri lagerda. ئاكام لاگېردا."
    page = no_js.new_page()
    page.goto(live_server(f"/e/{code}"))
    fill_pledge(page, email=unique_email("event-nojs"), note=note)
    # Ticked from the keyboard, as a checkbox is.
    page.focus("#quote")
    page.keyboard.press("Space")
    expect(page.locator("#quote")).to_be_checked()
    response = submit_pledge(page)
    assert response is not None and response.status == 200
    assert page.url.split("#")[0] == live_server(THANKS)
    assert_letters(page, note)
    with live_server.app.app_context():
        kept = get_session().scalars(sa.select(PledgeQuote.text)).all()
    assert note in kept


def test_the_quote_box_and_the_privacy_page_without_javascript(
    live_server: LiveServer, no_js: BrowserContext
) -> None:
    page = no_js.new_page()
    page.goto(live_server(CAMPAIGN))
    box = page.locator("#quote")
    expect(box).not_to_be_checked()
    expect(box).to_have_accessible_name(
        "My words above may be quoted, without my name, to my members of Congress' offices"
    )
    expect(box).to_have_accessible_description(page.locator("#quote-hint").inner_text().strip())
    page.goto(live_server("/privacy"))
    expect(page.locator("h1")).to_have_text("Privacy: what we keep about you")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_form_with_its_quote_box_and_the_privacy_page_pass_axe(
    live_server: LiveServer, page: Page, width: int
) -> None:
    # axe-core is a script: these checks run with JavaScript on, on the same pages.
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server(CAMPAIGN))
    page.locator("#quote").scroll_into_view_if_needed()
    assert_no_axe_violations(page, f"the pledge form with its quote box at {width} px")
    shots = os.environ.get("ADVOCACY_SCREENSHOTS")
    if shots:
        page.locator("form.pledge-form").screenshot(
            path=str(Path(shots) / f"quotes-form-{width}.png")
        )
    page.goto(live_server("/privacy"))
    assert_no_axe_violations(page, f"the privacy page at {width} px")
    shoot(page, f"quotes-privacy-{width}.png")

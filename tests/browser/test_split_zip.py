"""A ZIP code that spans districts, in a real browser: a choice without JavaScript, no loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .journeys import (
    CAMPAIGN,
    LiveServer,
    assert_no_axe_violations,
    fill_pledge,
    new_context,
    pledge,
    submit_pledge,
    unique_email,
)

pytestmark = pytest.mark.browser

SPLIT = {"zip": "10001", "city": "New York", "state": "NY", "street": "350 5th Ave"}


def test_without_javascript_a_split_zip_ends_in_a_choice(
    live_server: LiveServer, browser: Browser
):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server(CAMPAIGN))
        fill_pledge(page, email=unique_email("split-nojs"), **SPLIT)
        submit_pledge(page)
        # The geocoder is down in the live server: the page says so and offers the choice.
        expect(page.locator(".notice")).to_contain_text("not answering")
        choices = page.locator("section.choose input[type=radio]")
        expect(choices).to_have_count(3)
        expect(page.locator("section.member")).to_have_count(2)  # the senators

        # Sending the street again cannot settle it, and the choice is still there.
        expect(page.locator("#street")).to_have_value(SPLIT["street"])
        with page.expect_navigation():
            page.click("section.refine button[type=submit]")
        expect(page.locator("section.choose input[type=radio]")).to_have_count(3)

        label = page.locator("section.choose label", has_text="NY-12")
        name = label.inner_text().split(", Rep. ", 1)[1]
        label.click()
        with page.expect_navigation():
            page.click("section.choose button[type=submit]")
        members = page.locator("section.member h3")
        expect(members).to_have_count(3)
        expect(members.first).to_have_text(f"Representative {name}")
        expect(page.locator(".notice")).to_contain_text("You chose NY-12")
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_arriving_at_the_results_page_draws_no_frame_around_it(
    live_server: LiveServer, browser: Browser, width: int, tmp_path: Path
):
    context = new_context(browser, viewport={"width": width, "height": 900})
    page: Page = context.new_page()
    try:
        pledge(page, live_server.url, email=unique_email("frame"), **SPLIT)
        expect(page.locator("main#main")).to_be_focused()
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.querySelector("main"));
                       return {shadow: s.boxShadow, outline: s.outlineStyle}; }"""
        )
        assert style == {"shadow": "none", "outline": "none"}, style
        page.screenshot(path=str(tmp_path / f"thanks-{width}.png"), full_page=True)
        # axe runs in the page, so it needs JavaScript: checked here, not in the no-JS test.
        assert_no_axe_violations(page, "the results page asking for the district")
    finally:
        context.close()

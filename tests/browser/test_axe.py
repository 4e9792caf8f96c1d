"""axe-core (WCAG 2.2 A/AA and best practices) on every state a supporter can reach."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from event_pages import add_event
from playwright.sync_api import Page, expect

from .journeys import (
    CAMPAIGN,
    SLUG,
    SPLIT_ZIP,
    LiveServer,
    assert_no_axe_violations,
    mailed_codes,
    pledge,
    submit_pledge,
    unique_email,
)

pytestmark = pytest.mark.browser


def test_campaign_page(live_server: LiveServer, page: Page):
    page.goto(live_server("/"))
    expect(page.locator("form.pledge-form")).to_be_visible()
    assert_no_axe_violations(page, "the campaign page")


def test_campaign_page_with_errors(live_server: LiveServer, page: Page):
    page.goto(live_server(CAMPAIGN))
    page.fill("#email", "not-an-address")
    submit_pledge(page)
    expect(page.locator("#error-summary")).to_be_focused()
    assert_no_axe_violations(page, "the campaign page with errors")


def test_thanks_page_with_letters(live_server: LiveServer, page: Page):
    pledge(page, live_server.url, email=unique_email("axe"))
    expect(page.locator("section.member")).to_have_count(3)
    # Include the call scripts and a copy status message in the check.
    for summary in page.locator(".call-script summary").all():
        summary.click()
    page.locator("[data-copy]").first.click()
    expect(page.locator("[data-copy-status]").first).not_to_be_empty()
    assert_no_axe_violations(page, "the thanks page")


def test_refine_form_when_the_zip_spans_districts(live_server: LiveServer, page: Page):
    pledge(page, live_server.url, email=unique_email("refine"), zip=SPLIT_ZIP, city="")
    notice = page.locator(".notice")
    expect(notice).to_contain_text("crosses district lines")
    expect(page.locator("section.member")).to_have_count(2)  # the senators only
    expect(page.locator("section.refine form")).to_be_visible()
    assert_no_axe_violations(page, "the thanks page asking for the street")

    # The refine form sent empty: its own errors.
    refine = page.locator("section.refine")
    refine.locator("#street").fill("")
    with page.expect_navigation() as navigation:
        refine.get_by_role("button", name="Find my House member").click()
    assert navigation.value is not None and navigation.value.status == 422
    expect(refine.locator("#street-error")).to_be_visible()
    assert_no_axe_violations(page, "the refine form with errors")

    # With a street, the geocoder (unreachable here) fails and the page says so.
    refine.locator("#street").fill("1301 4th Ave")
    refine.locator("#city").fill("Seattle")
    with page.expect_navigation():
        refine.get_by_role("button", name="Find my House member").click()
    expect(page.locator(".notice")).to_contain_text("is not answering right now")
    expect(page.locator("section.refine form")).to_be_visible()
    assert_no_axe_violations(page, "the thanks page after the geocoder failed")


def test_not_found_page(live_server: LiveServer, page: Page):
    response = page.goto(live_server("/c/no-such-campaign"))
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_no_axe_violations(page, "the 404 page")


def shoot(page: Page, name: str) -> None:
    """Keep a screenshot to look at, when ADVOCACY_SCREENSHOTS names a folder."""
    shots = os.environ.get("ADVOCACY_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / name), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_withdraw_pages(live_server: LiveServer, page: Page, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    email = unique_email("withdraw")
    pledge(page, live_server.url, email=email)
    _, code = mailed_codes(live_server, email)  # from the supporter's email
    page.goto(live_server(f"/c/{SLUG}/withdraw#{code}"))
    expect(page.locator("h1")).to_have_text("Withdraw your pledge?")
    assert_no_axe_violations(page, "the withdraw page")
    page.get_by_role("button", name="Withdraw my pledge").click()
    expect(page.locator("h1")).to_have_text("Your pledge is withdrawn")
    assert_no_axe_violations(page, "the withdrawn page")
    shoot(page, f"handoff-withdrawn-{width}.png")
    # The same link again: nothing left to withdraw, and the page says so.
    page.goto("about:blank")  # else only the fragment would change: no new page
    page.goto(live_server(f"/c/{SLUG}/withdraw#{code}"))
    page.get_by_role("button", name="Withdraw my pledge").click()
    expect(page.locator("h1")).to_have_text("There is no pledge to withdraw with this code")
    assert_no_axe_violations(page, "the withdraw page with nothing to withdraw")
    shoot(page, f"handoff-withdraw-nothing-{width}.png")
    # A link of the first releases: the same words whether or not a pledge went.
    page.goto(live_server(f"/c/{SLUG}/withdraw/AbCdEfGhIjKlMnOpQrStUvWxYz012-_9"))
    page.get_by_role("button", name="Withdraw my pledge").click()
    expect(page.locator("h1")).to_have_text("No pledge is left under this link")
    assert_no_axe_violations(page, "the withdraw page for an earlier release's link")
    shoot(page, f"handoff-withdraw-legacy-{width}.png")


@pytest.mark.parametrize("width", [390, 1280])
def test_widget_handoff_pages(live_server: LiveServer, page: Page, width: int):
    size = {"width": width, "height": 900}
    page.set_viewport_size(size)
    page.goto(live_server(f"/c/{SLUG}/widget"))
    page.fill("#name", "Amina Tursun")
    page.fill("#email", unique_email("handoff-axe"))
    page.fill("#zip", "98105")
    page.click("button[type=submit]")
    expect(page.locator("#thanks-heading")).to_be_focused()
    assert_no_axe_violations(page, "the widget's thank-you with its handoff button")
    shoot(page, f"handoff-widget-thanks-{width}.png")
    button = page.get_by_role("button", name="Write to your members")
    with page.context.expect_page() as new_tab:
        button.click()
    results = new_tab.value
    results.set_viewport_size(size)
    results.wait_for_load_state()
    expect(results.locator("section.member")).to_have_count(3)
    assert_no_axe_violations(results, "the results page reached from the widget")
    shoot(results, f"handoff-results-{width}.png")
    with page.context.expect_page() as new_tab:
        button.click()
    refused = new_tab.value
    refused.set_viewport_size(size)
    refused.wait_for_load_state()
    expect(refused.locator("h1")).to_have_text("This button has been used or has expired")
    assert_no_axe_violations(refused, "the refused handoff")
    shoot(refused, f"handoff-refused-{width}.png")


def test_withdraw_page_without_a_code(live_server: LiveServer, page: Page):
    page.goto(live_server(f"/c/{SLUG}/withdraw"))
    expect(page.locator("#code")).to_be_visible()
    assert_no_axe_violations(page, "the withdraw page asking for the code")


def test_confirm_pages(live_server: LiveServer, page: Page):
    email = unique_email("axe-confirm")
    pledge(page, live_server.url, email=email)
    code, _ = mailed_codes(live_server, email)
    page.goto(live_server(f"/c/{SLUG}/confirm#{code}"))
    expect(page.locator("h1")).to_have_text("Confirm your pledge")
    assert_no_axe_violations(page, "the confirm page")
    page.get_by_role("button", name="Confirm my pledge").click()
    expect(page.locator("h1")).to_have_text("Your pledge is confirmed")
    assert_no_axe_violations(page, "the confirmed page")
    page.goto("about:blank")
    page.goto(live_server(f"/c/{SLUG}/confirm#{code}"))
    page.get_by_role("button", name="Confirm my pledge").click()
    expect(page.locator("h1")).to_have_text("This code does not confirm a pledge")
    assert_no_axe_violations(page, "the page for a used or made-up code")


@pytest.mark.parametrize(
    ("zip5", "notice"),
    [("78701", "Texas has new congressional districts"), ("98105", "still loading")],
)
def test_thanks_page_after_the_swearing_in(
    live_server: LiveServer, page: Page, zip5: str, notice: str
):
    clock = live_server.app.config["CLOCK"]
    live_server.app.config["CLOCK"] = lambda: datetime(2027, 1, 3, 17, tzinfo=UTC)
    try:
        pledge(page, live_server.url, email=unique_email("changeover"), zip=zip5, street="")
        expect(page.locator(".notice")).to_contain_text(notice)
        assert_no_axe_violations(page, f"the thanks page after the swearing-in ({zip5})")
    finally:
        live_server.app.config["CLOCK"] = clock


def test_event_page(live_server: LiveServer, page: Page):
    # An event's page (/e/<code>): the event, the campaign's ask and the pledge form.
    code = add_event(live_server.app)
    page.goto(live_server(f"/e/{code}"))
    expect(page.locator("form.pledge-form")).to_be_visible()
    assert_no_axe_violations(page, "an event's page")

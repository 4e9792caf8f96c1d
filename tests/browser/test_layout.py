"""Layout: a phone shows every page without sideways scrolling; print gives one letter a page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .journeys import (
    CAMPAIGN,
    SPLIT_ZIP,
    LiveServer,
    new_context,
    pdf_page_count,
    pledge,
    submit_pledge,
    unique_email,
)

pytestmark = pytest.mark.browser

# An iPhone 14-sized screen, and the 320 CSS px that WCAG 1.4.10 (reflow) asks for.
PHONES = {"390x844": (390, 844), "320x568": (320, 568)}


@pytest.fixture(params=list(PHONES))
def phone(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    width, height = PHONES[request.param]
    context = new_context(
        browser,
        viewport={"width": width, "height": height},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    yield context.new_page()
    context.close()


def assert_no_sideways_scroll(page: Page, label: str) -> None:
    overflow = page.evaluate(
        """() => {
            const width = window.innerWidth;
            const wide = [...document.querySelectorAll("body *")]
                .filter(el => el.getClientRects().length
                        && el.getBoundingClientRect().right > width + 0.5)
                .map(el => el.tagName.toLowerCase()
                     + (el.id ? "#" + el.id : "")
                     + (el.className && typeof el.className === "string"
                        ? "." + el.className.trim().split(/\\s+/).join(".") : "")
                     + " right=" + Math.round(el.getBoundingClientRect().right));
            return {scroll: document.scrollingElement.scrollWidth, width, wide: wide.slice(0, 10)};
        }"""
    )
    assert overflow["scroll"] <= overflow["width"], f"{label} scrolls sideways: {overflow}"


def test_phone_campaign_page_fits(live_server: LiveServer, phone: Page):
    phone.goto(live_server(CAMPAIGN))
    assert_no_sideways_scroll(phone, "the campaign page")
    submit_pledge(phone)
    expect(phone.locator("#error-summary")).to_be_visible()
    assert_no_sideways_scroll(phone, "the campaign page with errors")


def test_phone_thanks_page_fits(live_server: LiveServer, phone: Page):
    pledge(phone, live_server.url, email=unique_email("phone"))
    expect(phone.locator("section.member")).to_have_count(3)
    for summary in phone.locator(".call-script summary").all():
        summary.tap()
    assert_no_sideways_scroll(phone, "the thanks page")

    pledge(phone, live_server.url, email=unique_email("phone-split"), zip=SPLIT_ZIP)
    expect(phone.locator("section.refine form")).to_be_visible()
    assert_no_sideways_scroll(phone, "the thanks page asking for the street")


@pytest.mark.parametrize(("zip_code", "letters"), [("98105", 3), (SPLIT_ZIP, 2)])
def test_print_gives_each_letter_its_own_page(
    live_server: LiveServer, page: Page, zip_code: str, letters: int
):
    pledge(page, live_server.url, email=unique_email("print"), zip=zip_code)
    expect(page.locator("section.member")).to_have_count(letters)
    # An edit in the page reaches the printed letter (letters.js).
    first = page.locator("textarea[data-letter-body]").first
    first.press("Control+End")
    first.press_sequentially("\n\nP.S. Printed as edited.")

    page.emulate_media(media="print")
    printed = page.locator(".print-letter")
    expect(printed).to_have_count(letters)
    for letter in printed.all():
        expect(letter).to_be_visible()
        expect(letter.locator(".print-letter__address")).to_contain_text("Washington, DC")
        expect(letter.locator("[data-print-body]")).to_contain_text("Dear ")
    expect(printed.first).to_contain_text("P.S. Printed as edited.")
    for form in page.locator("form").all():
        expect(form).to_be_hidden()
    for hidden in (".site-header", ".site-footer", ".notice", ".progress", ".call-script"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()

    pdf = page.pdf(format="Letter", print_background=False)
    assert pdf.startswith(b"%PDF")
    assert pdf_page_count(pdf) == letters

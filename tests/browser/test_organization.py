"""Who runs the site, in Chromium: an organizer sets the name, contact and logo through the
forms (pages without a script of their own), supporters see them, and
the privacy page and the settings pages are clean under axe-core at a phone's width and
a desktop's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from organization_pages import jpeg_with_exif
from organizer_pages import create_organizer
from playwright.sync_api import Browser, Page, expect

from .journeys import CAMPAIGN, LiveServer, assert_no_axe_violations, new_context, sign_in_to

pytestmark = pytest.mark.browser

SETTINGS = "/organizers/organization"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def organizer_server(live_server: LiveServer) -> Iterator[LiveServer]:
    create_organizer(live_server.app)
    yield live_server


def _page(browser: Browser, viewport: dict[str, int]) -> Page:
    # These pages have no script of their own, so their forms work without JavaScript;
    # it is on for axe-core, which runs in the page.
    return new_context(browser, viewport=viewport).new_page()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_privacy_page_before_anything_is_set(
    organizer_server: LiveServer, browser: Browser, viewport: dict[str, int]
) -> None:
    page = _page(browser, viewport)
    page.goto(organizer_server("/privacy"))
    expect(page.locator("h1")).to_have_text("Privacy: what we keep about you")
    expect(page.locator("#contact-not-set")).to_contain_text("Not yet set")
    assert_no_axe_violations(page, f"the privacy page, nothing set, at {viewport['width']} px")
    page.context.close()


def test_an_organizer_says_who_runs_the_site_and_supporters_see_it(
    organizer_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    page = _page(browser, DESKTOP)
    sign_in_to(page, organizer_server, SETTINGS)
    assert_no_axe_violations(page, "the organization's settings page")

    # A mistake first: the message beside the field, nothing typed lost.
    page.fill("#name", "Uyghur Diaspora Action")
    page.fill("#email", "contact@")
    page.fill("#address", "PO Box 1234\nWashington, DC 20013")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("#email-error")).to_contain_text("Enter one email address")
    expect(page.locator("#name")).to_have_value("Uyghur Diaspora Action")
    expect(page.locator("#address")).to_have_value("PO Box 1234\nWashington, DC 20013")
    assert_no_axe_violations(page, "the settings page with an error")

    page.fill("#email", "contact@uda.example.org")
    page.fill("#website", "https://uda.example.org")
    page.fill("#footer", "We are Uyghur families in America.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("main .notice")).to_contain_text("Saved.")

    # The logo, from its own page.
    page.get_by_role("link", name="Add a logo").click()
    assert_no_axe_violations(page, "the logo page")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_exif())
    page.set_input_files("#logo", str(photo))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload the logo").click()
    expect(page.locator("main .notice")).to_contain_text("The new logo is in place")
    assert_no_axe_violations(page, "the logo page with a logo")
    bad = tmp_path / "logo.png"
    bad.write_text("<!doctype html><script>alert(1)</script>")
    page.set_input_files("#logo", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload the logo").click()
    expect(page.locator("#logo-error")).to_contain_text("a web page or other text")
    assert_no_axe_violations(page, "the logo page with a refused file")
    page.context.close()

    # A supporter, on a phone.
    supporter = _page(browser, PHONE)
    supporter.goto(organizer_server(CAMPAIGN))
    expect(supporter.locator(".site-header")).to_contain_text("Uyghur Diaspora Action")
    logo = supporter.locator(".site-header img.site-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("image => image.naturalWidth") == 384  # served, decoded, upright
    footer = supporter.locator(".site-footer")
    expect(footer).to_contain_text("This site is run by Uyghur Diaspora Action")
    expect(footer.get_by_role("link", name="contact@uda.example.org")).to_be_visible()
    footer.get_by_role("link", name="Privacy: what we keep about you, and for how long").click()
    expect(supporter.locator("#contact")).to_be_visible()
    expect(supporter.locator("address.org-contact").first).to_contain_text("PO Box 1234")
    assert_no_axe_violations(supporter, "the privacy page with the organization set")
    supporter.context.close()


def test_the_settings_page_at_a_phones_width(
    organizer_server: LiveServer, browser: Browser
) -> None:
    page = _page(browser, PHONE)
    sign_in_to(page, organizer_server, SETTINGS)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(page, "the settings page at 390 px")
    page.context.close()

"""An organization launches on a fresh install, in Chromium without JavaScript, as issue #20
asks: an organizer signs in, says who runs the site, reads the privacy page, starts a second
campaign from scratch, previews its letters to four kinds of member, publishes it, and a
supporter pledges on it and sees the organization's name and contact on every page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from organizer_pages import EMAIL, PASSWORD, create_organizer
from playwright.sync_api import Browser, Page, expect

from .journeys import ONE_DISTRICT_ZIP, SUBMIT, LiveServer, new_context, unique_email

pytestmark = pytest.mark.browser

NAME = "Uyghur Diaspora Action"
CONTACT = "contact@uda.example.org"
NEW_SLUG = "free-ilham-tohti"


@pytest.fixture(scope="module")
def organizer_server(live_server: LiveServer) -> Iterator[LiveServer]:
    create_organizer(live_server.app)
    yield live_server


def _no_script_page(browser: Browser, width: int) -> Page:
    return new_context(
        browser, viewport={"width": width, "height": 900}, java_script_enabled=False
    ).new_page()


def _press(page: Page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]


def _shows_the_organization(page: Page, where: str) -> None:
    expect(page.locator(".site-header"), where).to_contain_text(NAME)
    footer = page.locator(".site-footer")
    expect(footer, where).to_contain_text(f"This site is run by {NAME}")
    expect(footer.get_by_role("link", name=CONTACT), where).to_be_visible()


def test_an_organization_launches_a_second_campaign_and_a_supporter_pledges_on_it(
    organizer_server: LiveServer, browser: Browser
) -> None:
    server = organizer_server
    page = _no_script_page(browser, 1280)
    page.goto(server("/organizers/organization"))
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    _press(page, "Sign in")

    page.fill("#name", NAME)
    page.fill("#email", CONTACT)
    page.fill("#address", "PO Box 1234\nWashington, DC 20013")
    _press(page, "Save")
    expect(page.locator("main .notice")).to_contain_text("Saved.")

    page.goto(server("/privacy"))
    expect(page.locator("h1")).to_have_text("Privacy: what we keep about you")
    expect(page.locator("main")).to_contain_text(CONTACT)

    page.goto(server("/organizers/campaigns"))
    page.fill("#new-title", "Free Ilham Tohti")
    page.fill("#new-slug", NEW_SLUG)
    _press(page, "Start a draft")
    expect(page.locator("main .notice").first).to_contain_text("a draft")

    # A draft is nobody's business but the organizers'.
    supporter = _no_script_page(browser, 390)
    assert supporter.goto(server(f"/c/{NEW_SLUG}")).status == 404  # type: ignore[union-attr]

    _press(page, "Preview version 1", role="link")
    expect(page.locator(".org-preview-banner")).to_contain_text("Preview")
    # A senator asked to cosponsor, a sponsor thanked, a House member, a delegate.
    expect(page.locator(".org-sample")).to_have_count(5)
    _press(page, "Publish version 1")
    expect(page.locator("main .notice").first).to_contain_text("Version 1 is live")
    page.context.close()

    supporter.goto(server(f"/c/{NEW_SLUG}"))
    expect(supporter.locator("h1")).to_have_text("Free Ilham Tohti")
    _shows_the_organization(supporter, "the new campaign's page")
    supporter.fill("form.pledge-form [name=name]", "Amina Tursun")
    supporter.fill("form.pledge-form [name=email]", unique_email("launch"))
    supporter.fill("form.pledge-form [name=zip]", ONE_DISTRICT_ZIP)
    supporter.fill("form.pledge-form [name=city]", "Seattle")
    with supporter.expect_navigation():
        supporter.click(SUBMIT)
    assert supporter.url.split("#")[0] == server(f"/c/{NEW_SLUG}/thanks"), supporter.url
    _shows_the_organization(supporter, "the thank-you page")
    supporter.get_by_role("link", name="Privacy: what we keep about you, and for how long").click()
    _shows_the_organization(supporter, "the privacy page")
    supporter.context.close()

"""The People page and an invitation's page in Chromium: axe-core clean, screenshots at
390 and 1280 px (to /tmp/roles-shots/), and an invitee signed in with their role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from organizer_pages import EMAIL, PASSWORD, create_organizer
from playwright.sync_api import Browser, Page, expect

from .journeys import SLUG, LiveServer, assert_no_axe_violations, new_context

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/roles-shots")
WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def people_server(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server with one owner and one viewer of the shipped campaign."""
    create_organizer(live_server.app)
    create_organizer(live_server.app, "viewer@example.org", roles={SLUG: "viewer"})
    yield live_server


def _shots(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sign_in(page: Page, server: LiveServer) -> None:
    page.goto(server("/organizers/login"))
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_people_page_invitation_and_its_acceptance(
    people_server: LiveServer, page: Page, browser: Browser
) -> None:
    _sign_in(page, people_server)
    page.get_by_role("link", name="People").click()
    expect(page.locator("h1")).to_have_text("People")
    expect(page.locator("#organizers-title")).to_be_visible()
    assert_no_axe_violations(page, "the People page")
    _shots(page, "people")

    page.fill("#email", "invitee@example.org")
    page.locator("form[action$='/people/invite'] select").first.select_option("editor")
    with page.expect_navigation():
        page.get_by_role("button", name="Make an invitation link").click()
    link = page.locator("#invitation-url").input_value()
    assert "/organizers/invitation/" in link
    assert_no_axe_violations(page, "the People page with an invitation's link")
    _shots(page, "people-invited")

    invitee = new_context(browser).new_page()
    invitee.goto(link)
    expect(invitee.locator("h1")).to_have_text("Accept your invitation")
    assert_no_axe_violations(invitee, "the invitation page")
    _shots(invitee, "invitation")
    invitee.fill("#password", "short")
    invitee.fill("#confirm", "short")
    with invitee.expect_navigation():
        invitee.get_by_role("button", name="Set my password and sign in").click()
    expect(invitee.locator("#error-summary")).to_be_visible()
    assert_no_axe_violations(invitee, "the invitation page with an error")
    _shots(invitee, "invitation-error")
    invitee.fill("#password", PASSWORD)
    invitee.fill("#confirm", PASSWORD)
    with invitee.expect_navigation():
        invitee.get_by_role("button", name="Set my password and sign in").click()
    assert invitee.url == people_server("/organizers/"), invitee.url
    expect(invitee.locator(".org-table")).to_contain_text("Uyghur Policy Act")
    expect(invitee.get_by_role("link", name="People")).to_have_count(0)

    invitee.goto(link)
    expect(invitee.locator("#invitation-problem")).to_contain_text("already been used")
    assert_no_axe_violations(invitee, "a used invitation")
    _shots(invitee, "invitation-used")
    invitee.context.close()

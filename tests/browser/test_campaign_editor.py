"""The campaign editor in Chromium: an organizer, without JavaScript, starts a campaign from
scratch, makes a mistake and sees it beside the field, fixes it, previews the letters,
publishes, and a supporter sees the campaign; every page of the editor clean under
axe-core (which itself needs JavaScript) at a phone's width and a desktop's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from organizer_pages import create_organizer
from playwright.sync_api import Browser, Page, expect

from .journeys import SLUG, LiveServer, assert_no_axe_violations, new_context, sign_in_to

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LIST = "/organizers/campaigns"


@pytest.fixture(scope="module")
def organizer_server(live_server: LiveServer) -> Iterator[LiveServer]:
    create_organizer(live_server.app)
    yield live_server


def _page(browser: Browser, viewport: dict[str, int]) -> Page:
    # No JavaScript: the editor, its preview and publishing work without it.
    return new_context(browser, viewport=viewport, java_script_enabled=False).new_page()


def _click(page: Page, name: str, role: str = "button") -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]


def test_a_campaign_from_scratch_edited_previewed_and_published(
    organizer_server: LiveServer, browser: Browser
) -> None:
    page = _page(browser, DESKTOP)
    sign_in_to(page, organizer_server, LIST)

    page.fill("#new-title", "Free Ilham Tohti")
    page.fill("#new-slug", "free-ilham-tohti")
    _click(page, "Start a draft")
    expect(page.locator("h1")).to_contain_text("Free Ilham Tohti")
    expect(page.locator("main .notice").first).to_contain_text("saved as version 1, a draft")

    # A mistake: the rule's own words beside the field, everything typed still there.
    page.fill("#f-goal", "five thousand")
    page.fill("#f-tagline", "Ilham Tohti has been in prison since 2014.")
    page.fill("#f-letter-senate-asks", "Please ask for his release, $recipent.")
    _click(page, "Save as a new version")
    expect(page.locator("#error-summary")).to_contain_text("Not saved")
    expect(page.locator("#f-goal-error")).to_contain_text("whole number")
    expect(page.locator("#f-letter-senate-asks-error")).to_contain_text(
        "unknown variable $recipent"
    )
    expect(page.locator("#f-goal")).to_have_value("five thousand")
    expect(page.locator("#f-tagline")).to_have_value("Ilham Tohti has been in prison since 2014.")

    # The summary's link goes to the field.
    page.locator("#error-summary a[href='#f-goal']").click()
    assert page.evaluate("location.hash") == "#f-goal"

    page.fill("#f-goal", "5000")
    page.fill("#f-letter-senate-asks", "Please ask for his release, $recipient.")
    page.fill("#summary", "The tagline and the senators' ask")
    _click(page, "Save as a new version")
    expect(page.locator("main .notice").first).to_contain_text("Saved as version 2")

    _click(page, "Preview version 2", role="link")
    expect(page.locator(".org-preview-banner")).to_contain_text("Preview")
    expect(page.locator(".org-sample")).to_have_count(5)
    page.fill("#at", "2027-01-03T12:30")
    _click(page, "Show the preview")
    expect(page.locator("main")).to_contain_text("The 119th Congress has ended by then")

    _click(page, "Open the whole page as supporters would see it", role="link")
    expect(page.locator(".org-preview-banner")).to_contain_text("Not public")
    expect(page.locator("main h1")).to_have_text("Free Ilham Tohti")

    page.goto(organizer_server("/organizers/c/free-ilham-tohti/versions"))
    expect(page.locator(".org-diff ins").first).to_be_visible()
    _click(page, "Publish version 2")
    expect(page.locator("main .notice").first).to_contain_text("Version 2 is live")

    supporter = _page(browser, PHONE)
    supporter.goto(organizer_server("/c/free-ilham-tohti"))
    expect(supporter.locator("h1")).to_have_text("Free Ilham Tohti")
    expect(supporter.locator(".tagline")).to_have_text(
        "Ilham Tohti has been in prison since 2014."
    )
    supporter.context.close()
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_every_editor_page_is_clean_under_axe_and_fits_the_screen(
    organizer_server: LiveServer, browser: Browser, viewport: dict[str, int]
) -> None:
    # axe-core runs as a script: this context has JavaScript, which the pages themselves
    # do not use (they load none).
    page = new_context(browser, viewport=viewport).new_page()
    width = viewport["width"]

    def check(label: str) -> None:
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, label
        assert_no_axe_violations(page, f"{label} at {width} px")

    sign_in_to(page, organizer_server, LIST)
    check("the list of campaigns")
    page.goto(organizer_server(f"/organizers/c/{SLUG}/edit"))
    check("the editor")
    page.fill("#f-goal", "lots")
    page.fill("#f-story-0-heading", "")
    _click(page, "Save as a new version")
    expect(page.locator("#f-goal-error")).to_contain_text("whole number")
    check("the editor with errors beside its fields")
    page.fill("#f-goal", f"{width * 10}")
    page.fill("#f-story-0-heading", f"Baren, April 5, 1990 ({width})")
    _click(page, "Save as a new version")
    expect(page.locator("main .notice").first).to_contain_text("Saved as version")
    page.goto(organizer_server(f"/organizers/c/{SLUG}/preview"))
    check("the preview's letters")
    page.goto(organizer_server(f"/organizers/c/{SLUG}/preview?at=2027-01-03T12:30"))
    check("the preview after the changeover")
    page.goto(organizer_server(f"/organizers/c/{SLUG}/preview/page"))
    check("the campaign page's preview")
    page.goto(organizer_server(f"/organizers/c/{SLUG}/versions"))
    expect(page.locator(".org-diff ins").first).to_be_visible()
    check("the history with its diff")
    page.goto(organizer_server(f"/organizers/c/{SLUG}/versions/1"))
    check("one version")
    page.context.close()

"""Events in Chromium: the public event page (axe-core, a pledge through it), the
organizers' events page and its form from the keyboard, and the poster printed on one
Letter page. ADVOCACY_SCREENSHOTS=folder keeps screenshots (390 and 1280 px wide) and the
poster's PDF to look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from contact_keys import hashed
from event_pages import add_event
from organizer_pages import create_organizer
from playwright.sync_api import Page, expect

from advocacy.db import get_session
from advocacy.models import Pledge

from .journeys import (
    SLUG,
    THANKS,
    LiveServer,
    assert_no_axe_violations,
    fill_pledge,
    pdf_page_count,
    sign_in_to,
    submit_pledge,
    unique_email,
)

pytestmark = pytest.mark.browser

EVENTS = f"/organizers/c/{SLUG}/events"
WIDTHS = [390, 1280]


def shoot(page: Page, name: str) -> None:
    shots = os.environ.get("ADVOCACY_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / name), full_page=True)


@pytest.fixture(scope="module")
def event_server(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server with an organizer (an owner) and an event on now."""
    create_organizer(live_server.app)
    yield live_server


@pytest.mark.parametrize("width", WIDTHS)
def test_the_event_page_takes_a_pledge(event_server: LiveServer, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    code = add_event(event_server.app, name="Baren remembrance evening")
    page.goto(event_server(f"/e/{code.lower()}"))
    assert page.url == event_server(f"/e/{code}")
    expect(page.locator("h1")).to_have_text("Baren remembrance evening")
    assert_no_axe_violations(page, "the event page")
    shoot(page, f"events-page-{width}.png")

    page.fill("form.pledge-form [name=email]", "not-an-address")
    page.fill("form.pledge-form [name=name]", "Amina Tursun")
    page.fill("form.pledge-form [name=zip]", "98105")
    response = submit_pledge(page)
    assert response is not None and response.status == 422
    expect(page.locator("#error-summary")).to_be_focused()
    assert_no_axe_violations(page, "the event page with errors")

    email = unique_email("event")
    fill_pledge(page, email=email)
    submit_pledge(page)
    assert page.url.split("#")[0] == event_server(THANKS)
    with event_server.app.app_context():
        ref = get_session().scalar(sa.select(Pledge.ref).where(Pledge.email_hash == hashed(email)))
    assert ref == f"event-{code}"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_organizers_create_an_event_from_the_keyboard(
    event_server: LiveServer, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    add_event(event_server.app, name="Baren remembrance evening")
    sign_in_to(page, event_server, EVENTS)
    assert_no_axe_violations(page, "the organizers' events page")
    shoot(page, f"events-organizers-{width}.png")

    name = f"Film screening and discussion, {width}"
    page.fill("#name", name)
    page.fill("#place", "Community Hall, 1200 Main St, Fairfax, VA")
    page.fill("#starts", "2027-04-05T19:00")
    page.fill("#ends", "2027-04-05T18:00")
    page.locator("#place").focus()
    # Enter in a text field sends the form, as the keyboard does everywhere.
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value is not None and navigation.value.status == 422
    expect(page.locator("#ends-error")).to_contain_text("The end must be after the start.")
    expect(page.locator("#error-summary")).to_be_visible()
    assert_no_axe_violations(page, "the events page with a mistake")
    shoot(page, f"events-organizers-error-{width}.png")

    page.fill("#ends", "2027-04-05T21:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the event").click()
    expect(page.locator("p.notice[role=status]")).to_contain_text(f"Event created: {name}.")
    expect(page.locator(".event-item h3", has_text=name)).to_be_visible()

    # The dashboard lists it among the campaign's events, and links to them.
    page.goto(event_server(f"/organizers/c/{SLUG}/"))
    expect(page.locator("#events-table")).to_contain_text(name)
    assert_no_axe_violations(page, "the dashboard with events")
    page.locator("#dashboard-events-title").scroll_into_view_if_needed()
    if os.environ.get("ADVOCACY_SCREENSHOTS"):
        section = page.locator("section[aria-labelledby=dashboard-events-title]")
        section.screenshot(
            path=str(Path(os.environ["ADVOCACY_SCREENSHOTS"]) / f"events-dashboard-{width}.png")
        )


def test_the_poster_prints_on_one_letter_page(event_server: LiveServer, page: Page) -> None:
    code = add_event(
        event_server.app,
        name="Baren remembrance evening",
        place="Kane Hall, University of Washington, Seattle",
    )
    sign_in_to(page, event_server, f"{EVENTS}/{code}/poster")
    expect(page.locator("svg.qr[role=img]")).to_be_visible()
    assert_no_axe_violations(page, "the poster")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"events-poster-{width}.png")
    # page.pdf() lays the page out with the print stylesheet.
    pdf = page.pdf(format="Letter", print_background=False)
    assert pdf.startswith(b"%PDF")
    assert pdf_page_count(pdf) == 1
    shots = os.environ.get("ADVOCACY_SCREENSHOTS")
    if shots:
        (Path(shots) / "events-poster.pdf").write_bytes(pdf)

"""The organizers' pages in Chromium: sign in through the form, axe-core, the printed report."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from organizer_pages import EMAIL, PASSWORD, create_organizer, seed_pledges
from playwright.sync_api import Page, expect

from .journeys import (
    SLUG,
    LiveServer,
    active_element,
    assert_no_axe_violations,
    pdf_page_count,
    sign_in_to,
    tab_to,
)

pytestmark = pytest.mark.browser

DASHBOARD = f"/organizers/c/{SLUG}/"


@pytest.fixture(scope="module")
def organizer_server(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server with one organizer and the seeded pledges (4 districts)."""
    create_organizer(live_server.app)
    seed_pledges(live_server.app)
    yield live_server


def sign_in(page: Page, server: LiveServer, path: str = DASHBOARD) -> None:
    sign_in_to(page, server, path)


def test_sign_in_page_and_its_refusal(organizer_server: LiveServer, page: Page) -> None:
    page.goto(organizer_server("/organizers/login"))
    assert_no_axe_violations(page, "the organizer sign-in page")
    page.fill("#email", EMAIL)
    page.fill("#password", "not the password at all")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_contain_text("not right")
    assert_no_axe_violations(page, "the organizer sign-in page with a refusal")


def test_dashboard_after_signing_in_through_the_form(
    organizer_server: LiveServer, page: Page
) -> None:
    sign_in(page, organizer_server)
    expect(page.locator("h1")).to_contain_text("Uyghur Policy Act")
    expect(page.locator("#fig-total")).to_have_text("8")
    expect(page.locator("svg[role=img] rect.org-chart__bar")).to_have_count(31)
    page.locator(".org-details summary").click()
    expect(page.locator("#daily-table")).to_be_visible()
    assert_no_axe_violations(page, "the organizer dashboard")

    page.get_by_role("link", name="seat").click()
    expect(page.locator("#districts-table caption")).to_contain_text("sorted by seat")
    assert_no_axe_violations(page, "the dashboard sorted by seat")

    # Signing out with the keyboard, then the dashboard is locked again.
    page.get_by_role("button", name="Sign out").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(organizer_server(DASHBOARD))
    assert "/organizers/login" in page.url


def confirm_for_export(page: Page, server: LiveServer) -> None:
    """Answer the page asking again before the contacts' export: this organizer has no
    passkey or code, so their password (tests/browser/test_passkeys.py uses a passkey)."""
    page.goto(server(f"/organizers/c/{SLUG}/pledges.csv"))
    expect(page.locator("h1")).to_contain_text("Confirm it is you")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_contain_text("Download pledges")


def test_export_buttons_download_from_the_keyboard(
    organizer_server: LiveServer, page: Page
) -> None:
    sign_in(page, organizer_server)
    confirm_for_export(page, organizer_server)
    page.goto(organizer_server(DASHBOARD))
    # Tab to the first export button, as a keyboard user would; Enter downloads.
    tab_to(page, f"form[action$='/{SLUG}/pledges.csv'] button")
    focused = active_element(page)
    assert focused["visible"] and focused["ring"], focused
    with page.expect_download() as pledges:
        page.keyboard.press("Enter")
    assert pledges.value.suggested_filename.startswith(f"{SLUG}-pledges-")
    rows = Path(pledges.value.path()).read_text().strip().splitlines()
    assert len(rows) == 1 + 4  # the header and the four who agreed to be contacted
    assert all(row.split(",")[5] == "yes" for row in rows[1:])  # the consent column

    # The next stop is the districts button; Space presses it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('form').action").endswith(
        "/districts.csv"
    )
    with page.expect_download() as districts:
        page.keyboard.press("Space")
    assert districts.value.suggested_filename.startswith(f"{SLUG}-districts-")
    # The dashboard is still there, and lists both downloads.
    page.reload()
    latest = page.locator("#exports-table tbody tr")
    expect(latest.nth(0)).to_contain_text("export districts.csv")
    expect(latest.nth(1)).to_contain_text("export pledges.csv")
    assert_no_axe_violations(page, "the dashboard after two downloads")


def test_an_export_address_shows_its_button_page(organizer_server: LiveServer, page: Page) -> None:
    sign_in(page, organizer_server, f"/organizers/c/{SLUG}/pledges.csv")
    confirm_for_export(page, organizer_server)
    expect(page.locator("#export-scope")).to_contain_text("agreed to be contacted")
    assert_no_axe_violations(page, "the pledges export page")
    tab_to(page, "form.org-export button")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    page.goto(organizer_server(f"/organizers/c/{SLUG}/districts.csv"))
    assert_no_axe_violations(page, "the districts export page")


def test_lobby_report_prints_one_page_per_district(
    organizer_server: LiveServer, page: Page
) -> None:
    sign_in(page, organizer_server, f"/organizers/c/{SLUG}/report")
    expect(page.locator("article.packet")).to_have_count(4)
    assert_no_axe_violations(page, "the lobby report")
    # page.pdf() lays the page out with the print stylesheet (no media emulation before it).
    pdf = page.pdf(format="Letter", print_background=False)
    assert pdf.startswith(b"%PDF")
    assert pdf_page_count(pdf) == 4
    # ADVOCACY_SCREENSHOTS=folder keeps the PDF and a print-media screenshot to look at.
    shots = os.environ.get("ADVOCACY_SCREENSHOTS")
    if shots:
        (Path(shots) / "lobby-report.pdf").write_bytes(pdf)
        page.emulate_media(media="print")
        page.screenshot(path=str(Path(shots) / "lobby-report-print.png"), full_page=True)

    page.goto(organizer_server(f"/organizers/c/{SLUG}/report/WA-7"))
    assert_no_axe_violations(page, "the lobby report for one district")
    assert pdf_page_count(page.pdf(format="Letter")) == 1

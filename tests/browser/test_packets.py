"""Lobby packets printed from Chromium: one page per office on US Letter and on A4, whatever
the number of places and words, and the pages axe-clean.

California is stuffed past every cap (packets.py): each of its districts and many cities
with pledges, the longest city names, and long words in Uyghur, Chinese, emoji and
English. ADVOCACY_SCREENSHOTS=folder keeps the PDFs and screenshots to look at.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import factories
import pytest
from organizer_pages import create_organizer, seed_pledges
from playwright.sync_api import Page, expect

from advocacy.db import get_session
from advocacy.organizers import packets
from advocacy.representatives.service import get_directory

from .journeys import SLUG, LiveServer, assert_no_axe_violations, pdf_page_count, sign_in_to

pytestmark = pytest.mark.browser

BASE = f"/organizers/c/{SLUG}"
FORMATS = ("Letter", "A4")
WORDS = (
    "ئۇيغۇرلارنىڭ كىشىلىك ھوقۇقى ئۈچۈن بۇ قانۇننى قوللاڭ، ئائىلەمدىكىلەرنىڭ خەۋىرى يوق. " * 6,
    "我的家人被关押在新疆的集中营里，已经七年没有消息了。请支持维吾尔政策法案。" * 6,
    "🕊️💙 Please act 🙏🏽 " * 30,
    "My grandmother and my two uncles disappeared into the camps in 2017 and we have heard "
    "nothing from them since; please cosponsor the bill and help pass it this year. " * 3,
)


def _stuffed_california() -> list[tuple[Any, ...]]:
    """Three or more pledges in each of California's districts and in each of 40 cities."""
    cities = [f"City {n} of the Golden State with a very long name indeed" for n in range(40)]
    rows = []
    for i in range(200):
        district = 1 + i % 52
        rows.append(("CA", district, cities[i % 40], "", True, WORDS[i % len(WORDS)], i % 7))
    rows += [("CA", None, "Fresno", "", True, WORDS[0], 1) for _ in range(3)]
    return rows


def _texas_of_small_places() -> list[tuple[Any, ...]]:
    """Words from three big cities, and every other district and city small.

    The longest lines a packet prints: "fewer than 3" beside long names.
    """
    rows = []
    for district in (1, 2, 3):
        city = f"Big City {district} of Texas with a name longer than any cap"
        rows += [("TX", district, city, "", True, WORDS[(district + k) % 4], 0) for k in range(3)]
    for district in range(4, 39):
        city = f"Small Town {district} of Texas with a very long name indeed"
        rows.append(("TX", district, city, "", True, WORDS[0], 1))
    rows.append(
        ("TX", None, "Elsewhere in Texas, where the district is not known", "", False, "", 1)
    )
    return rows


@pytest.fixture(scope="module")
def packet_server(live_server: LiveServer) -> Iterator[LiveServer]:
    create_organizer(live_server.app)
    seed_pledges(
        live_server.app,
        [
            *_stuffed_california(),
            *_texas_of_small_places(),
            *[("WA", 7, "Seattle", "", True, "My cousin is detained.", 1) for _ in range(3)],
            *[("WA", 9, "Renton", "", False, "", 2) for _ in range(2)],
            ("WA", None, "Tacoma", "", True, "Alone here.", 3),
        ],
    )
    yield live_server


def _shots() -> Path | None:
    folder = os.environ.get("ADVOCACY_SCREENSHOTS")
    return Path(folder) if folder else None


def _print_pages(page: Page, name: str) -> dict[str, int]:
    """Print the page on Letter and A4; return the number of PDF pages of each."""
    counts = {}
    for paper in FORMATS:
        pdf = page.pdf(format=paper)
        assert pdf.startswith(b"%PDF")
        counts[paper] = pdf_page_count(pdf)
        shots = _shots()
        if shots:
            (shots / f"packets-{name}-{paper}.pdf").write_bytes(pdf)
    return counts


def _nothing_cut(page: Page) -> None:
    """As printed, every office's page holds all its content: the caps, not the cut, fit it.

    Laid out for print at the narrower paper's printable width (A4: 21 cm less the 3 cm
    of side margins packets.css gives), where lines wrap the most.
    """
    viewport = page.viewport_size
    page.set_viewport_size({"width": round(18 / 2.54 * 96), "height": 1000})
    page.emulate_media(media="print")
    cut = page.evaluate(
        """() => [...document.querySelectorAll('article.packet')]
            .filter(a => a.scrollHeight > a.clientHeight + 1)
            .map(a => `${a.id} by ${a.scrollHeight - a.clientHeight}px`)"""
    )
    page.emulate_media(media="null")  # back to the page's own media: page.pdf() prints
    if viewport:
        page.set_viewport_size(viewport)
    assert cut == []


def test_a_state_prints_one_page_per_office_on_letter_and_a4(
    packet_server: LiveServer, page: Page
) -> None:
    sign_in_to(page, packet_server, f"{BASE}/packets/CA")
    with packet_server.app.test_request_context():
        roster = get_directory()
        assert roster is not None
        districts = len(roster.districts("CA"))
    offices = 2 + districts  # both senators, and every district has pledges
    expect(page.locator("article.packet")).to_have_count(offices)
    senate = page.locator("article.packet").first
    expect(senate.locator(".packet__cities li")).to_have_count(packets.MAX_CITIES)
    expect(senate.locator(".packet__districts li")).to_have_count(packets.MAX_DISTRICTS)
    expect(senate.locator(".packet__quote")).to_have_count(packets.MAX_QUOTES)
    expect(senate).to_contain_text(f"and {41 - packets.MAX_CITIES} more places")
    expect(senate.locator(".packet__more").first).to_have_text(
        f"and {52 - packets.MAX_DISTRICTS} more districts; District not known: 3"
    )
    _nothing_cut(page)
    assert _print_pages(page, "CA") == {"Letter": offices, "A4": offices}


def test_one_office_prints_on_one_page(packet_server: LiveServer, page: Page) -> None:
    with packet_server.app.test_request_context():
        roster = get_directory()
        assert roster is not None
        senator = roster.senators("CA")[0]
    sign_in_to(page, packet_server, f"{BASE}/packets/CA/senator/{senator.bioguide}")
    expect(page.locator("h1")).to_have_text(f"Prepared for the office of Senator {senator.name}")
    _nothing_cut(page)
    assert _print_pages(page, "senator") == {"Letter": 1, "A4": 1}
    assert_no_axe_violations(page, "a senator's lobby packet")

    page.goto(packet_server(f"{BASE}/report/CA-12"))
    _nothing_cut(page)
    assert _print_pages(page, "house") == {"Letter": 1, "A4": 1}


@pytest.fixture
def stuffed_content(packet_server: LiveServer) -> Iterator[None]:
    """The campaign's own words at lengths an editor could give them, for one test."""
    with packet_server.app.app_context():
        session = get_session()
        campaign = factories.campaign(session)
        kept = copy.deepcopy(campaign.content)
        stuffed = copy.deepcopy(kept)
        stuffed["ask"]["pledge_statement"] = WORDS[3] * 4
        stuffed["bill"]["status"] = WORDS[3] * 4
        stuffed["bill"]["provisions"] = [WORDS[0] * 2] + [WORDS[3] * 2] * 12
        stuffed.pop("translations", None)  # its provisions no longer match the English
        campaign.content = stuffed
        session.commit()
    try:
        yield
    finally:
        with packet_server.app.app_context():
            session = get_session()
            factories.campaign(session).content = kept
            session.commit()


def test_an_editors_longest_words_still_print_on_one_page(
    packet_server: LiveServer, page: Page, stuffed_content: None
) -> None:
    sign_in_to(page, packet_server, f"{BASE}/packets/CA")
    expect(page.locator(".packet__provisions").first.locator("li")).to_have_count(
        packets.MAX_PROVISIONS
    )
    for state in ("CA", "TX"):
        page.goto(packet_server(f"{BASE}/packets/{state}"))
        offices = page.locator("article.packet").count()
        assert _print_pages(page, f"stuffed-{state}") == {"Letter": offices, "A4": offices}
        _nothing_cut(page)
    texas = page.locator("article.packet").first
    expect(texas).to_contain_text("TX-4: fewer than 3")
    expect(texas).to_contain_text("District not known: fewer than 3")
    expect(texas.locator(".packet__quote")).to_have_count(3)


def test_packet_pages_are_axe_clean_at_a_phones_width_and_a_desktops(
    packet_server: LiveServer, page: Page
) -> None:
    sign_in_to(page, packet_server, f"{BASE}/packets")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (("dashboard", "/"), ("list", "/packets"), ("state", "/packets/WA")):
            page.goto(packet_server(f"{BASE}{path}"))
            assert_no_axe_violations(page, f"the packets page {path} at {width}px")
            shots = _shots()
            if shots:
                page.screenshot(path=str(shots / f"packets-{name}-{width}.png"), full_page=True)
    # Washington: two senators, WA-7 and WA-9 (Renton's two pledges: fewer than 3).
    expect(page.locator("article.packet")).to_have_count(4)
    expect(page.locator("#house-WA-9")).to_contain_text("fewer than 3 constituents")
    assert _print_pages(page, "WA") == {"Letter": 4, "A4": 4}

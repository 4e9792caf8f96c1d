"""Lobby packets: a page per office, Senate (the whole state) and House (a district).

What an office receives: the counts (the district not known counted in the state's),
small numbers hidden, the senator's stance, who leaves it and when; and who may print it.
One printed page per office is checked in Chromium (tests/browser/test_packets.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import factories
import pytest
from editor_pages import new_campaign
from flask import Flask
from organization_pages import IDENTITY, set_identity
from organizer_pages import create_organizer, login, seed_pledges, signed_in_client
from pages import SLUG, page_text, parse

from advocacy.campaigns.content import content_of
from advocacy.campaigns.lifecycle import page_copy
from advocacy.config import ConfigError
from advocacy.congress.members import Legislator
from advocacy.db import get_session
from advocacy.organizers import packets
from advocacy.representatives.service import get_directory

BASE = f"/organizers/c/{SLUG}"
CURTIS = "C001114"  # Sen. John Curtis (UT), sponsor of S. 1542 in the shipped campaign


def _senators(app: Flask, state: str) -> list[Legislator]:
    with app.test_request_context():
        roster = get_directory()
        assert roster is not None
        senators = roster.senators(state)
    assert len(senators) == 2
    return senators


def _pages(html: str) -> dict[str, str]:
    """Each packet's text by its id ("senate-M001111", "house-WA-7")."""
    return {article.attrs["id"]: article.squeezed() for article in parse(html).by_class("packet")}


def _rows(state: str, district: int | None, city: str, n: int, note: str = "") -> list[Any]:
    """n confirmed pledges; the first with a consented note when one is given."""
    return [
        (state, district, city, "", bool(note) and i == 0, note if i == 0 else "", 1)
        for i in range(n)
    ]


# --- the Senate's pages ---------------------------------------------------------------------


def test_a_senators_page_counts_the_whole_state_with_the_district_not_known(app: Flask) -> None:
    client = signed_in_client(app)
    seed_pledges(
        app,
        [
            *_rows("WA", 7, "Seattle", 3, "Words from Seattle."),
            *_rows("WA", 9, "Renton", 4),
            *_rows("WA", None, "Tacoma", 3, "Words from Tacoma, district unknown."),
            *_rows("WA", None, "Spokane", 1, "Words from a lone supporter in Spokane."),
            *_rows("VA", 8, "Arlington", 5),
        ],
    )
    response = client.get(f"{BASE}/packets/WA")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    pages = _pages(response.get_data(as_text=True))
    senators = _senators(app, "WA")
    # One page per office: each senator's, then each House seat's with pledges.
    assert list(pages) == [
        *(f"senate-{s.bioguide}" for s in senators),
        "house-WA-7",
        "house-WA-9",
    ]
    for senator in senators:
        text = pages[f"senate-{senator.bioguide}"]
        assert f"Prepared for the office of Senator {senator.name}" in text
        assert "11 constituents in Washington pledged" in text  # 3 + 4 + 3 + 1
        assert "WA-9: 4" in text and "WA-7: 3" in text
        assert "District not known: 4" in text
        assert "Renton: 4" in text and "Spokane: fewer than 3" in text
        # 11 - 4 - 3 - 3 would give Spokane's one away: one more city is not shown.
        assert ("Seattle: not shown" in text) != ("Tacoma: not shown" in text)
        assert ("Seattle: 3" in text) != ("Tacoma: 3" in text)
        assert "Words from Seattle." in text
        assert "Words from Tacoma, district unknown." in text
        assert "lone supporter" not in text
        assert "Arlington" not in text
    # The House pages count their district only.
    assert "4 constituents in this district pledged" in pages["house-WA-9"]
    assert "District not known" not in pages["house-WA-7"]
    assert "Tacoma" not in pages["house-WA-7"]

    # One senator's page alone.
    one = client.get(f"{BASE}/packets/WA/senator/{senators[0].bioguide}")
    assert list(_pages(one.get_data(as_text=True))) == [f"senate-{senators[0].bioguide}"]
    assert parse(one.get_data(as_text=True)).one("h1").squeezed().endswith(senators[0].name)


def test_a_state_whose_pledges_have_no_district_still_has_its_senators_pages(app: Flask) -> None:
    client = signed_in_client(app)
    seed_pledges(app, _rows("OR", None, "Portland", 3))
    pages = _pages(client.get(f"{BASE}/packets/OR").get_data(as_text=True))
    assert len(pages) == 2 and all(key.startswith("senate-") for key in pages)
    for text in pages.values():
        assert "3 constituents in Oregon pledged" in text
        assert "District not known: 3" in text
    listing = page_text(client.get(f"{BASE}/packets").get_data(as_text=True))
    assert "Oregon (OR): 3 pledges" in listing
    assert "All 2 packets for Oregon" in listing
    assert "with 3 whose district is not known" in listing


# --- small numbers ----------------------------------------------------------------------------


SMALL_PLACES = [
    *_rows("WA", 7, "Seattle", 2, "Words from a city of two."),
    *_rows("WA", 7, "Bellevue", 3, "Words from a city of three."),
    # Seattle has three pledges statewide, but this one is alone in its district.
    *_rows("WA", 9, "Seattle", 1, "Words from a district of one."),
]


def test_a_place_below_the_small_number_is_fewer_than_it_and_its_words_stay_out(
    app: Flask,
) -> None:
    client = signed_in_client(app)
    seed_pledges(app, SMALL_PLACES)
    house = page_text(client.get(f"{BASE}/report/WA-7").get_data(as_text=True))
    assert "5 constituents in this district pledged" in house
    # 5 - 3 would be Seattle's two: Bellevue's count is withheld too.
    assert "Seattle: fewer than 3" in house and "Bellevue: not shown" in house
    assert "Words from a city of three." in house
    assert "city of two" not in house

    lone = page_text(client.get(f"{BASE}/report/WA-9").get_data(as_text=True))
    assert "fewer than 3 constituents in this district pledged" in lone
    assert "district of one" not in lone

    senate = page_text(client.get(f"{BASE}/packets/WA").get_data(as_text=True))
    assert "6 constituents in Washington pledged" in senate
    assert "Seattle: 3" in senate and "WA-9: fewer than 3" in senate
    assert "WA-7: not shown" in senate  # 6 - 5 would be WA-9's one
    assert "Words from a city of three." in senate
    # Statewide Seattle counts three, so words from it may be quoted, unless their
    # district is small: WA-9 has one pledge.
    assert "Words from a city of two." in senate
    assert "district of one" not in senate

    # The dashboard keeps the exact counts.
    dashboard = page_text(client.get(f"{BASE}/").get_data(as_text=True))
    assert "Washington (WA) 6" in dashboard


def test_the_small_number_is_a_setting(make_app: Callable[..., Flask]) -> None:
    app = make_app(LOBBY_SMALL_NUMBER=5)
    client = signed_in_client(app)
    seed_pledges(app, SMALL_PLACES)
    house = page_text(client.get(f"{BASE}/report/WA-7").get_data(as_text=True))
    assert "5 constituents in this district pledged" in house
    assert "Bellevue: fewer than 5" in house and "Seattle: fewer than 5" in house
    assert "Words from a city of three." not in house
    assert 'printed as "fewer than 5"' in house
    senate = page_text(client.get(f"{BASE}/packets/WA").get_data(as_text=True))
    assert "fewer than 5 constituents in Washington pledged" not in senate  # 6
    assert "6 constituents in Washington pledged" in senate
    assert "WA-7: not shown" in senate and "WA-9: fewer than 5" in senate


# --- what the office reads --------------------------------------------------------------------


def test_a_senators_stance_cosponsor_or_asked_to_be_one(app: Flask) -> None:
    client = signed_in_client(app)
    seed_pledges(app, _rows("UT", 1, "Salt Lake City", 3))
    senators = _senators(app, "UT")
    pages = _pages(client.get(f"{BASE}/packets/UT").get_data(as_text=True))
    for senator in senators:
        text = pages[f"senate-{senator.bioguide}"]
        if senator.bioguide == CURTIS:
            assert f"Senator {senator.name} sponsors or cosponsors S. 1542" in text
            assert "not a cosponsor" not in text
        else:
            assert f"Senator {senator.name} is not a cosponsor of S. 1542." in text
            assert "We ask them to cosponsor it, and to help pass H.R. 2635." in text
    assert CURTIS in {s.bioguide for s in senators}
    for text in pages.values():
        assert "What the bill does" in text and "Where the bill stands" in text
        assert "I stand with the Uyghur people" in text  # the ask


def test_the_page_says_who_leaves_it_or_leaves_a_line_to_fill_in(app: Flask) -> None:
    client = signed_in_client(app)
    seed_pledges(app, _rows("WA", 7, "Seattle", 3))
    blank = _pages(client.get(f"{BASE}/report/WA-7").get_data(as_text=True))["house-WA-7"]
    assert "Organization: (left blank, to fill in by hand)" in blank
    assert "Contact: (left blank, to fill in by hand)" in blank
    assert "November 23, 2026 · 119th Congress" in blank

    set_identity(app)
    named = _pages(client.get(f"{BASE}/report/WA-7").get_data(as_text=True))["house-WA-7"]
    assert IDENTITY["name"] in named
    assert "contact@uda.example.org · PO Box 1234, Washington, DC 20013" in named
    assert "left blank" not in named

    # After the 119th Congress ends, the page is dated in the 120th, and asks again.
    app.config["CLOCK"] = lambda: datetime(2027, 1, 5, 15, tzinfo=UTC)
    later = page_text(client.get(f"{BASE}/packets/WA").get_data(as_text=True))
    assert "January 5, 2027 · 120th Congress" in later
    assert "The bill died with the 119th Congress." in later
    assert "to reintroduce or cosponsor it in the 120th Congress" in later


# --- who may print them, and what is not a packet ---------------------------------------------


def test_packets_need_the_campaigns_report_role(app: Flask) -> None:
    owner = signed_in_client(app)
    seed_pledges(app, _rows("WA", 7, "Seattle", 3))
    assert new_campaign(owner, "second-campaign", "A Second Campaign").status_code == 303
    create_organizer(app, "other@example.org", roles={"second-campaign": "viewer"})
    create_organizer(app, "viewer@example.org", roles={SLUG: "viewer"})
    senator = _senators(app, "WA")[0].bioguide
    paths = [
        f"{BASE}/packets",
        f"{BASE}/packets/WA",
        f"{BASE}/packets/WA/senator/{senator}",
        f"{BASE}/report",
        f"{BASE}/report/WA-7",
    ]
    other = app.test_client()
    assert login(other, email="other@example.org").status_code == 303
    viewer = app.test_client()
    assert login(viewer, email="viewer@example.org").status_code == 303
    for path in paths:
        refused = other.get(path)
        assert refused.status_code == 403, path
        assert "Uyghur" not in refused.get_data(as_text=True)
        assert viewer.get(path).status_code == 200, path


def test_unknown_states_and_senators_are_404(app: Flask) -> None:
    client = signed_in_client(app)
    seed_pledges(app, _rows("WA", 7, "Seattle", 3))
    oregon = _senators(app, "OR")[0].bioguide
    for path in ("ZZ", "W", "٧٧", "WA/senator/X000000", f"WA/senator/{oregon}", "DC/senator/X"):
        assert client.get(f"{BASE}/packets/{path}").status_code == 404, path
    # A state without pledges is its senators' pages at zero; lower case is read too.
    pages = _pages(client.get(f"{BASE}/packets/or").get_data(as_text=True))
    assert len(pages) == 2
    assert all("0 constituents in Oregon pledged" in text for text in pages.values())


def test_the_dashboard_links_to_the_packets(app: Flask) -> None:
    client = signed_in_client(app)
    seed_pledges(app)
    html = client.get(f"{BASE}/").get_data(as_text=True)
    links = {a.attrs.get("href") for a in parse(html).find_all("a")}
    assert f"{BASE}/packets" in links
    assert f"{BASE}/packets/WA" in links and f"{BASE}/packets/VA" in links
    listing = client.get(f"{BASE}/packets").get_data(as_text=True)
    hrefs = {a.attrs.get("href") for a in parse(listing).find_all("a")}
    senators = _senators(app, "WA")
    assert {f"{BASE}/packets/WA/senator/{s.bioguide}" for s in senators} <= hrefs
    assert f"{BASE}/report/WA-7" in hrefs and f"{BASE}/packets/AK" in hrefs


def test_the_shipped_campaigns_words_print_whole(app: Flask) -> None:
    with app.app_context():
        content = content_of(factories.campaign(get_session()))
    for moment in (datetime(2026, 11, 23, tzinfo=UTC), datetime(2027, 1, 5, tzinfo=UTC)):
        copy = page_copy(content, moment)
        text = packets.bill_text(content, copy)
        assert text.ask == content.ask.pledge_statement
        assert text.status == copy.status
        assert text.provisions == content.bill.provisions


def test_a_small_number_that_is_no_number_refuses_to_start(
    make_app: Callable[..., Flask],
) -> None:
    for bad in ("0", "three", "-3"):
        with pytest.raises(ConfigError, match="ADVOCACY_LOBBY_SMALL_NUMBER"):
            make_app(LOBBY_SMALL_NUMBER=bad)


def test_no_small_count_can_be_worked_out_from_the_total(app: Flask) -> None:
    client = signed_in_client(app)
    seed_pledges(
        app,
        [
            *_rows("OR", 1, "Portland", 4),
            *_rows("OR", 1, "", 3),  # no city typed: Salem's count is not the remainder
            *_rows("OR", 3, "Salem", 1),
        ],
    )
    text = page_text(client.get(f"{BASE}/packets/OR").get_data(as_text=True))
    assert "8 constituents in Oregon pledged" in text
    # By district, 8 - 7 would be OR-3's one: OR-1 is withheld as well.
    assert "OR-3: fewer than 3" in text and "OR-1: not shown" in text
    # By city, pledges without a city hide the remainder: every big count is printed.
    assert "Portland: 4" in text and "Salem: fewer than 3" in text
    assert '"not shown"' in text  # the page says why

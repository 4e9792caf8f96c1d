"""The January 3, 2027 changeover: the right members and maps on either side of noon Eastern.

The app runs on the shipped snapshot (119th Congress members, 119th ZIP table) against a
fake Census Geocoder that answers by vintage: 1100 Congress Ave, Austin is TX-37 on the
119th map and TX-10 on the 120th. Who sits is derived from the raw snapshot here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from data_files import legislators_bytes, sitting_at, snapshot_directory, zcta_bytes
from fake_census import FakeCensus, running_fake_census
from fake_geocoder import FakeGeocoder
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, submit_pledge

from advocacy.db import get_session
from advocacy.models import Pledge
from advocacy.representatives.finder import RepresentativeFinder
from advocacy.representatives.geocoder import GeocodeResult

BEFORE_NOON = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
NOON = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)
AUSTIN = {"street": "1100 Congress Ave", "city": "Austin", "state": "TX", "zip": "78701"}
THANKS = f"/c/{SLUG}/thanks"


def sitting(kind: str, state: str, moment: datetime, district: int | None = None) -> list[str]:
    """Return the bioguide IDs of members the raw snapshot has sitting at a moment."""
    found = []
    for record in json.loads(legislators_bytes()):
        term = record["terms"][-1]
        if (term["type"], term["state"]) != (kind, state) or not sitting_at(term, moment):
            continue
        if district is None or term.get("district") == district:
            found.append(record["id"]["bioguide"])
    return sorted(found)


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with running_fake_census() as fake:
        yield fake


@pytest.fixture
def clock() -> list[datetime]:
    return [BEFORE_NOON]


@pytest.fixture
def app(make_app: Any, census: FakeCensus, clock: list[datetime]) -> Flask:
    flask_app: Flask = make_app(
        GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=2, CLOCK=lambda: clock[0]
    )
    return flask_app


def by_zip(client: FlaskClient, zip5: str) -> dict[str, Any]:
    response = client.get("/api/v1/representatives", query_string={"zip": zip5})
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def by_address(client: FlaskClient, address: str) -> dict[str, Any]:
    response = client.post("/api/v1/representatives", json={"address": address})
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def ids(body: dict[str, Any], chamber: str) -> list[str]:
    return sorted(m["bioguide"] for m in body["legislators"] if m["chamber"] == chamber)


def vintages(census: FakeCensus) -> list[str]:
    return [query["vintage"][0] for _path, query in census.requests]


# The clock: one second before noon Eastern the 119th sits, at noon the 120th.


def test_a_second_before_noon_the_119th_map_and_members(
    client: FlaskClient, census: FakeCensus
) -> None:
    body = by_address(client, "1100 Congress Ave, Austin, TX 78701")
    assert (body["state"], body["district"], body["congress"]) == ("TX", 37, 119)
    assert vintages(census) == ["ACS2025_Current"]
    assert ids(body, "house") == sitting("rep", "TX", BEFORE_NOON, 37)
    assert ids(body, "senate") == sitting("sen", "TX", BEFORE_NOON)
    assert len(ids(body, "senate")) == 2
    assert body["pending"] == []
    assert body["map_changes_on"] == "2027-01-03"  # Texas votes on a new map


def test_at_noon_the_120th_map_and_no_member_whose_term_ended(
    client: FlaskClient, census: FakeCensus, clock: list[datetime]
) -> None:
    clock[0] = NOON
    body = by_address(client, "1100 Congress Ave, Austin, TX 78701")
    assert (body["state"], body["district"], body["congress"]) == ("TX", 10, 120)
    assert vintages(census) == ["ACS2026_Current"]
    # The members file is the 119th's: every House term ended at noon, and the senator
    # elected in 2020 too. Only the senator whose term continues is shown.
    assert ids(body, "house") == []
    assert ids(body, "senate") == sitting("sen", "TX", NOON)
    assert len(ids(body, "senate")) == 1
    assert body["pending"] == ["house", "senate"]
    assert body["vacant"] is False  # not vacant: not known yet
    assert body["map_changes_on"] is None


def test_the_retiring_member_is_shown_before_noon_and_not_after(
    client: FlaskClient, clock: list[datetime]
) -> None:
    before = {m["bioguide"] for m in by_zip(client, "98105")["legislators"]}
    clock[0] = NOON
    after = {m["bioguide"] for m in by_zip(client, "98105")["legislators"]}
    ended = sitting("rep", "WA", BEFORE_NOON, 7)
    assert set(ended) <= before
    assert not set(ended) & after


# The geocoder: the pinned vintage, and one retry when the other map comes back.


def test_a_wrong_map_answer_is_asked_again_once(
    client: FlaskClient, census: FakeCensus, clock: list[datetime]
) -> None:
    clock[0] = NOON
    census.wrong_map_answers = 1  # the flip seen in the real service
    body = by_address(client, "1100 Congress Ave, Austin, TX 78701")
    assert (body["match"], body["district"], body["fallback"]) == ("address", 10, None)
    assert vintages(census) == ["ACS2026_Current", "ACS2026_Current"]


def test_two_wrong_map_answers_fall_back_to_the_zip_without_a_house_member(
    client: FlaskClient, census: FakeCensus, clock: list[datetime]
) -> None:
    clock[0] = NOON
    census.wrong_map_answers = 2
    body = by_address(client, "1100 Congress Ave, Austin, TX 78701")
    # Its own reason: the service answered, on the wrong map; it is not down.
    assert (body["match"], body["fallback"]) == ("zip", "geocoder_wrong_map")
    # Texas's map changed since our 119th ZIP table: no House member from the ZIP.
    assert body["map_changed"] is True
    assert body["district"] is None and ids(body, "house") == []
    assert ids(body, "senate") == sitting("sen", "TX", NOON)
    # Not an outage, so no pause: the next supporter's address is asked, and found.
    again = by_address(client, "1100 Congress Ave, Austin, TX 78701")
    assert (again["match"], again["district"], again["fallback"]) == ("address", 10, None)
    assert len(census.requests) == 3


# ZIP codes after noon, with the 119th ZIP table: the changed states ask for the street.


@pytest.mark.parametrize(("zip5", "state"), [("78701", "TX"), ("38103", "TN"), ("37203", "TN")])
def test_zip_in_a_changed_state_names_no_house_member(
    client: FlaskClient, clock: list[datetime], zip5: str, state: str
) -> None:
    before = by_zip(client, zip5)
    assert before["district"] is not None and before["map_changed"] is False
    assert before["map_changes_on"] == "2027-01-03"
    clock[0] = NOON
    after = by_zip(client, zip5)
    assert (after["state"], after["district"], after["map_changed"]) == (state, None, True)
    assert ids(after, "house") == []
    assert ids(after, "senate") == sitting("sen", state, NOON)


@pytest.mark.parametrize(
    ("zip5", "seats"),
    [
        ("98105", [("WA", 7)]),
        ("10001", [("NY", 10), ("NY", 12)]),
        # Missouri stays on its 119th lines: the table keeps answering.
        ("64106", [("MO", 5)]),
    ],
)
def test_zip_in_an_unchanged_state_keeps_its_district(
    client: FlaskClient, clock: list[datetime], zip5: str, seats: list[tuple[str, int]]
) -> None:
    clock[0] = NOON
    body = by_zip(client, zip5)
    found = [(c["state"], c["district"]) for c in body.get("candidates", [])] or [
        (body["state"], body["district"])
    ]
    assert found == seats
    assert body["map_changed"] is False and body["map_changes_on"] is None
    # The members file has not caught up: no House member, and no false vacancy.
    assert ids(body, "house") == [] and body["vacant"] is False
    assert "house" in body["pending"]


def test_unchanged_states_are_not_told_their_map_changes(client: FlaskClient) -> None:
    for zip5 in ("98105", "10001", "64106"):
        assert by_zip(client, zip5)["map_changes_on"] is None


# The supporter's page: the notice before, and the look-up made again after noon.


def test_results_page_saved_before_noon_is_looked_up_again_after(
    app: Flask, client: FlaskClient, census: FakeCensus, clock: list[datetime]
) -> None:
    response = submit_pledge(client, **AUSTIN)
    assert response.status_code == 303
    before = client.get(THANKS).get_data(as_text=True)
    assert "Texas has a new congressional map for the 120th Congress" in before
    assert "January 3, 2027" in before
    with app.app_context():
        (pledge,) = get_session().scalars(sa.select(Pledge))
        assert (pledge.state, pledge.district, pledge.congress) == ("TX", 37, 119)

    clock[0] = NOON
    after = client.get(THANKS).get_data(as_text=True)
    assert "The 120th Congress was sworn in at noon Eastern on January 3, 2027" in after
    assert "looked them up again" in after
    assert "house.gov" in after and "senate.gov" in after
    assert "Your pledge is recorded" in after
    assert vintages(census)[-1] == "ACS2026_Current"
    # Nobody whose term ended is offered a letter.
    for bioguide in sitting("rep", "TX", BEFORE_NOON, 37):
        assert f'id="member-{bioguide}"' not in after
    (senator,) = sitting("sen", "TX", NOON)
    assert f'id="member-{senator}"' in after


def test_zip_only_page_after_noon_asks_for_the_street(
    client: FlaskClient, clock: list[datetime]
) -> None:
    clock[0] = NOON
    response = submit_pledge(client, street="", city="", state="", zip="38103")
    assert response.status_code == 303
    page = client.get(THANKS).get_data(as_text=True)
    assert "Tennessee has new congressional districts" in page
    assert "enter your street address below to find your new district" in page
    assert "We found your district from your ZIP code" not in page
    assert 'id="refine-heading">Find your House member from your address' in page


# Missouri: the changed-states table keeps it on its 119th lines, so its addresses are
# looked up on the 119th map even while the 120th sits.


@pytest.fixture
def missouri() -> tuple[RepresentativeFinder, FakeGeocoder]:
    """A finder whose geocoder places every address in Kansas City, MO, on the map asked for."""
    geocoder = FakeGeocoder(
        lambda congress: GeocodeResult("MO", 5, "1200 MAIN ST, KANSAS CITY, MO, 64105", congress)
    )
    return RepresentativeFinder(snapshot_directory(), geocoder, clock=lambda: NOON), geocoder


def test_missouri_address_is_asked_on_the_119th_map(
    missouri: tuple[RepresentativeFinder, FakeGeocoder],
) -> None:
    finder, geocoder = missouri
    lookup = finder.find(street="1200 Main St", zip5="64106")
    assert geocoder.congresses == [119]
    assert (lookup.state, lookup.district, lookup.congress) == ("MO", 5, 120)


def test_missouri_found_without_a_state_is_asked_again_on_its_map(
    missouri: tuple[RepresentativeFinder, FakeGeocoder],
) -> None:
    finder, geocoder = missouri
    lookup = finder.find_oneline("1200 Main St, Kansas City")
    assert geocoder.congresses == [120, 119]
    assert (lookup.state, lookup.district) == ("MO", 5)


# A ZIP table for the 120th map, as an operator would configure it once the Census
# publishes one: the service uses it where it fits and the shipped 119th table elsewhere.


@pytest.fixture
def table_120(tmp_path: Path) -> Path:
    """The shipped table relabelled for the 120th, with Austin and Kansas City moved."""
    rows = zcta_bytes().decode("utf-8-sig").splitlines()
    moved = {"78701": "10", "64106": "6"}  # Missouri's Census 120th geography is not its map
    out = ["state_fips,state_abbr,zcta,cd120"]
    for row in rows[1:]:
        fips, state, zcta, cd = row.split(",")
        out.append(",".join((fips, state, zcta, moved.get(zcta, cd))))
    path = tmp_path / "zccd-120.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_120th_zip_table_answers_where_its_map_is_right(
    make_app: Any, table_120: Path, clock: list[datetime]
) -> None:
    client = make_app(ZCTA_PATH=str(table_120), ZCTA_CONGRESS=120, CLOCK=lambda: clock[0])
    client = client.test_client()
    # Before noon the 119th sits: Texas from the shipped 119th table.
    assert by_zip(client, "78701")["district"] == 37
    clock[0] = NOON
    austin = by_zip(client, "78701")
    assert (austin["district"], austin["map_changed"], austin["congress"]) == (10, False, 120)
    # Missouri keeps its 119th lines: the shipped table answers, not the 120th file.
    assert by_zip(client, "64106")["district"] == 5
    assert by_zip(client, "98105")["district"] == 7


def test_a_zip_table_whose_header_contradicts_the_setting_is_not_used(
    make_app: Any, table_120: Path, clock: list[datetime]
) -> None:
    flask_app = make_app(ZCTA_PATH=str(table_120), ZCTA_CONGRESS=119, CLOCK=lambda: clock[0])
    client = flask_app.test_client()
    # The shipped tables answer instead: never a district from a map nobody can name.
    clock[0] = NOON
    assert by_zip(client, "98105")["district"] == 7
    austin = by_zip(client, "78701")
    assert (austin["district"], austin["map_changed"]) == (None, True)
    status = flask_app.test_cli_runner().invoke(args=["data", "status"])
    assert status.exit_code == 1
    assert "but it was taken for the 119th" in status.output
    assert "the service answers from the shipped snapshot's ZIP tables instead" in status.output


def test_a_configured_table_whose_header_names_its_congress_needs_no_setting(
    make_app: Any, table_120: Path, clock: list[datetime]
) -> None:
    client = make_app(ZCTA_PATH=str(table_120), CLOCK=lambda: clock[0]).test_client()
    clock[0] = NOON
    assert by_zip(client, "78701")["district"] == 10


def test_a_look_up_kept_before_records_named_their_congress_is_made_again(
    missouri: tuple[RepresentativeFinder, FakeGeocoder],
) -> None:
    finder, _geocoder = missouri  # the clock is at noon: the 120th sits
    old = {"match": "zip", "state": "TX", "district": 37, "zip": "78701", "candidates": []}
    lookup = finder.from_record(old)
    assert lookup.relooked_from == 119
    assert (lookup.district, lookup.map_changed) == (None, True)

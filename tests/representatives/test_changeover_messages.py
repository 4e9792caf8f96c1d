"""Every changeover and fallback message on the results page says what is true for its case.

Two layers. First the cases a supporter meets, each a pledge sent through the campaign form
and its results page read as a person reads it (the notice's text, tags stripped), with the
phrases it must say and must not say; the JSON API where it answers the same look-up. Then
every combination the notice template can show, built as look-ups and read against rules
that tie each sentence to the fact it states, so no two sentences contradict.

The app runs on the shipped snapshot against the fake Census Geocoder; the clock is moved
as in test_changeover.py. Names and dates of members come from the raw snapshot.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from data_files import (
    SNAPSHOT_MOMENT,
    ZCTA_FILE,
    a_vacancy,
    full_name,
    raw_legislators,
    senator_records,
    senators,
    snapshot_directory,
)
from fake_census import FakeCensus, running_fake_census
from fake_geocoder import FakeGeocoder
from flask import Flask, render_template
from flask.testing import FlaskClient
from pages import SLUG, hidden_value, submit_pledge

from advocacy.congress.maps import load_map_table
from advocacy.congress.members import Legislator
from advocacy.congress.states import NON_STATES
from advocacy.http import build_session
from advocacy.representatives.directory import Directory, SenateGap
from advocacy.representatives.finder import RepresentativeFinder
from advocacy.representatives.geocoder import CensusGeocoder, GeocodeResult, WrongMapError
from advocacy.representatives.inputs import LookupInputError
from advocacy.representatives.lookup import (
    CandidateSeat,
    Fallback,
    Lookup,
    Match,
    OpenSenateSeat,
)

THANKS = f"/c/{SLUG}/thanks"
TRANSITION = Path(__file__).resolve().parents[1] / "fixtures" / "transition"
BEFORE_NOON = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
NOON = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)
# The 121st Congress sits; no vintage is pinned for it.
IN_2029 = datetime(2029, 2, 1, 15, 0, tzinfo=UTC)
AUSTIN = {"street": "1100 Congress Ave", "city": "Austin", "state": "TX", "zip": "78701"}
SEATTLE = {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98101"}
DC = {"street": "1600 Pennsylvania Ave NW", "city": "Washington", "state": "DC", "zip": "20500"}
ZIP_ONLY = {"street": "", "city": "", "state": ""}


# --- reading the page as a person does ------------------------------------------------------


def notice_text(page: str) -> str:
    """Return the results page's notice as a person reads it: words, no markup."""
    found = re.search(r'<div class="notice" role="status">(.*?)</div>', page, re.S)
    assert found is not None, "the results page has no notice"
    return readable(found.group(1))


def readable(markup: str) -> str:
    """Return markup's text: blocks end in a space, inline tags vanish, spaces collapse."""
    text = re.sub(r"</?(p|ul|li)\b[^>]*>", " ", markup)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def member_ids(page: str) -> list[str]:
    return re.findall(r'<h3 id="member-([A-Z0-9]+)">', page)


# --- facts from the raw snapshot ------------------------------------------------------------


def day_words(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


@dataclass(frozen=True)
class Appointee:
    bioguide: str
    name: str
    ended: str  # "November 3, 2026"


def appointee(state: str) -> Appointee:
    """Return the state's senator whose appointment ended at a special election already held."""
    for record in raw_legislators():
        term = record["terms"][-1]
        if (term["type"], term["state"], term.get("how")) == ("sen", state, "appointment"):
            assert term["end"] < SNAPSHOT_MOMENT.date().isoformat(), "the special election is past"
            return Appointee(
                record["id"]["bioguide"], full_name(record["name"]), day_words(term["end"])
            )
    raise AssertionError(f"no appointed senator for {state} in the snapshot")


FLORIDA, OHIO = appointee("FL"), appointee("OH")


def open_seat_note(state: str, person: Appointee) -> str:
    return (
        f"{state}'s other Senate seat was filled by appointment until the special election of "
        f"{person.ended}: {person.name} held it until then. The winner of that election is not "
        "in our list yet, so there is no letter for that seat here. senate.gov lists every "
        "senator."
    )


def members_file_with(tmp_path: Path, *extra: dict[str, Any]) -> Path:
    """Write the snapshot's members file with more records (a successor, say)."""
    path = tmp_path / "legislators-current.json"
    path.write_text(json.dumps([*raw_legislators(), *extra]), encoding="utf-8")
    return path


def special_election_winner(state: str, start: str) -> dict[str, Any]:
    """Return a made-up winner of the state's special election, sworn in on `start`."""
    return {
        "id": {"bioguide": "Z000999"},
        "name": {"first": "Dana", "last": "Winner", "official_full": "Dana Winner"},
        "terms": [
            {
                "type": "sen",
                "state": state,
                "start": start,
                "end": "2029-01-03",
                "party": "Independent",
                "class": 3,
                "how": "special-election",
                "phone": "202-224-0000",
                "url": "https://www.example.senate.gov",
            }
        ],
    }


# --- the app ------------------------------------------------------------------------------


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with running_fake_census() as fake:
        yield fake


@pytest.fixture
def clock() -> list[datetime]:
    return [SNAPSHOT_MOMENT]


def results_app(make_app: Any, census: FakeCensus, clock: list[datetime], **config: Any) -> Flask:
    app: Flask = make_app(
        GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=2, CLOCK=lambda: clock[0], **config
    )
    return app


def pledge_page(client: FlaskClient, **fields: str) -> str:
    """Pledge through the campaign form and return the results page's HTML."""
    response = submit_pledge(client, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = client.get(THANKS)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def choose(client: FlaskClient, district: str) -> str:
    token = hidden_value(client.get(THANKS).get_data(as_text=True), "csrf_token")
    response = client.post(f"{THANKS}/district", data={"csrf_token": token, "district": district})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return client.get(THANKS).get_data(as_text=True)


# --- the cases a supporter meets ----------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A pledge, the world it is made in, and what its results page must and must not say."""

    fields: dict[str, str]
    expected: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    moment: datetime = SNAPSHOT_MOMENT
    # The clock when the results page is read, when it differs from the pledge's.
    read_at: datetime | None = None
    mode: str = "ok"
    wrong_map_answers: int = 0
    current_current: int = 120
    choice: str | None = None


CASES: dict[str, Case] = {
    # The tester's report: a ZIP code in a redrawn state after noon said "We found your
    # district from your ZIP code" above "a ZIP code alone cannot tell us".
    "zip in a redrawn state after noon": Case(
        {**ZIP_ONLY, "zip": "78701"},
        moment=NOON,
        expected=(
            "Texas has new congressional districts since the 120th Congress was sworn in on "
            "January 3, 2027. A ZIP code alone cannot tell us which new district is yours: "
            "enter your street address below to find your new district. Your senator is "
            "listed below.",
            "The 120th Congress was sworn in on January 3, 2027, and the details of its new "
            "members are still loading into our data. Your pledge is recorded. Below are the "
            "members whose terms continue.",
            "Meanwhile, find your House member on house.gov and your senators on senate.gov, "
            "or come back to this page in a day or two.",
        ),
        forbidden=("We found your district", "votes on", "not answering", "vacant", "You chose"),
    ),
    "zip in a redrawn state before noon": Case(
        {**ZIP_ONLY, "zip": "78701"},
        moment=BEFORE_NOON,
        expected=(
            "We found your district from your ZIP code 78701.",
            "Texas has a new congressional map for the 120th Congress, which is sworn in on "
            "January 3, 2027, so your district may change that day. Come back after that day "
            "to see your district and members in the new Congress.",
        ),
        forbidden=("votes on", "cannot tell us", "still loading", "districts since"),
    ),
    "address answered twice on the wrong map, after noon": Case(
        AUSTIN,
        moment=NOON,
        wrong_map_answers=2,
        expected=(
            "The US Census address service answered with another Congress's district map, "
            "not the one your members were elected on, so we used your ZIP code instead.",
            "A ZIP code alone cannot tell us which new district is yours: try your street "
            "address again below in a few minutes to find your new district.",
        ),
        forbidden=("not answering", "We found your district", "could not match"),
    ),
    "address answered on the wrong map, unchanged state": Case(
        {**SEATTLE, "zip": "98105"},
        wrong_map_answers=2,
        expected=(
            "The US Census address service answered with another Congress's district map, "
            "not the one your members were elected on, so we found your district from your "
            "ZIP code 98105 instead.",
        ),
        forbidden=("not answering", "cannot tell us", "still loading"),
    ),
    "geocoder down, ZIP across districts": Case(
        SEATTLE,
        mode="error500",
        expected=(
            "The US Census address service is not answering right now, so we used your ZIP "
            "code instead.",
            "Your ZIP code 98101 crosses district lines.",
            "We will not guess your House member: choose your district below, or try your "
            "street address again below in a few minutes to find it exactly. Your senators "
            "are listed below.",
        ),
        forbidden=("We found your district", "another Congress", "enter your street address"),
    ),
    "address not matched, ZIP in one district": Case(
        {**SEATTLE, "street": "1 Nowhere Pl", "zip": "98105"},
        expected=(
            "We could not match your street address, so we found your district from your ZIP "
            "code 98105 instead.",
        ),
        forbidden=("We found your district from your ZIP code 98105.", "not answering"),
    ),
    "Florida today: one senator, the other seat's special election": Case(
        {**ZIP_ONLY, "zip": "32301"},
        expected=(
            "We found your district from your ZIP code 32301.",
            open_seat_note("Florida", FLORIDA),
        ),
        forbidden=("still loading", "missing from our data", "vacant", "Your senators are"),
    ),
    "Ohio today: one senator, the other seat's special election": Case(
        {**ZIP_ONLY, "zip": "45202"},
        expected=(open_seat_note("Ohio", OHIO),),
        forbidden=("still loading", "missing from our data", "vacant"),
    ),
    "Florida after noon: new map, open seat, House data behind": Case(
        {**ZIP_ONLY, "zip": "32301"},
        moment=NOON,
        expected=(
            "Florida has new congressional districts since the 120th Congress",
            open_seat_note("Florida", FLORIDA),
            "Meanwhile, find your House member on house.gov, or come back to this page in a "
            "day or two.",
        ),
        forbidden=("missing from our data", "your senators on senate.gov", "We found"),
    ),
    "a page kept from before noon, read after": Case(
        {**ZIP_ONLY, "zip": "98105"},
        moment=BEFORE_NOON,
        read_at=NOON,
        expected=(
            "The 120th Congress was sworn in at noon Eastern on January 3, 2027, after you "
            "first looked up your members. We looked them up again for the new Congress, so "
            "some names may have changed.",
            "The details of the new Congress's members are still loading into our data. Your "
            "district in the new Congress is Washington district 7. Your pledge is recorded.",
        ),
        forbidden=("vacant", "cannot tell us", "has a new congressional map"),
    ),
    "ZIP across a state line, one side redrawn": Case(
        {**ZIP_ONLY, "zip": "82930"},
        moment=NOON,
        expected=(
            "Your ZIP code 82930 crosses district lines.",
            "Part of ZIP code 82930 is in Utah. Utah has new congressional districts since the "
            "120th Congress was sworn in on January 3, 2027. A ZIP code alone cannot tell us "
            "which new district that part is in, so it is not among the districts above: if "
            "you live there, enter your street address below to find your new district.",
        ),
        forbidden=("Your state has new", "We found your district", "Utah-"),
    ),
    "DC address": Case(
        DC,
        expected=(
            "We found your district from your address, which the US Census matched as "
            "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500.",
            "District of Columbia has a non-voting member of the House and no senators.",
        ),
        # There is no address form for a single seat: nothing below to correct.
        forbidden=("correct it below", "street address below", "senators are listed"),
    ),
    "DC, geocoder down, a ZIP code that is one building": Case(
        DC,
        mode="error500",
        expected=(
            "The US Census address service is not answering right now, so we used your state "
            "instead. ZIP code 20500 is not in our list of ZIP code areas",
            "District of Columbia has a single seat in the House, so your state is enough to "
            "find it.",
        ),
        forbidden=("street address below", "senators are listed"),
    ),
    "Wyoming address": Case(
        {"street": "200 W 24th St", "city": "Cheyenne", "state": "WY", "zip": "82001"},
        expected=("We found your district from your address",),
        forbidden=("correct it below",),
    ),
    "a district chosen after noon, its member not listed yet": Case(
        {**ZIP_ONLY, "zip": "10001"},
        moment=NOON,
        choice="NY-10",
        expected=("You chose NY-10.", "still loading into our data"),
        forbidden=("letters go to its member", "vacant", "Your district in the new Congress"),
    ),
    "a ZIP across districts after noon, members not listed yet": Case(
        {**ZIP_ONLY, "zip": "10001"},
        moment=NOON,
        expected=(
            "NY-10, member not listed yet",
            "We will not guess your House member: choose your district below, or enter your "
            "street address below to find it exactly. Your senators are listed below.",
        ),
        forbidden=("vacant", "write to each of these members", "write to all of them"),
    ),
    "writing to every district": Case(
        {**ZIP_ONLY, "zip": "10001"},
        choice="all",
        expected=(
            "You chose to write to the member for each of these districts, and to your senators.",
        ),
        forbidden=("no member listed", "choose your district below"),
    ),
    "the 121st Congress, its map from the default vintage": Case(
        AUSTIN,
        moment=IN_2029,
        current_current=121,
        expected=("We found your district from your address",),
        forbidden=("not answering", "another Congress"),
    ),
    "the 121st Congress, the default vintage still on the 120th map": Case(
        AUSTIN,
        moment=IN_2029,
        current_current=120,
        expected=("answered with another Congress's district map",),
        forbidden=("not answering",),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_results_page_says_what_is_true(
    make_app: Any, census: FakeCensus, clock: list[datetime], name: str
) -> None:
    case = CASES[name]
    census.mode = case.mode  # type: ignore[assignment]
    census.wrong_map_answers = case.wrong_map_answers
    census.current_current = case.current_current
    clock[0] = case.moment
    client = results_app(make_app, census, clock).test_client()
    page = pledge_page(client, **case.fields)
    if case.read_at is not None:
        clock[0] = case.read_at
        page = client.get(THANKS).get_data(as_text=True)
    if case.choice is not None:
        page = choose(client, case.choice)
    text = notice_text(page) + " " + readable(page)
    for phrase in case.expected:
        assert phrase in text, f"{name}: missing {phrase!r} in {notice_text(page)!r}"
    for phrase in case.forbidden:
        assert phrase not in text, f"{name}: should not say {phrase!r}: {notice_text(page)!r}"


def test_a_vacant_seat_is_not_a_member_to_write_to(
    make_app: Any, census: FakeCensus, clock: list[datetime]
) -> None:
    zip5, (state, district) = a_vacancy()
    client = results_app(make_app, census, clock).test_client()
    text = notice_text(pledge_page(client, **{**ZIP_ONLY, "zip": zip5, "state": state}))
    assert "is vacant right now, so there is no House member to write to" in text
    assert "still loading" not in text


# The JSON API for the same look-ups.


def test_the_api_names_the_wrong_map_apart_from_an_outage(
    make_app: Any, census: FakeCensus, clock: list[datetime]
) -> None:
    clock[0] = NOON
    client = results_app(make_app, census, clock).test_client()
    census.wrong_map_answers = 2
    body = client.post("/api/v1/representatives", json=AUSTIN).get_json()
    assert (body["match"], body["fallback"], body["map_changed"]) == (
        "zip",
        "geocoder_wrong_map",
        True,
    )
    census.mode = "error500"
    body = client.post("/api/v1/representatives", json=AUSTIN).get_json()
    assert body["fallback"] == "geocoder_unavailable"


def test_a_one_line_address_without_a_zip_on_the_wrong_map_says_so(
    make_app: Any, census: FakeCensus, clock: list[datetime]
) -> None:
    client = results_app(make_app, census, clock).test_client()
    census.wrong_map_answers = 2
    response = client.post(
        "/api/v1/representatives", json={"address": "1100 Congress Ave, Austin"}
    )
    assert response.status_code == 422
    message = response.get_json()["fields"]["address"]
    assert "another Congress's district map" in message and "not answering" not in message


@pytest.mark.parametrize(
    ("current_current", "match", "fallback"),
    [(121, "address", None), (120, "zip", "geocoder_wrong_map")],
)
def test_the_121st_congress_asks_the_default_vintage_and_checks_its_map(
    make_app: Any,
    census: FakeCensus,
    clock: list[datetime],
    current_current: int,
    match: str,
    fallback: str | None,
) -> None:
    clock[0] = IN_2029
    census.current_current = current_current
    client = results_app(make_app, census, clock).test_client()
    body = client.post("/api/v1/representatives", json=AUSTIN).get_json()
    assert (body["congress"], body["match"], body["fallback"]) == (121, match, fallback)
    if match == "address":
        assert (body["state"], body["district"]) == ("TX", 10)
    assert {query["vintage"][0] for _path, query in census.requests} == {"Current_Current"}
    assert {query["layers"][0] for _path, query in census.requests} == {
        "121st Congressional Districts"
    }


def test_configured_vintages_reach_the_census(census: FakeCensus) -> None:
    census.current_current = 121  # the fake answers a vintage it does not know on this map
    with build_session(retries=0) as session:
        geocoder = CensusGeocoder(session, census.base_url, vintages={121: "ACS2028_Current"})
        result = geocoder.geocode("1100 Congress Ave", "Austin", "TX", "78701", congress=121)
    assert result == GeocodeResult("TX", 10, "1100 CONGRESS AVE, AUSTIN, TX, 78701", 121)
    assert census.requests[-1][1]["vintage"] == ["ACS2028_Current"]


def test_the_api_shows_one_florida_senator_today(
    make_app: Any, census: FakeCensus, clock: list[datetime]
) -> None:
    client = results_app(make_app, census, clock).test_client()
    body = client.get("/api/v1/representatives", query_string={"zip": "32301"}).get_json()
    assert [m["name"] for m in body["legislators"] if m["chamber"] == "senate"] == senators("FL")
    assert body["pending"] == ["senate"]  # its other senator is not in our data


# A successor listed in the members file: the note goes, two senators show.


def test_a_listed_winner_fills_the_seat_and_the_note_goes(
    make_app: Any, census: FakeCensus, clock: list[datetime], tmp_path: Path
) -> None:
    winner = special_election_winner("FL", "2026-11-12")
    path = members_file_with(tmp_path, winner)
    client = results_app(make_app, census, clock, LEGISLATORS_PATH=str(path)).test_client()
    page = pledge_page(client, **{**ZIP_ONLY, "zip": "32301"})
    text = notice_text(page)
    assert "appointment" not in text and "Senate seat" not in text and "senate.gov" not in text
    sitting = {m.bioguide for m in senator_records("FL")}
    assert len(sitting) == 1
    assert {b for b in member_ids(page) if b.startswith(("Z000999", *sitting))} == {
        *sitting,
        "Z000999",
    }
    body = client.get("/api/v1/representatives", query_string={"zip": "32301"}).get_json()
    assert body["pending"] == []
    assert len([m for m in body["legislators"] if m["chamber"] == "senate"]) == 2


def test_a_winner_not_sworn_in_yet_is_named_with_the_day(
    make_app: Any, census: FakeCensus, clock: list[datetime], tmp_path: Path
) -> None:
    path = members_file_with(tmp_path, special_election_winner("FL", "2026-12-01"))
    client = results_app(make_app, census, clock, LEGISLATORS_PATH=str(path)).test_client()
    text = notice_text(pledge_page(client, **{**ZIP_ONLY, "zip": "32301"}))
    assert (
        f"Florida's other Senate seat was filled by appointment until the special election of "
        f"{FLORIDA.ended}: {FLORIDA.name} held it until then. The winner, Dana Winner, takes "
        "the seat on December 1, 2026, so there is no letter for that seat here." in text
    )


# --- the directory: which Senate seats the file leaves open ---------------------------------


def test_the_directory_finds_the_appointments_that_ended_at_a_special_election() -> None:
    directory = snapshot_directory()
    for state, appointed in (("FL", FLORIDA), ("OH", OHIO)):
        (gap,) = directory.senate_gaps(state, SNAPSHOT_MOMENT)
        assert (gap.ended.member.bioguide, gap.by_special_election, gap.successor) == (
            appointed.bioguide,
            True,
            None,
        )
    # Before the election the appointee sits: no gap.
    assert directory.senate_gaps("FL", datetime(2026, 11, 1, tzinfo=UTC)) == []
    # A term that ended with its Congress is the new Congress's data catching up, not a gap.
    assert directory.senate_gaps("TX", NOON) == []
    assert directory.senate_gaps("WA", NOON) == []


def test_a_senator_missing_from_the_file_is_no_gap() -> None:
    # The first 119th build lacks West Virginia's new senator, and the outgoing one is not
    # in it any more: nothing in the file says why, so nothing is said but "loading".
    build = TRANSITION / "legislators-current.2025-01-04.json.gz"
    directory = Directory.from_files(build, ZCTA_FILE)
    assert directory.senate_gaps("WV", datetime(2025, 1, 4, 15, tzinfo=UTC)) == []


# --- the breaker: a wrong map is no outage --------------------------------------------------


def wrong_map(congress: int) -> None:
    raise WrongMapError(f"asked for the {congress}th map, got another")


@dataclass
class RecordingBreaker:
    trips: list[float] = field(default_factory=list)

    def is_open(self) -> bool:
        return bool(self.trips)

    def trip(self, seconds: float) -> None:
        self.trips.append(seconds)


def test_a_wrong_map_does_not_pause_the_geocoder() -> None:
    geocoder, breaker = FakeGeocoder(wrong_map), RecordingBreaker()
    finder = RepresentativeFinder(
        snapshot_directory(), geocoder, clock=lambda: SNAPSHOT_MOMENT, breaker=breaker
    )
    first = finder.find(street="400 Broad St", state="WA", zip5="98105")
    second = finder.find(street="400 Broad St", state="WA", zip5="98105")
    assert (first.fallback, second.fallback) == ("geocoder_wrong_map", "geocoder_wrong_map")
    assert (first.match, first.district) == ("zip", 7)
    assert breaker.trips == [] and len(geocoder.calls) == 2
    with pytest.raises(LookupInputError, match="another Congress's district map"):
        finder.find_oneline("400 Broad St, Seattle")


# --- every combination the notice can show --------------------------------------------------


def person(bioguide: str, chamber: str, state: str, district: int | None) -> Legislator:
    title = (
        "Senator"
        if chamber == "senate"
        else ("Delegate" if state in NON_STATES else "Representative")
    )
    return Legislator(
        bioguide=bioguide,
        name=f"Pat {bioguide}",
        last_name=bioguide,
        chamber=chamber,  # type: ignore[arg-type]
        title=title,
        state=state,
        district=district,
        party="Independent",
        phone="202-225-0000",
        url="https://example.gov",
        contact_form=None,
        address=None,
        office=None,
    )


MAPS = load_map_table()
# (state, district, whole state); None: a ZIP code across a state line.
PLACES: dict[str, tuple[str | None, bool]] = {
    "many districts": ("TX", False),
    "one seat": ("WY", True),
    "no senators": ("DC", True),
    "two states": (None, False),
}
# Senators shown, and the Senate seats the data leaves open: (count, open seat, loading).
SENATES: tuple[tuple[int, str | None, bool], ...] = (
    (2, None, False),
    (1, None, True),
    (1, "special", False),
    (1, "special, winner listed", False),
    (1, "other", False),
    (0, "special", True),
    (0, None, True),
)


def open_seat(kind: str, state: str) -> OpenSenateSeat:
    return OpenSenateSeat(
        state=state,
        senator="Sam Appointee",
        ended_on="November 3, 2026",
        by_special_election=kind.startswith("special"),
        successor="Dana Winner" if "winner" in kind else None,
        successor_from="December 1, 2026" if "winner" in kind else None,
    )


# What the notice knows of the House seat: a district known (its member listed, not listed
# yet, or vacant), or no district (several candidates, or a ZIP code the maps leave open).
KNOWN_SEAT = ("member", "pending", "vacant")
NO_SEAT = ("none", "none pending")


def every_lookup() -> Iterator[Lookup]:
    """Yield every combination of what the notice can say, as the finder could build it."""
    matches: tuple[Match, ...] = ("address", "zip", "state")
    fallbacks: tuple[Fallback | None, ...] = (
        None,
        "geocoder_unavailable",
        "geocoder_wrong_map",
        "address_not_found",
        "geocoder_busy",
    )
    for (
        match,
        fallback,
        place,
        choice,
        map_changed,
        house,
        senate,
        upcoming,
        relooked,
    ) in itertools.product(
        matches,
        fallbacks,
        PLACES,
        ("none", "needs", "chosen", "every"),
        (False, True),
        sorted(set(KNOWN_SEAT + NO_SEAT)),
        SENATES,
        (False, True),
        (False, True),
    ):
        state, whole = PLACES[place]
        with_candidates = choice != "none"
        # What the finder never builds.
        if match == "address" and (fallback or with_candidates or map_changed or not state):
            continue
        if match == "state" and (with_candidates or map_changed or not state):
            continue
        if whole and (with_candidates or map_changed):
            continue
        if state is None and not (with_candidates or map_changed):
            continue
        if map_changed and with_candidates and state is not None:
            continue  # a state is redrawn or not: the redrawn part is another state
        known = choice == "chosen" or (
            choice == "none" and not map_changed and (match != "state" or whole)
        )
        if house not in (KNOWN_SEAT if known else NO_SEAT):
            continue
        behind = relooked or map_changed or house in ("pending", "none pending")
        if upcoming and (state != "TX" or behind):
            continue  # the next Congress's map, told before the changeover
        if state in NON_STATES and senate != SENATES[0]:
            continue  # no senators at all: one Senate case stands for all
        if state is None and senate[1] is not None:
            continue
        yield build_lookup(
            match, fallback, state, whole, choice, map_changed, house, senate, upcoming, relooked
        )
    # The data itself could not be loaded: the service's look-up, new or kept.
    for match in matches:
        yield Lookup(
            match=match, state="TX", district=None, fallback="data_unavailable", zip="78701"
        )


def build_lookup(
    match: Match,
    fallback: Fallback | None,
    state: str | None,
    whole: bool,
    choice: str,
    map_changed: bool,
    house: str,
    senate: tuple[int, str | None, bool],
    upcoming: bool,
    relooked: bool,
) -> Lookup:
    """Build the look-up the finder would return for one combination."""
    pending_house = house in ("pending", "none pending")
    congress = 120 if relooked or map_changed or pending_house else 119
    candidates: tuple[tuple[str, int], ...] = ()
    if choice != "none":
        candidates = ((state, 3), (state, 4)) if state else (("OK", 3), ("WY", 0))
    seats = tuple(
        CandidateSeat(
            s,
            d,
            None
            if pending_house or (house == "vacant" and i == 0)
            else person(f"H00000{i + 2}", "house", s, d),
            pending=pending_house,
        )
        for i, (s, d) in enumerate(candidates)
    )
    district: int | None = None
    shown_state = state
    house_members: list[Legislator] = []
    if choice == "chosen":
        shown_state, district = candidates[0]
        house_members = [seats[0].member] if seats[0].member else []
    elif choice == "every":
        house_members = [seat.member for seat in seats if seat.member is not None]
    elif house in KNOWN_SEAT:
        district = 0 if whole else 10
        if house == "member":
            house_members = [person("H000001", "house", shown_state or "TX", district)]
    count, open_kind, loading = senate
    if state in NON_STATES:
        count, open_kind, loading = 0, None, False
    senate_state = shown_state or "OK"
    shown_senators = [person(f"S00000{i}", "senate", senate_state, None) for i in range(count)]
    pending: list[str] = ["house"] if pending_house else []
    if count < 2 and state not in NON_STATES:
        pending.append("senate")
    silent = fallback in ("geocoder_unavailable", "geocoder_wrong_map", "geocoder_busy")
    new_map = MAPS.row(120, "UT" if state is None else state)
    return Lookup(
        match=match,
        state=shown_state,
        district=district,
        candidates=candidates,
        legislators=tuple(house_members) + tuple(shown_senators),
        matched_address="1 MAIN ST, TOWN, TX, 75001" if match == "address" else None,
        fallback=fallback,
        vacant=house == "vacant",
        zip="" if match == "state" and not silent else "78701",
        chosen=choice == "chosen",
        every_candidate=choice == "every",
        candidate_seats=seats,
        whole_state=whole,
        congress=congress,
        pending=tuple(pending),  # type: ignore[arg-type]
        map_changed=map_changed,
        upcoming=MAPS.row(120, "TX") if upcoming else None,
        relooked_from=congress - 1 if relooked else None,
        new_maps=(new_map,) if map_changed and new_map else (),
        open_senate_seats=(open_seat(open_kind, senate_state),) if open_kind else (),
        senate_loading=loading,
    )


def contradictions(lookup: Lookup, text: str) -> list[str]:
    """Return each rule the notice's text breaks for this look-up."""
    broken: list[str] = []

    def rule(holds: bool, why: str) -> None:
        if not holds:
            broken.append(why)

    def says(phrase: str) -> bool:
        return phrase.lower() in text.lower()

    senators_shown = len(lookup.senators)
    address_form = not lookup.whole_state  # refine.html leaves it out for one seat
    rule("None" not in text and "{" not in text, "template leftovers")
    rule(not re.search(r" [.,;:]|[.,;:][.,;:]", text), "stray punctuation")
    rule(not says("votes on"), "a map is not voted on by the supporter's state")
    sentences = [s for s in re.split(r"(?<=\.) ", text) if len(s) > 30]
    rule(len(sentences) == len(set(sentences)), "a sentence said twice")
    if lookup.fallback == "data_unavailable":
        rule(
            text.endswith("Please come back to this page later to get your letters.")
            and text.count(".") == 3,
            "with no data, nothing else can be said",
        )
        return broken
    rule(says("not answering") == (lookup.fallback == "geocoder_unavailable"), "not answering")
    rule(says("service is busy") == (lookup.fallback == "geocoder_busy"), "busy")
    rule(
        says("another Congress's district map") == (lookup.fallback == "geocoder_wrong_map"),
        "wrong map",
    )
    rule(
        says("could not match your street address") == (lookup.fallback == "address_not_found"),
        "address not found",
    )
    if says("found your district"):
        rule(lookup.district is not None, "found a district that is not known")
        rule(not says("which new district is yours"), "found, and cannot tell")
    for phrase in ("street address below", "correct it below", "street address again below"):
        if says(phrase):
            rule(address_form, f"{phrase!r} with no address form on the page")
    if says("choose your district below"):
        rule(lookup.needs_choice, "asked to choose when it is settled")
    if says("senators are listed below") or re.search(r"to your senators\b", text):
        rule(senators_shown >= 2, "senators (plural) shown")
    if says("senator is listed below") or re.search(r"to your senator\b", text):
        rule(senators_shown == 1, "one senator shown")
    if says("letters go to its member"):
        rule(lookup.house_member is not None, "a letter to a member not shown")
    rule(says("is vacant right now") == lookup.vacant, "vacancy")
    if says("still loading"):
        rule(lookup.house_pending or lookup.senate_loading, "loading without pending data")
    if lookup.house_pending:
        rule(says("still loading") and says("house.gov"), "pending House data unsaid")
    if lookup.senate_loading:
        rule(says("senate.gov"), "pending Senate data unsaid")
    if says("senate.gov"):
        rule(lookup.senate_loading or bool(lookup.open_senate_seats), "senate.gov for no reason")
    rule(
        says("non-voting member of the House and no senators") == (lookup.state in NON_STATES),
        "non-voting",
    )
    if says("new congressional districts since"):
        rule(lookup.map_changed, "new districts without a changed map")
    if lookup.map_changed and not lookup.chosen:
        rule(says("a ZIP code alone cannot tell us"), "changed map unsaid")
    rule(says("has a new congressional map for the") == bool(lookup.upcoming), "upcoming map")
    rule(says("crosses district lines") == bool(lookup.candidates), "candidates")
    if says("We used your state"):
        rule(lookup.match == "state", "state")
    rule(
        says("filled by appointment")
        == any(seat.by_special_election for seat in lookup.open_senate_seats),
        "appointment",
    )
    if says("other Senate seat was filled") or says("other Senate seat changed hands"):
        rule(senators_shown == 1, "'other' seat beside no single senator")
    if says("other Senate seat is missing"):
        rule(bool(lookup.open_senate_seats), "'other' seat missing beside no open seat")
    if says("Senate seats are missing"):
        rule(senators_shown == 0 and not lookup.open_senate_seats, "both seats missing")
    if says("missing from our data"):
        rule(lookup.senate_loading and not lookup.house_pending, "missing Senate seat")
    if says("Your district in the new Congress is"):
        rule(lookup.house_pending and bool(lookup.district), "new district named")
    rule(says("looked them up again") == bool(lookup.relooked_from), "looked up again")
    if says("members whose terms continue"):
        rule(bool(lookup.legislators), "members continuing, none shown")
    rule(says("You chose") == (lookup.chosen or lookup.every_candidate), "choice")
    if says("single seat in the House"):
        rule(lookup.whole_state, "single seat")
    return broken


def test_every_combination_reads_true(app: Flask) -> None:
    checked = 0
    failures: list[str] = []
    with app.test_request_context():
        for lookup in every_lookup():
            text = readable(render_template("pledges/notice.html", lookup=lookup))
            for why in contradictions(lookup, text):
                failures.append(f"{why}: {lookup!r}\n  -> {text}")
            checked += 1
    assert checked > 1000  # the product, not a handful
    assert not failures, f"{len(failures)} of {checked}:\n" + "\n".join(failures[:5])


def test_senate_gap_dates_read_as_days() -> None:
    (gap,) = snapshot_directory().senate_gaps("FL", SNAPSHOT_MOMENT)
    assert isinstance(gap, SenateGap)
    seat = OpenSenateSeat.from_gap(gap)
    assert (seat.ended_on, seat.state_name, seat.senator, seat.successor) == (
        FLORIDA.ended,
        "Florida",
        FLORIDA.name,
        None,
    )

"""RepresentativeFinder on the shipped data snapshot, with a fake geocoder.

Who sits for a seat is read from the raw snapshot (data_files), not written here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from data_files import (
    a_vacancy,
    delegation,
    holder,
    holder_record,
    senators,
    snapshot_directory,
    vacancies_with_zips,
)
from fake_geocoder import FakeGeocoder

from advocacy.representatives.directory import Directory
from advocacy.representatives.finder import RepresentativeFinder
from advocacy.representatives.geocoder import GeocodeResult, GeocoderUnavailableError
from advocacy.representatives.inputs import LookupInputError
from advocacy.representatives.lookup import Lookup

SEATTLE = GeocodeResult("WA", 7, "400 BROAD ST, SEATTLE, WA, 98109", 119)
AUSTIN = GeocodeResult("TX", 37, "1100 CONGRESS AVE, AUSTIN, TX, 78701", 119)
LAKE_UNION = GeocodeResult("WA", None, "2600 FAIRVIEW AVE E, SEATTLE, WA, 98102", 119)

NOV_2026 = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.fixture
def directory() -> Directory:
    return snapshot_directory()


@pytest.fixture
def geocoder() -> FakeGeocoder:
    return FakeGeocoder()


@pytest.fixture
def finder(directory: Directory, geocoder: FakeGeocoder) -> RepresentativeFinder:
    return RepresentativeFinder(directory, geocoder, clock=lambda: NOV_2026)


def names(lookup: Lookup) -> list[str]:
    return [member.name for member in lookup.legislators]


def chambers(lookup: Lookup) -> list[str]:
    return [member.chamber for member in lookup.legislators]


# The street address, through the geocoder.


def test_address_match_gives_exactly_the_three_members(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = SEATTLE
    lookup = finder.find(street="400 Broad St", city="Seattle", state="wa", zip5="98101")
    assert lookup.match == "address"
    assert (lookup.state, lookup.district) == ("WA", 7)
    assert lookup.fallback is None
    assert lookup.matched_address == "400 BROAD ST, SEATTLE, WA, 98109"
    assert chambers(lookup) == ["house", "senate", "senate"]
    assert names(lookup) == delegation("WA", 7)
    assert lookup.candidates == ()
    assert not lookup.vacant
    # The geocoder got what the supporter typed, the state code upper-cased.
    assert geocoder.calls == [
        (
            "address",
            {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98101"}
            | {"congress": 119},
        )
    ]


def test_address_not_found_falls_back_to_the_zip(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = None
    lookup = finder.find(street="1 Nowhere Rd", city="Austin", state="TX", zip5="78701")
    assert lookup.match == "zip"
    assert lookup.fallback == "address_not_found"
    assert (lookup.state, lookup.district) == ("TX", 37)
    assert names(lookup) == delegation("TX", 37)
    assert lookup.matched_address is None


def test_geocoder_down_falls_back_to_the_zip_and_pauses(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = GeocoderUnavailableError("Census geocoder: timed out")
    first = finder.find(street="1100 Congress Ave", city="Austin", state="TX", zip5="78701")
    assert first.match == "zip"
    assert first.fallback == "geocoder_unavailable"
    assert names(first) == delegation("TX", 37)
    assert len(geocoder.calls) == 1

    # The next supporter does not wait for another timeout: the finder skips the geocoder.
    geocoder.answer = AUSTIN
    second = finder.find(street="400 Broad St", city="Seattle", state="WA", zip5="98109")
    assert len(geocoder.calls) == 1
    assert second.match == "zip"
    assert second.fallback == "geocoder_unavailable"
    assert (second.state, second.district) == ("WA", 7)


def test_the_pause_ends(directory: Directory, geocoder: FakeGeocoder) -> None:
    finder = RepresentativeFinder(directory, geocoder, clock=lambda: NOV_2026)
    finder.pause_after_failure = 0.0
    geocoder.answer = GeocoderUnavailableError("Census geocoder: HTTP 503")
    finder.find(street="1100 Congress Ave", zip5="78701")
    geocoder.answer = AUSTIN
    lookup = finder.find(street="1100 Congress Ave", zip5="78701")
    assert len(geocoder.calls) == 2
    assert lookup.match == "address"


def test_address_in_water_falls_back_to_the_zip(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = LAKE_UNION
    lookup = finder.find(street="2600 Fairview Ave E", city="Seattle", state="WA", zip5="98102")
    assert lookup.match == "zip"
    assert lookup.fallback == "address_not_found"
    assert (lookup.state, lookup.district) == ("WA", 7)
    assert names(lookup) == delegation("WA", 7)


def test_at_large_address_match(finder: RepresentativeFinder, geocoder: FakeGeocoder) -> None:
    geocoder.answer = GeocodeResult("WY", 0, "200 W 24TH ST, CHEYENNE, WY, 82001", 119)
    lookup = finder.find(street="200 W 24th St", city="Cheyenne", state="WY", zip5="82001")
    assert (lookup.match, lookup.state, lookup.district) == ("address", "WY", 0)
    assert chambers(lookup) == ["house", "senate", "senate"]
    assert lookup.legislators[0].name == holder("WY", 0)


def test_dc_address_match_gives_the_delegate_only(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = GeocodeResult(
        "DC", 0, "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500", 119
    )
    lookup = finder.find(street="1600 Pennsylvania Ave NW", city="Washington", zip5="20500")
    assert (lookup.match, lookup.state, lookup.district) == ("address", "DC", 0)
    assert names(lookup) == [holder("DC", 0)]
    assert lookup.legislators[0].title == "Delegate"
    assert lookup.senators == []


# ZIP only.


def test_zip_in_one_district(finder: RepresentativeFinder, geocoder: FakeGeocoder) -> None:
    lookup = finder.find(zip5="98105")
    assert (lookup.match, lookup.state, lookup.district) == ("zip", "WA", 7)
    assert lookup.fallback is None
    assert names(lookup) == delegation("WA", 7)
    assert geocoder.calls == []  # no street, no geocoder


def test_zip_spanning_districts_never_guesses_a_house_member(
    finder: RepresentativeFinder,
) -> None:
    lookup = finder.find(zip5="98101", state="WA")
    assert lookup.match == "zip"
    assert lookup.state == "WA"
    assert lookup.district is None
    assert lookup.candidates == (("WA", 7), ("WA", 9))
    assert chambers(lookup) == ["senate", "senate"]
    assert lookup.house_member is None
    assert not lookup.vacant


def test_zip_spanning_states_has_no_state(finder: RepresentativeFinder) -> None:
    lookup = finder.find(zip5="02861")
    assert lookup.state is None
    assert lookup.district is None
    assert lookup.candidates == (("MA", 4), ("RI", 1))
    assert lookup.legislators == ()
    assert lookup.to_api()["state"] is None


def test_state_picks_the_side_of_a_zip_spanning_states(finder: RepresentativeFinder) -> None:
    lookup = finder.find(zip5="02861", state="RI")
    assert (lookup.state, lookup.district) == ("RI", 1)
    assert chambers(lookup) == ["house", "senate", "senate"]
    assert lookup.house_member is not None
    assert lookup.house_member.name == holder("RI", 1)


def test_state_that_disagrees_with_the_zip_is_an_input_error(
    finder: RepresentativeFinder,
) -> None:
    with pytest.raises(LookupInputError) as raised:
        finder.find(zip5="98101", state="OR")
    assert set(raised.value.fields) == {"zip"}
    assert "Washington" in raised.value.fields["zip"]
    assert "Oregon" in raised.value.fields["zip"]


def test_unknown_state_is_an_input_error(finder: RepresentativeFinder) -> None:
    with pytest.raises(LookupInputError) as raised:
        finder.find(zip5="98101", state="XX")
    assert set(raised.value.fields) == {"state"}


@pytest.mark.parametrize("zip5", ["00000", "99999"])
def test_zip_matching_no_district_is_an_input_error(
    finder: RepresentativeFinder, zip5: str
) -> None:
    with pytest.raises(LookupInputError) as raised:
        finder.find(zip5=zip5)
    assert set(raised.value.fields) == {"zip"}
    assert zip5 in raised.value.fields["zip"]


def test_unknown_zip_after_no_match_is_still_an_input_error(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = None
    with pytest.raises(LookupInputError) as raised:
        finder.find(street="1 Main St", city="Nowhere", state="WA", zip5="00000")
    assert set(raised.value.fields) == {"zip"}


def test_zip_outside_the_zcta_file_with_the_geocoder_down_falls_back_to_the_state(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    # 20500 (the White House) is a real ZIP with no ZCTA; the geocoder cannot vouch for it.
    geocoder.answer = GeocoderUnavailableError("Census geocoder: timed out")
    lookup = finder.find(street="1600 Pennsylvania Ave NW", state="DC", zip5="20500")
    assert (lookup.match, lookup.fallback) == ("state", "geocoder_unavailable")
    assert names(lookup) == [holder("DC", 0)]
    # Even while the finder pauses the geocoder.
    other = finder.find(street="1 Federal Plaza", state="WA", zip5="98111")
    assert (other.match, other.state, other.district) == ("state", "WA", None)
    assert chambers(other) == ["senate", "senate"]


def test_zip_outside_the_zcta_file_with_the_geocoder_down_and_no_state_is_an_input_error(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = GeocoderUnavailableError("Census geocoder: timed out")
    with pytest.raises(LookupInputError) as raised:
        finder.find(street="1600 Pennsylvania Ave NW", zip5="20500")
    assert set(raised.value.fields) == {"zip"}


def test_nothing_to_go_on_is_an_input_error(finder: RepresentativeFinder) -> None:
    with pytest.raises(LookupInputError) as raised:
        finder.find()
    assert set(raised.value.fields) == {"zip"}


def test_dc_zip_gives_the_delegate_and_no_senators(finder: RepresentativeFinder) -> None:
    lookup = finder.find(zip5="20001")
    assert (lookup.state, lookup.district) == ("DC", 0)
    assert names(lookup) == [holder("DC", 0)]
    assert lookup.legislators[0].title == "Delegate"
    assert lookup.senators == []


def test_puerto_rico_zip_gives_the_resident_commissioner(finder: RepresentativeFinder) -> None:
    lookup = finder.find(zip5="00901")
    assert (lookup.state, lookup.district) == ("PR", 0)
    assert len(lookup.legislators) == 1
    assert lookup.legislators[0].title == "Resident Commissioner"
    commissioner = holder_record("PR", 0)
    assert commissioner is not None
    assert lookup.legislators[0].bioguide == commissioner.bioguide


def test_guam_zip_outside_the_zcta_file_gives_the_delegate(
    finder: RepresentativeFinder, directory: Directory
) -> None:
    assert directory.seats_by_table("96910") == {}  # the premise: not in zccd.csv
    lookup = finder.find(zip5="96910")
    assert (lookup.match, lookup.state, lookup.district) == ("zip", "GU", 0)
    assert names(lookup) == [holder("GU", 0)]
    assert lookup.legislators[0].title == "Delegate"


@pytest.mark.parametrize(("zip5", "state"), [("82001", "WY"), ("99801", "AK"), ("05001", "VT")])
def test_at_large_states_are_district_zero(
    finder: RepresentativeFinder, zip5: str, state: str
) -> None:
    lookup = finder.find(zip5=zip5)
    assert (lookup.state, lookup.district) == (state, 0)
    assert chambers(lookup) == ["house", "senate", "senate"]
    assert names(lookup) == delegation(state, 0)


# Each seat the snapshot has no member for, with a ZIP that lies wholly inside it.
@pytest.mark.parametrize(("zip5", "seat"), vacancies_with_zips())
def test_vacant_seat_is_said_and_senators_shown(
    finder: RepresentativeFinder, directory: Directory, zip5: str, seat: tuple[str, int]
) -> None:
    # Wholly inside the vacant seat.
    assert directory.seats_by_table(zip5) == {directory.zip_congress: (seat,)}
    lookup = finder.find(zip5=zip5)
    assert (lookup.state, lookup.district) == seat
    assert lookup.vacant
    assert names(lookup) == senators(seat[0])
    assert lookup.to_api()["vacant"] is True


def test_vacant_seat_found_by_address(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    zip5, (state, district) = a_vacancy()
    geocoder.answer = GeocodeResult(state, district, f"1 MAIN ST, TOWN, {state}, {zip5}", 119)
    lookup = finder.find(street="1 Main St", city="Town", state=state, zip5=zip5)
    assert (lookup.match, lookup.district, lookup.vacant) == ("address", district, True)
    assert chambers(lookup) == ["senate", "senate"]


# The state, when the ZIP cannot help.


def test_state_alone_gives_the_senators(finder: RepresentativeFinder) -> None:
    lookup = finder.find(state="TX")
    assert (lookup.match, lookup.state, lookup.district) == ("state", "TX", None)
    assert names(lookup) == senators("TX")


def test_state_alone_for_an_at_large_state_gives_all_three(finder: RepresentativeFinder) -> None:
    lookup = finder.find(state="VT")
    assert (lookup.match, lookup.district) == ("state", 0)
    assert chambers(lookup) == ["house", "senate", "senate"]


# One-line addresses.


def test_oneline_address_match(finder: RepresentativeFinder, geocoder: FakeGeocoder) -> None:
    geocoder.answer = AUSTIN
    lookup = finder.find_oneline("1100 Congress Ave, Austin, TX 78701")
    assert (lookup.match, lookup.state, lookup.district) == ("address", "TX", 37)
    assert lookup.matched_address == "1100 CONGRESS AVE, AUSTIN, TX, 78701"
    assert geocoder.calls == [
        ("oneline", {"address": "1100 Congress Ave, Austin, TX 78701", "congress": 119})
    ]


def test_oneline_falls_back_to_the_zip_and_state_in_the_line(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = GeocoderUnavailableError("Census geocoder: timed out")
    # 02861 spans Massachusetts and Rhode Island: the state in the line picks the side.
    lookup = finder.find_oneline("12 Main St, Pawtucket, RI 02861-1234")
    assert lookup.match == "zip"
    assert lookup.fallback == "geocoder_unavailable"
    assert (lookup.state, lookup.district) == ("RI", 1)
    assert lookup.zip == "02861"


def test_oneline_falls_back_to_the_state_in_the_line(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = None
    lookup = finder.find_oneline("12 Main St, Springfield, IL, 62702")
    assert lookup.match == "zip"
    assert lookup.fallback == "address_not_found"
    assert lookup.state == "IL"
    assert lookup.candidates == (("IL", 13), ("IL", 15))
    assert chambers(lookup) == ["senate", "senate"]


@pytest.mark.parametrize("country", [", USA", " USA", ", United States", ", U.S.A."])
def test_oneline_fallback_reads_a_zip_before_the_country(
    finder: RepresentativeFinder, geocoder: FakeGeocoder, country: str
) -> None:
    # Map apps and autocomplete write the country last.
    geocoder.answer = GeocoderUnavailableError("Census geocoder: timed out")
    lookup = finder.find_oneline(f"12 Main St, Pawtucket, RI 02861{country}")
    assert (lookup.match, lookup.state, lookup.district) == ("zip", "RI", 1)


def test_oneline_without_zip_while_the_geocoder_is_down_says_so(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = GeocoderUnavailableError("Census geocoder: timed out")
    with pytest.raises(LookupInputError) as raised:
        finder.find_oneline("400 Broad St, Seattle")
    message = raised.value.fields["address"]
    assert "ZIP code" in message
    assert "could not find that address" not in message  # nothing was looked up


def test_oneline_without_zip_or_state_is_an_input_error_when_unmatched(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = None
    with pytest.raises(LookupInputError) as raised:
        finder.find_oneline("12 Main St, Springfield")
    assert set(raised.value.fields) == {"address"}
    assert "We could not find that address" in raised.value.fields["address"]


# No answers kept between look-ups (test_geocode_cache_privacy.py has the attack).


def test_the_same_address_again_asks_the_geocoder_again(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = SEATTLE
    first = finder.find(street="400 Broad St", city="Seattle", state="WA", zip5="98101")
    second = finder.find(street="400 Broad St", city="Seattle", state="WA", zip5="98101")
    assert len(geocoder.calls) == 2
    assert second == first
    assert second.match == "address"


def test_a_no_match_again_asks_the_geocoder_again(
    finder: RepresentativeFinder, geocoder: FakeGeocoder
) -> None:
    geocoder.answer = None
    finder.find(street="1 Nowhere Rd", city="Austin", state="TX", zip5="78701")
    second = finder.find(street="1 Nowhere Rd", city="Austin", state="TX", zip5="78701")
    assert len(geocoder.calls) == 2
    assert (second.match, second.fallback) == ("zip", "address_not_found")


# The sitting Congress decides the map.


@pytest.mark.parametrize(
    ("moment", "congress"),
    [
        (datetime(2027, 1, 3, 16, 59, tzinfo=UTC), 119),  # 11:59 in Washington
        (datetime(2027, 1, 3, 17, 1, tzinfo=UTC), 120),  # 12:01 in Washington
        (datetime(2027, 6, 1, tzinfo=UTC), 120),
    ],
)
def test_finder_asks_for_the_sitting_congress_map(
    directory: Directory, geocoder: FakeGeocoder, moment: datetime, congress: int
) -> None:
    finder = RepresentativeFinder(directory, geocoder, clock=lambda: moment)
    geocoder.answer = GeocodeResult("TX", 10, "1100 CONGRESS AVE, AUSTIN, TX, 78701", congress)
    finder.find(street="1100 Congress Ave", city="Austin", state="TX", zip5="78701")
    finder.find_oneline("1100 Congress Ave, Austin, TX 78701")
    assert geocoder.congresses == [congress, congress]


def test_an_address_found_before_noon_is_found_again_on_the_new_map_after(
    directory: Directory, geocoder: FakeGeocoder
) -> None:
    now = [datetime(2027, 1, 3, 16, 0, tzinfo=UTC)]
    finder = RepresentativeFinder(directory, geocoder, clock=lambda: now[0])
    geocoder.answer = AUSTIN
    before = finder.find(street="1100 Congress Ave", city="Austin", state="TX", zip5="78701")
    now[0] = datetime(2027, 1, 3, 18, 0, tzinfo=UTC)
    geocoder.answer = GeocodeResult("TX", 10, "1100 CONGRESS AVE, AUSTIN, TX, 78701", 120)
    after = finder.find(street="1100 Congress Ave", city="Austin", state="TX", zip5="78701")
    assert geocoder.congresses == [119, 120]
    assert (before.district, after.district) == (37, 10)


# The session round trip used by the results page.


def test_lookup_survives_the_session(finder: RepresentativeFinder) -> None:
    lookup = finder.find(zip5="98101")
    again = finder.from_record(lookup.to_record())
    assert again == lookup

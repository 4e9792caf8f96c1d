"""The legislator directory, checked against the data snapshot shipped in the package.

Who holds which seat is read from the raw snapshot (data_files), not written here: the
snapshot is refreshed as members come and go.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from data_files import (
    LEGISLATORS_FILE,
    ZCTA_FILE,
    counts,
    holder,
    holder_record,
    raw_legislators,
    senator_records,
    senators,
    snapshot_directory,
    vacant_seats,
    zcta_bytes,
)

from advocacy.congress.states import NON_STATES, STATE_NAMES
from advocacy.representatives.directory import (
    Directory,
    DirectoryError,
    build_name,
    legislator_from_record,
    parse_zcta,
)

FIFTY_STATES = sorted(set(STATE_NAMES) - NON_STATES)


@pytest.fixture(scope="module")
def directory() -> Directory:
    return snapshot_directory()


def zip_seats(directory: Directory, zip5: str) -> list[tuple[str, int]]:
    """The seats a ZIP touches on the main ZIP table's map, as the finder reads them."""
    return list(directory.seats_by_table(zip5).get(directory.zip_congress, ()))


def test_loads_every_member_and_seat(directory: Directory) -> None:
    assert len(directory) == counts().members
    assert len(FIFTY_STATES) == 50
    # Voting seats plus DC and five territories.
    assert sum(len(directory.districts(state)) for state in STATE_NAMES) == 435 + 6
    assert all(directory.is_known_state(state) for state in STATE_NAMES)
    assert not directory.is_known_state("ZZ")


@pytest.mark.parametrize("state", FIFTY_STATES)
def test_every_state_has_two_senators_sorted_by_name(directory: Directory, state: str) -> None:
    senators = directory.senators(state)
    assert len(senators) == 2
    assert [s.name for s in senators] == sorted(s.name for s in senators)
    assert all(s.chamber == "senate" and s.title == "Senator" for s in senators)
    assert all(s.state == state and s.district is None for s in senators)


def test_single_district_zip_gives_one_member(directory: Directory) -> None:
    assert zip_seats(directory, "98103") == [("WA", 7)]
    member = directory.house_member("WA", 7)
    expected = holder_record("WA", 7)
    assert member is not None and expected is not None
    assert (member.bioguide, member.name) == (expected.bioguide, expected.name)
    assert (member.chamber, member.title, member.party) == (
        "house",
        "Representative",
        expected.party,
    )
    assert [s.name for s in directory.senators("WA")] == senators("WA")


def test_zip_spanning_districts_lists_each_sorted(directory: Directory) -> None:
    assert zip_seats(directory, "98101") == [("WA", 7), ("WA", 9)]
    assert zip_seats(directory, "10001") == [("NY", 10), ("NY", 12)]
    assert len(zip_seats(directory, "91711")) == 6


def test_zip_spanning_states_lists_both_states(directory: Directory) -> None:
    assert zip_seats(directory, "02861") == [("MA", 4), ("RI", 1)]


@pytest.mark.parametrize("zip5", ["00000", "99999", "9810", "98101-1234", ""])
def test_unknown_zip_gives_no_districts(directory: Directory, zip5: str) -> None:
    assert zip_seats(directory, zip5) == []


def test_returned_lists_are_copies(directory: Directory) -> None:
    directory.senators("WA").clear()
    directory.districts("WA").clear()
    assert len(directory.senators("WA")) == 2
    assert len(directory.districts("WA")) == 10


@pytest.mark.parametrize(
    ("state", "zip5"),
    [
        ("WY", "82001"),
        ("AK", "99501"),
        ("VT", "05401"),
        ("ND", "58501"),
        ("SD", "57501"),
        ("DE", "19901"),
    ],
)
def test_at_large_states_use_district_zero(directory: Directory, state: str, zip5: str) -> None:
    assert directory.districts(state) == [0]
    assert zip_seats(directory, zip5) == [(state, 0)]
    member = directory.house_member(state, 0)
    assert member is not None
    assert (member.name, member.district, member.title) == (
        holder(state, 0),
        0,
        "Representative",
    )
    assert len(directory.senators(state)) == 2


@pytest.mark.parametrize(
    ("state", "title", "zip5"),
    [
        ("DC", "Delegate", "20001"),
        ("PR", "Resident Commissioner", "00901"),
        ("GU", "Delegate", None),
        ("VI", "Delegate", None),
        ("AS", "Delegate", None),
        ("MP", "Delegate", None),
    ],
)
def test_dc_and_territories_have_a_non_voting_member_and_no_senators(
    directory: Directory, state: str, title: str, zip5: str | None
) -> None:
    member = directory.house_member(state, 0)
    assert member is not None
    assert (member.state, member.district, member.title, member.chamber) == (
        state,
        0,
        title,
        "house",
    )
    assert directory.senators(state) == []
    assert directory.is_known_state(state)
    assert directory.districts(state) == [0]
    if zip5 is not None:
        assert zip_seats(directory, zip5) == [(state, 0)]


def test_island_areas_have_no_zctas(directory: Directory) -> None:
    # The ZCTA file covers the states, DC and Puerto Rico only: Guam's ZIP is unknown.
    assert zip_seats(directory, "96910") == []


def test_vacant_seats_have_no_member(directory: Directory) -> None:
    # Seats on the ZIP map that no member in the raw file holds.
    for state, district in vacant_seats():
        assert directory.has_seat(state, district)
        assert directory.house_member(state, district) is None
        assert len(directory.senators(state)) == 2


def test_nonexistent_seat_is_not_a_vacancy(directory: Directory) -> None:
    assert not directory.has_seat("WY", 1)
    assert directory.house_member("WY", 1) is None
    assert not directory.is_known_state("ZZ")
    assert directory.senators("ZZ") == []


def test_member_without_official_full_gets_a_built_name() -> None:
    # A newly sworn-in member's record often lacks official_full, phone and website at
    # first. Take such a record from the snapshot (any House member's if none is like that
    # now) and make sure it lacks all three.
    data = raw_legislators()
    record = next(
        (r for r in data if not r["name"].get("official_full")),
        next(r for r in data if r["terms"][-1]["type"] == "rep"),
    )
    first, last = record["name"]["first"], record["name"]["last"]
    record["name"] = {"first": first, "last": last}
    term = record["terms"][-1]
    term.pop("phone", None)
    term.pop("url", None)
    directory = Directory.from_data(data, zcta_bytes().decode("utf-8-sig").splitlines())
    member = directory.get(record["id"]["bioguide"])
    assert member is not None
    assert (member.name, member.last_name, member.state, member.district) == (
        f"{first} {last}",
        last,
        term["state"],
        term["district"],
    )
    # The record has no phone or website: the fields are None, not missing.
    assert member.phone is None and member.url is None


def test_get_finds_members_by_bioguide(directory: Directory) -> None:
    senator = senator_records("WA")[0]
    member = directory.get(senator.bioguide)
    assert member is not None and member.name == senator.name
    assert directory.get("X000000") is None


# How fast look-ups are is measured by scripts/bench_lookup.py, not asserted here: a test
# cannot tell a slow look-up from a busy machine.


@pytest.mark.parametrize(
    ("name", "built"),
    [
        ({"first": "James", "last": "Gallagher"}, "James Gallagher"),
        ({"first": "Sanford", "last": "Bishop", "suffix": "Jr."}, "Sanford Bishop, Jr."),
        ({"first": "Nicholas", "last": "Begich", "suffix": "III"}, "Nicholas Begich III"),
        ({"first": "Harold", "last": "Rogers", "suffix": "Sr."}, "Harold Rogers, Sr."),
        ({"first": "Harold", "last": "Rogers", "suffix": "Sr"}, "Harold Rogers, Sr"),
        (
            {"first": "Charles", "last": "Schumer", "official_full": "Charles E. Schumer"},
            "Charles E. Schumer",
        ),
        (
            {"first": "Maria", "last": "Cantwell", "official_full": "Maria Cantwell"},
            "Maria Cantwell",
        ),
        ({"first": "Ann", "last": "Lee", "official_full": "  "}, "Ann Lee"),
    ],
)
def test_build_name(name: dict[str, str], built: str) -> None:
    assert build_name(name) == built


def _record(**term: object) -> dict[str, object]:
    base = {
        "type": "rep",
        "state": "WA",
        "district": 7,
        "party": "Democrat",
        "start": "2025-01-03",
        "end": "2027-01-03",
    }
    return {
        "id": {"bioguide": "T000001"},
        "name": {"first": "Test", "last": "Member"},
        "terms": [{"type": "rep", "state": "OR", "district": 1}, {**base, **term}],
    }


def test_current_term_is_the_last_one() -> None:
    member = legislator_from_record(_record())
    assert (member.state, member.district) == ("WA", 7)


def test_newer_member_wins_a_doubly_claimed_seat() -> None:
    old = _record(start="2023-01-03")
    new = {**_record(start="2026-06-10"), "id": {"bioguide": "N000001"}}
    d = Directory.from_data([new, old], ["state_fips,state_abbr,zcta,cd", "53,WA,98103,7"])
    member = d.house_member("WA", 7)
    assert member is not None and member.bioguide == "N000001"


@pytest.mark.parametrize(
    "data",
    [
        {"not": "a list"},
        [{"name": {"last": "X"}, "terms": [{"type": "rep", "state": "WA", "district": 1}]}],
        [{"id": {"bioguide": "X1"}, "name": {"last": "X"}, "terms": []}],
        [_record(type="delegate")],
        [_record(district=None)],
        [_record(district="7")],
        [_record(state="Washington")],
    ],
)
def test_malformed_legislators_raise_directory_error(data: object) -> None:
    with pytest.raises(DirectoryError):
        Directory.from_data(data, ["state_fips,state_abbr,zcta,cd"])


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["zip,district", "98103,7"],
        ["state_fips,state_abbr,zcta,cd", "53,WA,9810,7"],
        ["state_fips,state_abbr,zcta,cd", "53,WA,98103,seven"],
        ["state_fips,state_abbr,zcta,cd", "53,WA,98103"],
    ],
)
def test_malformed_zcta_raises_directory_error(lines: list[str]) -> None:
    with pytest.raises(DirectoryError):
        parse_zcta(lines)


def test_zcta_normalises_non_voting_seats_to_zero() -> None:
    lines = ["\ufeffstate_fips,state_abbr,zcta,cd", "11,DC,20001,98", "72,PR,00901,1", ""]
    assert parse_zcta(lines) == {"20001": [("DC", 0)], "00901": [("PR", 0)]}


def test_missing_file_raises_directory_error(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError, match="legislators"):
        Directory.from_files(tmp_path / "absent.json", ZCTA_FILE)
    with pytest.raises(DirectoryError, match="ZCTA"):
        Directory.from_files(LEGISLATORS_FILE, tmp_path / "absent.csv")


def test_malformed_json_file_raises_directory_error(tmp_path: Path) -> None:
    bad = tmp_path / "legislators.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(DirectoryError, match="cannot read legislators"):
        Directory.from_files(bad, ZCTA_FILE)

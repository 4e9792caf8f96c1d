"""Who sits when, read from members' terms: terms change hands at noon Eastern on their
days, a re-elected member sits on through a changeover whatever the file lists first, the
newcomer wins a seat the file briefly gives to two members, and a term must last."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from advocacy.representatives.directory import (
    Directory,
    DirectoryError,
    Term,
    election_day,
    parse_legislators,
    read_data_file,
    terms_from_record,
)

NOON = datetime(2027, 1, 3, 17, 0, tzinfo=UTC)  # the 120th Congress is sworn in
JUST_BEFORE = NOON - timedelta(microseconds=1)
ZCTA = ["state_fips,state_abbr,zcta,cd", "53,WA,98103,7", "53,WA,98101,9", "56,WY,82001,0"]


def term(start: str, end: str, *, kind: str = "rep", state: str = "WA", **more: Any) -> dict:
    found: dict[str, Any] = {"type": kind, "state": state, "start": start, "end": end}
    if kind == "rep":
        found["district"] = more.pop("district", 7)
    return {**found, "party": "Independent", **more}


def record(bioguide: str, *terms: dict[str, Any], last: str = "Member") -> dict[str, Any]:
    return {
        "id": {"bioguide": bioguide},
        "name": {"first": bioguide, "last": last},
        "terms": list(terms),
    }


def directory(*records: dict[str, Any]) -> Directory:
    return Directory.from_data(list(records), ZCTA)


def sitting(d: Directory, moment: datetime, state: str = "WA", district: int = 7) -> str | None:
    member = d.at(moment).house_member(state, district)
    return member.bioguide if member else None


# The 119th Congress's member, who did not run again, and the 120th's newcomer.
OUTGOING = record("O000001", term("2025-01-03", "2027-01-03"))
INCOMING = record("I000001", term("2027-01-03", "2029-01-03"))


def test_the_newcomer_sits_from_noon_exactly_and_the_outgoing_member_until_then() -> None:
    d = directory(INCOMING, OUTGOING)
    assert sitting(d, JUST_BEFORE) == "O000001"
    assert sitting(d, NOON) == "I000001"
    assert d.at(NOON).get("O000001") is None
    assert d.at(JUST_BEFORE).get("I000001") is None


def test_who_sits_is_the_same_whichever_moment_is_asked_first() -> None:
    d = directory(INCOMING, OUTGOING)
    assert sitting(d, NOON) == "I000001"
    assert sitting(d, JUST_BEFORE) == "O000001"
    assert sitting(d, NOON + timedelta(hours=1)) == "I000001"
    e = directory(INCOMING, OUTGOING)
    assert sitting(e, JUST_BEFORE) == "O000001"
    assert sitting(e, NOON) == "I000001"
    assert sitting(e, JUST_BEFORE - timedelta(days=30)) == "O000001"


def test_a_term_covers_its_start_and_not_its_end() -> None:
    (only,) = terms_from_record(OUTGOING)
    assert only.start == datetime(2025, 1, 3, 17, 0, tzinfo=UTC)
    assert only.end == NOON
    assert only.covers(only.start)
    assert not only.covers(only.start - timedelta(microseconds=1))
    assert only.covers(JUST_BEFORE)
    assert not only.covers(NOON)


def test_a_member_re_elected_for_the_first_time_sits_through_the_changeover() -> None:
    # A file merged in December already lists the new term, which starts only at noon.
    reelected = record(
        "R000001", term("2025-01-03", "2027-01-03"), term("2027-01-03", "2029-01-03")
    )
    d = directory(reelected)
    for moment in (datetime(2026, 12, 20, tzinfo=UTC), JUST_BEFORE, NOON):
        assert sitting(d, moment) == "R000001", moment
    assert len(d.at(JUST_BEFORE)) == 1


def test_a_member_re_elected_many_times_sits_through_the_changeover_too() -> None:
    veteran = record(
        "V000001",
        term("2021-01-03", "2023-01-03"),
        term("2023-01-03", "2025-01-03"),
        term("2025-01-03", "2027-01-03"),
        term("2027-01-03", "2029-01-03"),
    )
    d = directory(veteran)
    assert sitting(d, JUST_BEFORE) == sitting(d, NOON) == "V000001"
    # Only the last two terms are kept: older history is not who sits now.
    assert [t.start.year for t in terms_from_record(veteran)] == [2025, 2027]


def test_a_member_moving_seats_sits_for_the_old_seat_until_noon() -> None:
    mover = record(
        "M000001",
        term("2025-01-03", "2027-01-03", district=9),
        term("2027-01-03", "2029-01-03", district=7),
    )
    d = directory(mover)
    assert sitting(d, JUST_BEFORE, district=9) == "M000001"
    assert sitting(d, JUST_BEFORE, district=7) is None
    assert sitting(d, NOON, district=7) == "M000001"
    assert sitting(d, NOON, district=9) is None
    # Read as it is, the directory describes the file: the member in their last term.
    member = d.house_member("WA", 7)
    assert member is not None and member.bioguide == "M000001"


def test_an_earlier_term_in_an_older_shape_does_not_hide_the_last_one() -> None:
    old = {"type": "rep", "state": "WA", "district": 7, "start": "1999-01-06", "end": "bad"}
    member = record("H000001", old, term("2025-01-03", "2027-01-03"))
    (only,) = terms_from_record(member)
    assert only.start.year == 2025
    assert sitting(directory(member), JUST_BEFORE) == "H000001"


@pytest.mark.parametrize("order", ["newcomer first", "newcomer last"])
def test_the_newcomer_wins_a_seat_the_file_gives_to_two_members(order: str) -> None:
    # A special election's winner listed while the member they replace still has a term.
    old = record("O000002", term("2025-01-03", "2027-01-03"))
    new = record("N000002", term("2026-06-10", "2027-01-03"))
    records = [new, old] if order == "newcomer first" else [old, new]
    d = directory(*records)
    assert sitting(d, datetime(2026, 7, 1, tzinfo=UTC)) == "N000002"
    member = d.house_member("WA", 7)
    assert member is not None and member.bioguide == "N000002"
    # Before the special election only the old member held it.
    assert sitting(d, datetime(2026, 6, 1, tzinfo=UTC)) == "O000002"


def test_a_term_that_ends_the_day_it_starts_is_refused() -> None:
    with pytest.raises(DirectoryError, match="ends before it starts"):
        directory(record("Z000001", term("2027-01-03", "2027-01-03")))
    with pytest.raises(DirectoryError, match="ends before it starts"):
        directory(record("Z000002", term("2027-01-03", "2025-01-03")))
    # One day is enough.
    assert len(directory(record("Z000003", term("2027-01-03", "2027-01-04")))) == 1


@pytest.mark.parametrize("bad", [None, "2027-13-01", "soon", 20270103])
def test_a_term_with_a_malformed_date_is_refused(bad: object) -> None:
    with pytest.raises(DirectoryError, match="malformed start date"):
        directory(record("Z000004", {**term("2027-01-03", "2029-01-03"), "start": bad}))
    with pytest.raises(DirectoryError, match="malformed end date"):
        directory(record("Z000005", {**term("2027-01-03", "2029-01-03"), "end": bad}))


def test_a_term_is_a_mapping() -> None:
    with pytest.raises(DirectoryError):
        directory(record("Z000006", term("2023-01-03", "2025-01-03"), "not a term"))


def test_a_roster_is_made_once_per_stretch_between_term_boundaries() -> None:
    d = directory(INCOMING, OUTGOING)
    assert d.at(JUST_BEFORE) is d.at(datetime(2026, 3, 1, tzinfo=UTC))
    assert d.at(NOON) is d.at(NOON + timedelta(days=100))
    assert d.at(NOON) is not d.at(JUST_BEFORE)


def test_a_term_is_its_member_and_its_window() -> None:
    (only,) = terms_from_record(INCOMING)
    assert isinstance(only, Term)
    assert (only.member.bioguide, only.member.district) == ("I000001", 7)
    assert only.member.serving_since == date(2027, 1, 3)


# --- the Senate seats a file leaves open ----------------------------------------------------

ELECTION = datetime(2026, 11, 3, 17, 0, tzinfo=UTC)  # noon on Election Day 2026
AFTER = datetime(2026, 12, 1, tzinfo=UTC)


def senator(bioguide: str, *terms: dict[str, Any]) -> dict[str, Any]:
    return record(bioguide, *terms)


def sen(start: str, end: str) -> dict[str, Any]:
    return term(start, end, kind="sen", state="WA")


# Appointed in 2025 until the special election held with the 2026 general election.
APPOINTED = senator("A000001", sen("2025-01-20", "2026-11-03"))
# The state's other senator, re-elected in 2024.
OTHER = senator("B000001", sen("2025-01-03", "2031-01-03"))


def test_an_appointment_that_ended_at_the_special_election_leaves_its_seat_open() -> None:
    d = directory(APPOINTED, OTHER)
    assert d.senate_gaps("WA", ELECTION - timedelta(microseconds=1)) == []
    for moment in (ELECTION, AFTER):
        (gap,) = d.senate_gaps("WA", moment)
        assert gap.state == "WA"
        assert gap.ended.member.bioguide == "A000001"
        assert gap.by_special_election
        assert gap.successor is None  # the other senator's seat is not this one


def test_a_seat_filled_by_the_special_elections_winner_is_not_open() -> None:
    winner = senator("W000001", sen("2026-11-10", "2027-01-03"))
    d = directory(APPOINTED, OTHER, winner)
    (gap,) = d.senate_gaps("WA", ELECTION)  # the winner is not sworn in yet
    assert gap.successor is not None and gap.successor.member.bioguide == "W000001"
    assert d.senate_gaps("WA", AFTER) == []


def test_a_sitting_senators_next_term_is_their_own_seat_not_a_successor() -> None:
    reelected = senator(
        "B000002", sen("2021-01-03", "2027-01-03"), sen("2027-01-03", "2033-01-03")
    )
    (gap,) = directory(APPOINTED, reelected).senate_gaps("WA", AFTER)
    assert gap.successor is None


def test_when_both_seats_are_open_the_latest_to_end_comes_first() -> None:
    resigned = senator("R000002", sen("2023-01-03", "2026-06-01"))
    gaps = directory(resigned, APPOINTED).senate_gaps("WA", AFTER)
    assert [g.ended.member.bioguide for g in gaps] == ["A000001", "R000002"]
    assert [g.by_special_election for g in gaps] == [True, False]


def test_terms_that_end_with_their_congress_are_no_gap() -> None:
    # The next Congress's data not in yet: said as loading, not as an open seat.
    ended = senator("E000001", sen("2021-01-03", "2027-01-03"))
    assert directory(ended, OTHER).senate_gaps("WA", NOON) == []


def test_a_place_without_senators_has_no_senate_gaps() -> None:
    assert directory(APPOINTED, OTHER).senate_gaps("DC", AFTER) == []


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (2020, date(2020, 11, 3)),
        (2021, date(2021, 11, 2)),  # November 2 is a Tuesday: that very day
        (2022, date(2022, 11, 8)),
        (2023, date(2023, 11, 7)),
        (2024, date(2024, 11, 5)),
        (2025, date(2025, 11, 4)),
        (2026, date(2026, 11, 3)),
        (2027, date(2027, 11, 2)),
        (2028, date(2028, 11, 7)),
        (2029, date(2029, 11, 6)),
    ],
)
def test_election_day_is_the_tuesday_after_the_first_monday_of_november(
    year: int, day: date
) -> None:
    assert election_day(year) == day


# --- what the organizers' pages ask of a roster --------------------------------------------


def test_a_roster_knows_the_maps_seats_held_or_not() -> None:
    roster = directory(INCOMING, OUTGOING).at(JUST_BEFORE)
    assert roster.has_seat("WA", 7) and roster.has_seat("WA", 9) and roster.has_seat("WY", 0)
    assert not roster.has_seat("WA", 8) and not roster.has_seat("WY", 7)
    assert roster.districts("WA") == [7, 9]
    assert roster.districts("WY") == [0]
    assert roster.house_member("WA", 9) is None  # on the map, nobody holds it


# --- reading the files ----------------------------------------------------------------------


def test_every_member_is_read_in_their_last_term() -> None:
    mover = record(
        "M000002", term("2023-01-03", "2025-01-03", district=9), term("2025-01-03", "2027-01-03")
    )
    (member,) = parse_legislators([mover])
    assert (member.bioguide, member.district) == ("M000002", 7)
    with pytest.raises(DirectoryError):
        parse_legislators({"not": "a list"})


def test_a_zip_table_given_without_its_congress_draws_the_119th_map() -> None:
    assert directory(OUTGOING).zip_congress == 119
    assert directory(OUTGOING).seats_by_table("98103") == {119: (("WA", 7),)}


def test_more_zip_tables_are_read_beside_the_main_one(tmp_path: Path) -> None:
    legislators = tmp_path / "legislators.json"
    legislators.write_text(json.dumps([OUTGOING]), encoding="utf-8")
    main, older, same = tmp_path / "main.csv", tmp_path / "older.csv", tmp_path / "same.csv"
    main.write_text("state_fips,state_abbr,zcta,cd\r\n53,WA,98103,7\r\n", encoding="utf-8")
    older.write_text("state_fips,state_abbr,zcta,cd\r\n53,WA,98103,6\r\n", encoding="utf-8")
    same.write_text("state_fips,state_abbr,zcta,cd\r\n53,WA,98103,1\r\n", encoding="utf-8")
    d = Directory.from_files(
        legislators, main, zip_congress=120, more_zip_tables={118: older, 120: same}
    )
    # Newest map first; the main table is not replaced by another given for its Congress.
    assert d.seats_by_table("98103") == {120: (("WA", 7),), 118: (("WA", 6),)}
    assert d.zip_congress == 120


def test_a_broken_gzip_file_is_named_in_the_error(tmp_path: Path) -> None:
    broken = tmp_path / "zccd.csv.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(DirectoryError, match="zccd.csv.gz is not a readable gzip file"):
        read_data_file(broken)

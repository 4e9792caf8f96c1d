"""Reading the two data files into members and seats, with small files written here.

What each member is called and how to reach them comes from their own term; a file that
is not the shape the directory reads is refused with a message saying which member or
line is wrong and how (the operator reads it from `advocacy data refresh` and `status`,
after "legislators file is invalid:"); and a ZIP table is read whole, whatever its line
endings and blank lines.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from advocacy.representatives.directory import (
    Directory,
    DirectoryError,
    members_congress,
    parse_zcta,
    terms_from_record,
)

HEADER = "state_fips,state_abbr,zcta,cd"
ZCTA = [HEADER, "53,WA,98103,7"]
DECEMBER = datetime(2026, 12, 15, 17, 0, tzinfo=UTC)


def term(kind: str = "rep", state: str = "WA", **more: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"type": kind, "state": state}
    if kind == "rep":
        found["district"] = 7
    found.update(start="2025-01-03", end="2027-01-03", party="Independent")
    return {**found, **more}


def record(*terms: Any, bioguide: str = "T000001", **name: Any) -> dict[str, Any]:
    return {
        "id": {"bioguide": bioguide},
        "name": name or {"first": "Terry", "last": "Member"},
        "terms": list(terms) if terms else [term()],
    }


def directory(*records: Any) -> Directory:
    return Directory.from_data(list(records), ZCTA)


def refusal(data: Any) -> str:
    """The message an operator reads for a members file the directory refuses."""
    with pytest.raises(DirectoryError) as refused:
        Directory.from_data(data, ZCTA)
    return str(refused.value)


# --- what each member is called, and how to reach them --------------------------------------


@pytest.mark.parametrize(
    ("state", "district", "title"),
    [
        ("WA", 7, "Representative"),
        ("WY", 0, "Representative"),
        ("DC", 0, "Delegate"),
        ("GU", 0, "Delegate"),
        ("PR", 0, "Resident Commissioner"),
    ],
)
def test_a_house_member_is_titled_by_their_seat(state: str, district: int, title: str) -> None:
    d = directory(record(term(state=state, district=district)))
    member = d.house_member(state, district)
    assert member is not None
    assert (member.title, member.chamber, member.district) == (title, "house", district)


def test_a_senator_is_titled_senator() -> None:
    d = directory(record(term("sen")))
    (senator,) = d.senators("WA")
    assert (senator.title, senator.chamber, senator.district) == ("Senator", "senate", None)


def test_a_members_party_and_contact_details_are_their_last_terms() -> None:
    details = {
        "party": "Democrat",
        "phone": "202-225-3106",
        "url": "https://jayapal.house.gov",
        "contact_form": "https://jayapal.house.gov/contact/",
        "address": "2346 Rayburn House Office Building Washington DC 20515-4707",
        "office": "2346 Rayburn House Office Building",
    }
    old = term(start="2023-01-03", end="2025-01-03", party="Republican", phone="202-555-0100")
    member = directory(record(old, term(**details))).get("T000001")
    assert member is not None
    assert {name: getattr(member, name) for name in details} == details


def test_a_member_the_file_gives_no_party_or_contact_details_has_none() -> None:
    bare = {
        "type": "rep",
        "state": "WA",
        "district": 7,
        "start": "2025-01-03",
        "end": "2027-01-03",
    }
    member = directory(record(bare)).get("T000001")
    assert member is not None
    assert member.party == ""  # the API's "party": "", never null
    assert (member.phone, member.url, member.contact_form, member.address, member.office) == (
        None,
        None,
        None,
        None,
        None,
    )


# --- a members file the directory refuses, and what the operator is told ---------------------


def test_a_file_that_is_not_a_list_of_members_is_refused() -> None:
    assert refusal({"members": []}) == "legislators file must hold a JSON list, not dict"


def test_an_entry_without_terms_is_quoted_in_the_refusal_cut_to_120_characters() -> None:
    entry = {**record(), "bio": {"birthday": "1965-09-21", "gender": "F"}}
    del entry["terms"]
    assert len(str(entry)) > 120
    assert refusal([entry]) == f"legislator entry lacks 'terms': {str(entry)[:120]}"


def test_an_entry_without_an_id_is_quoted_in_the_refusal() -> None:
    entry = record(term(), term())
    del entry["id"]
    assert len(str(entry)) > 120
    assert refusal([entry]) == f"legislator entry lacks 'id': {str(entry)[:120]}"


@pytest.mark.parametrize(
    "entry",
    [
        {**record(term(), term()), "id": {"bioguide": 4000001}},
        {**record(term(), term()), "name": "Terry Member"},
    ],
    ids=["id not text", "name not a table"],
)
def test_an_entry_with_a_malformed_id_or_name_is_refused(entry: dict[str, Any]) -> None:
    assert len(str(entry)) > 120
    message = f"legislator entry has a malformed id or name: {str(entry)[:120]}"
    assert refusal([entry]) == message


@pytest.mark.parametrize("last", ["not a term", None, ["rep", "WA", 7]])
def test_an_entry_whose_last_term_is_not_a_table_is_refused_saying_so(last: Any) -> None:
    entry = record(term(), last)
    message = f"legislator entry has a term that is not a table: {str(entry)[:120]}"
    assert refusal([entry]) == message


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (record(term(state="Washington")), "current term has a malformed state 'Washington'"),
        (record(first="Terry", last="  "), "name has no last name"),
        (record(term(district=-1)), "House term has a malformed district -1"),
        (record(term(district=True)), "House term has a malformed district True"),
        (record(term(district="7")), "House term has a malformed district '7'"),
        (record(term("delegate")), "current term has unknown type 'delegate'"),
        (record(term(start="soon")), "term has a malformed start date 'soon'"),
        (record(term(end=None)), "term has a malformed end date None"),
        (
            record(term(start="2023-01-03", end="2025-01-03"), term(start=None)),
            "term has a malformed start date None",
        ),
    ],
    ids=[
        "state",
        "last name",
        "negative district",
        "true district",
        "district as text",
        "type",
        "start",
        "end",
        "start after an earlier term",
    ],
)
def test_a_malformed_member_is_named_with_what_is_wrong(
    entry: dict[str, Any], message: str
) -> None:
    assert refusal([record(bioguide="G000001"), entry]) == f"T000001: {message}"


# --- history in the file --------------------------------------------------------------------


def test_an_earlier_entry_that_is_not_a_term_does_not_hide_the_member() -> None:
    member = directory(record("not a term", term())).get("T000001")
    assert member is not None and member.serving_since == date(2025, 1, 3)


@pytest.mark.parametrize(
    ("next_start", "unbroken"),
    [("2023-02-03", True), ("2023-02-04", False)],
    ids=["31 days apart", "32 days apart"],
)
def test_terms_up_to_31_days_apart_are_unbroken_service(next_start: str, unbroken: bool) -> None:
    # A vote during the earlier term: thanked for it only if they have served since.
    earlier = term(start="2021-01-03", end="2023-01-03")
    member = directory(record(earlier, term(start=next_start, end="2025-01-03"))).get("T000001")
    assert member is not None
    assert member.could_vote_on(date(2022, 6, 1)) is unbroken


def test_the_congress_a_file_describes_counts_each_house_members_latest_term() -> None:
    # Re-elected in November, their new term listed in December: the 120th Congress's file.
    reelected = record(term(), term(start="2027-01-03", end="2029-01-03"))
    terms = terms_from_record(reelected)
    assert [t.start.year for t in terms] == [2025, 2027]
    assert members_congress(terms) == 120
    assert members_congress(reversed(terms)) == 120


# --- the ZIP table --------------------------------------------------------------------------


def zcta_refusal(lines: list[str]) -> str:
    with pytest.raises(DirectoryError) as refused:
        parse_zcta(lines)
    return str(refused.value)


@pytest.mark.parametrize(
    "header",
    [
        "state_fips,state_abbr,zcta,district",
        "fips,state,zip,cd",
        "state_fips,state_abbr,zcta,cd,population",
        "state_fips,state_abbr,zcta",
    ],
)
def test_a_zip_table_with_another_header_is_refused_naming_the_one_expected(header: str) -> None:
    message = zcta_refusal([header, "53,WA,98103,7"])
    assert message == f"ZCTA file header must be {HEADER}, got {header.split(',')}"


@pytest.mark.parametrize(
    ("row", "cells"),
    [
        ("53,WAS,98103,7", "['53', 'WAS', '98103', '7']"),
        ("53,WA,98103,-1", "['53', 'WA', '98103', '-1']"),
        ("53,WA,9810A,7", "['53', 'WA', '9810A', '7']"),
        ("53,WA,98103,seven", "['53', 'WA', '98103', 'seven']"),
        ("53,WA,98103", "['53', 'WA', '98103']"),
    ],
)
def test_a_malformed_row_is_refused_naming_its_line(row: str, cells: str) -> None:
    assert zcta_refusal([HEADER, "53,WA,98101,9", row]) == (
        f"ZCTA file line 3 is malformed: {cells}"
    )


def test_a_blank_line_does_not_end_the_zip_table() -> None:
    seats = parse_zcta([HEADER, "53,WA,98103,7", "", "56,WY,82001,0"])
    assert seats == {"98103": [("WA", 7)], "82001": [("WY", 0)]}


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["CRLF", "LF", "CR"])
def test_a_zip_table_file_is_read_whatever_its_line_endings(tmp_path: Path, newline: str) -> None:
    legislators = tmp_path / "legislators.json"
    legislators.write_text(
        '[{"id": {"bioguide": "T000001"}, "name": {"last": "Member"}, '
        '"terms": [{"type": "rep", "state": "WA", "district": 7, '
        '"start": "2025-01-03", "end": "2027-01-03"}]}]',
        encoding="utf-8",
    )
    table = tmp_path / "zccd.csv"
    table.write_bytes(newline.join([HEADER, "53,WA,98103,7", "56,WY,82001,0", ""]).encode())
    d = Directory.from_files(legislators, table)
    assert d.seats_by_table("98103") == {119: (("WA", 7),)}
    assert d.seats_by_table("82001") == {119: (("WY", 0),)}


def test_a_place_with_no_seat_has_no_districts() -> None:
    d = directory(record())
    assert d.districts("WA") == [7]
    assert d.districts("ZZ") == []
    assert d.at(DECEMBER).districts("ZZ") == []

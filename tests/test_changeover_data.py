"""The data files across a changeover: which Congress each describes, what a new Congress's
first builds look like, and a ZIP table checked against the changed-states table.

The members files are the three real builds from the last changeover (118th → 119th) in
tests/fixtures/transition; the ZIP tables are the shipped snapshot's, redrawn where a test
needs a new map. `responses` is the web.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from data_files import legislators_bytes, zcta_bytes
from flask import Flask

from advocacy.http import build_session
from advocacy.representatives.datafiles import (
    LEGISLATORS_URL,
    ZCTA_URL,
    DataFileError,
    DataLocation,
    compare_zip_tables,
    locations,
    refresh,
    status,
    validate_legislators,
    validate_zcta,
    zip_table_congress,
)
from advocacy.representatives.directory import Seat
from advocacy.representatives.maps import parse_map_table

TRANSITION = Path(__file__).resolve().parent / "fixtures" / "transition"
# The last changeover: the 119th Congress was sworn in at noon Eastern on January 3, 2025.
BEFORE_NOON_2025 = datetime(2025, 1, 3, 16, 59, 59, tzinfo=UTC)
NOON_2025 = datetime(2025, 1, 3, 17, 0, 0, tzinfo=UTC)
LATER_2025 = datetime(2025, 1, 22, 18, 0, tzinfo=UTC)
# The next: the 120th, on January 3, 2027.
BEFORE_NOON_2027 = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
NOON_2027 = datetime(2027, 1, 3, 17, 0, 0, tzinfo=UTC)

# The states map_changes.toml gives a new map for the 120th, and the one it keeps.
NEW_MAPS_120 = {"AL", "CA", "FL", "LA", "NC", "OH", "TN", "TX", "UT"}
CHANGED_NAMES = (
    "Alabama, California, Florida, Louisiana, North Carolina, Ohio, Tennessee, Texas and Utah"
)
ZCTA = zcta_bytes()
AGAIN_LATER = "run `advocacy data refresh` again later"


@cache
def build(day: str) -> bytes:
    """Return a real `legislators-current.json` build from around the last changeover."""
    return gzip.decompress((TRANSITION / f"legislators-current.{day}.json.gz").read_bytes())


def redrawn(states: set[str], header: str = "cd") -> bytes:
    """The snapshot's ZIP table with each listed state's districts renumbered: a new map."""
    rows = list(csv.reader(io.StringIO(ZCTA.decode("utf-8-sig"), newline="")))
    seats: defaultdict[str, int] = defaultdict(int)
    for _fips, state, _zcta, cd in rows[1:]:
        seats[state] = max(seats[state], int(cd))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*rows[0][:3], header])
    for fips, state, zcta, cd in rows[1:]:
        if state in states:
            cd = str(int(cd) % seats[state] + 1)  # every district's number moves by one
        writer.writerow([fips, state, zcta, cd])
    return out.getvalue().encode()


TABLE_120 = redrawn(NEW_MAPS_120 | {"MO"})


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with build_session(retries=0) as s:
        yield s


@pytest.fixture
def web() -> Iterator[responses.RequestsMock]:
    """The web for a refresh; a request to anything not registered fails."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def places(tmp_path: Path) -> list[DataLocation]:
    return locations(tmp_path / "instance")


def at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


# The members file: the real builds from the last changeover.


def test_the_last_build_before_the_changeover_describes_the_old_congress() -> None:
    summary = validate_legislators(build("2024-12-18"), datetime(2024, 12, 18, tzinfo=UTC))
    assert (summary.members, summary.senators, summary.representatives) == (536, 100, 436)
    assert summary.congress == 118 and summary.sitting == 118
    assert not any("senator" in w or "ended" in w for w in summary.warnings)
    assert "describes the 118th Congress" in summary.describe()


def test_the_old_congress_file_at_noon_has_ended_terms_and_says_so() -> None:
    content = build("2024-12-18")
    assert not any("ended" in w for w in validate_legislators(content, BEFORE_NOON_2025).warnings)
    summary = validate_legislators(content, NOON_2025)
    # 436 House terms and 33 Senate terms (class 1) ended at noon on January 3, 2025.
    assert "469 members' terms have ended; they are not shown" in summary.warnings
    assert summary.describe().startswith(
        "536 members: 100 senators, 436 House members; describes the 118th Congress; "
        f"the 119th has sat since 2025-01-03 12:00 ET: {AGAIN_LATER}"
    )


def test_the_first_build_of_a_new_congress_is_accepted_with_its_gaps() -> None:
    summary = validate_legislators(build("2025-01-04"), NOON_2025)
    assert summary.congress == 119 and summary.sitting == 119
    assert (summary.senators, summary.representatives) == (99, 440)
    assert summary.warnings == (
        "West Virginia has one senator",
        "472 members have no phone number or office address",
        "73 members have no website or contact form",
    )
    described = summary.describe()
    assert "describes the 119th Congress; warning: West Virginia has one senator" in described
    assert "has sat since" not in described


def test_a_new_congress_file_before_noon_warns_of_terms_that_start_later() -> None:
    summary = validate_legislators(build("2025-01-04"), BEFORE_NOON_2025)
    assert summary.congress == 119 and summary.sitting == 118
    assert (
        "472 members' terms start later (the first on 2025-01-03); until then they are not "
        "shown, or are shown in the term before"
    ) in summary.warnings
    assert "describes the 119th Congress, which sits from 2025-01-03 12:00 ET" in (
        summary.describe()
    )


def test_the_build_weeks_later_is_complete_again() -> None:
    summary = validate_legislators(build("2025-01-22"), LATER_2025)
    assert summary.congress == 119
    assert (summary.senators, summary.representatives) == (100, 440)
    assert summary.warnings == ()


def test_a_state_with_three_senators_is_rejected() -> None:
    data = json.loads(build("2025-01-22"))
    moved = next(
        r for r in data if r["terms"][-1]["type"] == "sen" and r["terms"][-1]["state"] != "WV"
    )
    moved["terms"][-1]["state"] = "WV"
    with pytest.raises(DataFileError, match="wrong number of senators: WV 3"):
        validate_legislators(json.dumps(data).encode(), LATER_2025)


def test_a_malformed_term_date_is_rejected() -> None:
    data = json.loads(build("2025-01-22"))
    data[0]["terms"][-1]["end"] = "soon"
    with pytest.raises(DataFileError, match="malformed end date"):
        validate_legislators(json.dumps(data).encode(), LATER_2025)


# Refreshing the members file across a changeover.


def test_a_refresh_of_an_older_congress_than_the_sitting_one_says_so(
    make_app: Any, web: responses.RequestsMock
) -> None:
    # Noon, January 3, 2027: congress-legislators still serves the 119th until it merges.
    app: Flask = make_app(CLOCK=at(NOON_2027))
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=ZCTA)

    result = app.test_cli_runner().invoke(args=["data", "refresh"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("At 2027-01-03 17:00 UTC the 120th Congress sits; ")
    members = line_for(result.output, "members of Congress")
    assert (
        f"describes the 119th Congress; the 120th has sat since 2027-01-03 12:00 ET: {AGAIN_LATER}"
    ) in members
    assert "members' terms have ended; they are not shown" in members
    zips = line_for(result.output, "ZIP-to-district table")
    assert "describes the 119th Congress; the 120th has sat since 2027-01-03 12:00 ET: " in zips
    assert "`advocacy data refresh --zcta-congress 120`" in zips
    # Status says the same, per file.
    status_output = app.test_cli_runner().invoke(args=["data", "status"]).output
    assert "the 120th has sat since" in line_for(status_output, "members of Congress")
    assert "the 120th has sat since" in line_for(status_output, "ZIP-to-district table")


def test_the_same_refresh_a_second_before_noon_is_current(
    make_app: Any, web: responses.RequestsMock
) -> None:
    app: Flask = make_app(CLOCK=at(BEFORE_NOON_2027))
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=ZCTA)
    result = app.test_cli_runner().invoke(args=["data", "refresh"])
    assert result.exit_code == 0, result.output
    assert "the 119th Congress sits" in result.output
    assert "has sat since" not in result.output


def test_a_refresh_never_replaces_a_newer_congress_with_an_older_one(
    session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    legislators = places[0].downloaded
    legislators.parent.mkdir(parents=True)
    legislators.write_bytes(build("2025-01-04"))
    web.get(LEGISLATORS_URL, body=build("2024-12-18"))  # a stale mirror, say
    web.get(ZCTA_URL, body=ZCTA)

    members, zips = refresh(session, places, now=NOON_2025)

    assert zips.ok and not members.ok and not members.updated
    assert members.error == (
        "the download describes the 118th Congress, older than the 119th the copy in use describes"
    )
    assert legislators.read_bytes() == build("2025-01-04")
    assert members.describe().endswith(
        f"the earlier copy {legislators} (the 119th Congress) is still in use"
    )


def test_a_refresh_of_the_same_congress_with_its_gaps_replaces_the_copy(
    session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=build("2025-01-04"))
    web.get(ZCTA_URL, body=ZCTA)
    # The snapshot in use describes the 119th as well; West Virginia's gap is no reason
    # to keep it.
    members, _zips = refresh(session, places, now=NOON_2025)
    assert members.ok and members.summary is not None
    assert "warning: West Virginia has one senator" in members.describe()


# The ZIP table: which Congress's map it draws.


def test_a_table_offered_for_the_120th_that_draws_the_119th_map_is_rejected(
    app: Flask, web: responses.RequestsMock
) -> None:
    web.get(ZCTA_URL, body=ZCTA)  # us-zipcodes-congress, not updated for the 120th
    web.get(LEGISLATORS_URL, body=legislators_bytes())

    result = app.test_cli_runner().invoke(args=["data", "refresh", "--zcta-congress", "120"])

    assert result.exit_code == 1
    assert "ZIP-to-district table for the 120th Congress" in result.output
    line = line_for(result.stderr, "ZIP-to-district table")
    assert (
        f"the table for the 120th draws {CHANGED_NAMES} exactly as the 119th map: "
        "it is probably a 119th table"
    ) in line
    assert line.endswith("(the 119th Congress) is still in use")
    assert not (Path(app.instance_path) / "zccd.csv").exists()


def test_a_table_for_the_120th_is_taken_and_recorded_beside_the_copy(
    session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=TABLE_120)

    _members, zips = refresh(session, places, now=BEFORE_NOON_2027, zcta_congress=120)

    assert zips.ok, zips.error
    assert zips.summary is not None and zips.summary.congress == 120
    assert "describes the 120th Congress, which sits from 2027-01-03 12:00 ET" in (zips.describe())
    # Missouri's 120th Census lines are not its map: the service keeps the 119th's.
    assert zips.summary.notes == (
        f"the table draws Missouri unlike the 119th map ({missouri_moved()} ZIP areas moved), "
        "but Missouri stays on its previous lines: the service keeps using the 119th lines "
        "for Missouri",
    )
    assert zips.summary.warnings == ()
    assert zip_table_congress(places[1]) == 120
    sidecar = json.loads(places[1].sidecar.read_text("utf-8"))
    assert (sidecar["congress"], sidecar["url"]) == (120, ZCTA_URL)
    # Status reads the Congress from the sidecar.
    assert status(places, NOON_2027)[1].summary == replace(zips.summary, sitting=120)


def missouri_moved() -> str:
    """How many of Missouri's ZIP areas `redrawn` moves wholly, counted from the raw rows."""
    before: defaultdict[str, set[str]] = defaultdict(set)
    after: defaultdict[str, set[str]] = defaultdict(set)
    for table, found in ((ZCTA, before), (TABLE_120, after)):
        for row in csv.DictReader(io.StringIO(table.decode("utf-8-sig"), newline="")):
            if row["state_abbr"] == "MO":
                found[row["zcta"]].add(row["cd"])
    moved = sum(1 for z in before if not before[z] & after[z])
    return f"{moved} of {len(before)}"


def test_a_later_refresh_of_the_119th_table_does_not_replace_the_120th(
    session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=TABLE_120)
    assert refresh(session, places, now=NOON_2027, zcta_congress=120)[1].ok
    web.replace(responses.GET, ZCTA_URL, body=ZCTA)

    _members, zips = refresh(session, places, now=NOON_2027)  # the default: the 119th

    assert not zips.ok
    assert zips.error == (
        "the download describes the 119th Congress, older than the 120th the copy in use describes"
    )
    assert places[1].downloaded.read_bytes() == TABLE_120
    assert zip_table_congress(places[1]) == 120


def test_a_table_not_listed_as_changed_that_moves_a_lot_is_a_warning(
    session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=redrawn(NEW_MAPS_120 | {"VA"}))
    _members, zips = refresh(session, places, now=NOON_2027, zcta_congress=120)
    assert zips.ok and zips.summary is not None
    (warning,) = zips.summary.warnings
    assert "ZIP areas in Virginia to other districts than the 119th map" in warning
    assert "lists no new map for Virginia" in warning
    assert f"warning: {warning}" in zips.describe()


def test_a_header_naming_the_congress_is_read_and_must_agree() -> None:
    table = redrawn(NEW_MAPS_120, header="cd120")
    assert validate_zcta(table, None, NOON_2027).congress == 120
    assert validate_zcta(table, 120, NOON_2027).congress == 120
    with pytest.raises(DataFileError, match=r"header names the 120th Congress \(cd120\)"):
        validate_zcta(table, 119, NOON_2027)
    # The snapshot's table under a 120th header is still the 119th map.
    with pytest.raises(DataFileError, match="probably a 119th table"):
        validate_zcta(ZCTA.replace(b"zcta,cd\r\n", b"zcta,cd120\r\n", 1), None, NOON_2027)


def test_a_refresh_writes_the_plain_header_the_directory_reads(
    session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=redrawn(NEW_MAPS_120, header="cd120"))
    assert refresh(session, places, now=NOON_2027, zcta_congress=120)[1].ok
    written = places[1].downloaded.read_bytes()
    assert written == redrawn(NEW_MAPS_120)
    assert zip_table_congress(places[1]) == 120


def test_a_configured_table_draws_the_congress_the_setting_names(tmp_path: Path) -> None:
    path = tmp_path / "zips.csv"
    path.write_bytes(redrawn(NEW_MAPS_120))
    assert zip_table_congress(locations(tmp_path, zcta_path=path, zcta_congress=120)[1]) == 120
    assert zip_table_congress(locations(tmp_path, zcta_path=path)[1]) == 119
    path.write_bytes(redrawn(NEW_MAPS_120, header="cd120"))
    assert zip_table_congress(locations(tmp_path, zcta_path=path, zcta_congress=120)[1]) == 120
    with pytest.raises(DataFileError, match="header names the 120th"):
        zip_table_congress(locations(tmp_path, zcta_path=path, zcta_congress=119)[1])


def test_a_refresh_into_a_configured_table_keeps_to_the_setting(
    session: requests.Session, web: responses.RequestsMock, tmp_path: Path
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=TABLE_120)
    places = locations(tmp_path / "instance", zcta_path=tmp_path / "zips.csv")
    _members, zips = refresh(session, places, now=NOON_2027, zcta_congress=120)
    assert not zips.ok and zips.error is not None
    assert "set ADVOCACY_ZCTA_CONGRESS=120" in zips.error
    assert [call.request.url for call in web.calls] == [LEGISLATORS_URL]  # not downloaded
    # With the setting, the table goes there, and no sidecar is written beside it.
    places = locations(tmp_path / "instance", zcta_path=tmp_path / "zips.csv", zcta_congress=120)
    assert refresh(session, places, now=NOON_2027)[1].ok
    assert zip_table_congress(places[1]) == 120
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("zips")) == ["zips.csv"]


def test_a_table_replaced_by_hand_is_not_described_by_the_old_sidecar(
    session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=TABLE_120)
    assert refresh(session, places, now=NOON_2027, zcta_congress=120)[1].ok
    places[1].downloaded.write_bytes(ZCTA)  # copied in by hand
    # The sidecar was written for another file: the setting (the 119th) says.
    assert zip_table_congress(places[1]) == 119


# The comparison itself, on small tables.

MAPS = parse_map_table(
    """
[[change]]
congress = 120
state = "TX"
lines = "new"
districts = 3
sources = ["test"]

[[change]]
congress = 120
state = "MO"
lines = "previous"
districts = 2
sources = ["test"]
"""
)


def table(rows: str) -> dict[str, list[Seat]]:
    """Build a ZIP table from "zcta state district" lines."""
    found: defaultdict[str, list[Seat]] = defaultdict(list)
    for line in rows.strip().splitlines():
        zcta, state, district = line.split()
        found[zcta].append((state, int(district)))
    return {z: sorted(s) for z, s in found.items()}


OLD = table(
    """
    78701 TX 1
    78702 TX 2
    78702 TX 3
    63101 MO 1
    63102 MO 2
    22201 VA 1
    22202 VA 2
    """
)


def test_a_state_with_a_new_map_drawn_as_before_is_an_error() -> None:
    check = compare_zip_tables(OLD, 120, OLD, 119, MAPS)
    assert check.errors == (
        "the table for the 120th draws Texas exactly as the 119th map: it is probably a "
        "119th table",
    )
    assert check.warnings == check.notes == ()
    # The same table for the 119th itself is what it claims.
    assert compare_zip_tables(OLD, 119, OLD, 119, MAPS).errors == ()


def test_a_new_map_where_no_zip_area_left_its_district_is_a_warning() -> None:
    new = {**OLD, "78702": [("TX", 2)]}  # one district fewer, none wholly changed
    check = compare_zip_tables(new, 120, OLD, 119, MAPS)
    assert check.errors == ()
    assert check.warnings == (
        "Texas has a new map for the 120th, but no ZIP area in the table left its 119th "
        "district: check that the table draws the new map",
    )


def test_missouri_drawn_anew_is_a_note_and_virginia_a_warning() -> None:
    new = {
        **OLD,
        "78701": [("TX", 2)],
        "63101": [("MO", 2)],
        "22201": [("VA", 2)],
    }
    check = compare_zip_tables(new, 120, OLD, 119, MAPS)
    assert check.errors == ()
    assert check.notes == (
        "the table draws Missouri unlike the 119th map (1 of 2 ZIP areas moved), but "
        "Missouri stays on its previous lines: the service keeps using the 119th lines for "
        "Missouri",
    )
    assert check.warnings == (
        "the table moves 1 of 2 ZIP areas in Virginia to other districts than the 119th "
        "map, but the changed-states table lists no new map for Virginia: check the table, "
        "or map_changes.toml",
    )


def test_a_state_missing_from_the_table_is_a_warning() -> None:
    new = {z: s for z, s in OLD.items() if s[0][0] != "VA"}
    check = compare_zip_tables(new, 119, OLD, 119, MAPS)
    assert check.warnings == ("the table has no ZIP areas in Virginia",)


# `data status --at`: a rehearsal of the changeover.


def test_status_at_the_changeover_says_what_will_be_current(app: Flask) -> None:
    before = app.test_cli_runner().invoke(args=["data", "status", "--at", "2027-01-03T16:59:59Z"])
    assert before.exit_code == 0, before.output
    assert before.output.startswith(
        "At 2027-01-03 16:59 UTC the 119th Congress sits; the 120th is sworn in "
        "2027-01-03 12:00 ET."
    )
    assert "has sat since" not in before.output

    after = app.test_cli_runner().invoke(args=["data", "status", "--at", "2027-01-03T12:00-05:00"])
    assert after.exit_code == 0, after.output
    assert after.output.startswith("At 2027-01-03 17:00 UTC the 120th Congress sits; ")
    members = line_for(after.output, "members of Congress")
    assert (
        f"describes the 119th Congress; the 120th has sat since 2027-01-03 12:00 ET: {AGAIN_LATER}"
    ) in members
    assert "members' terms have ended; they are not shown" in members


def test_status_at_without_an_offset_is_utc_and_nonsense_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["data", "status", "--at", "2027-01-03T17:00"])
    assert result.output.startswith("At 2027-01-03 17:00 UTC the 120th Congress sits")
    refused = app.test_cli_runner().invoke(args=["data", "status", "--at", "soon"])
    assert refused.exit_code == 2
    assert "'soon' is not an ISO date and time" in refused.output


def line_for(output: str, label: str) -> str:
    (line,) = [line for line in output.splitlines() if line.startswith(f"{label}:")]
    return line

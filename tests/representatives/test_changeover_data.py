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

from advocacy.congress.maps import parse_map_table
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

TRANSITION = Path(__file__).resolve().parents[1] / "fixtures" / "transition"
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


def with_header(table: bytes, header: str) -> bytes:
    """A ZIP table with its district column named anew (`cd120`)."""
    first, newline, rest = table.partition(b"\n")
    end = b"\r" if first.endswith(b"\r") else b""
    return first.rstrip(b"\r").rsplit(b",", 1)[0] + b"," + header.encode() + end + newline + rest


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
def http_session() -> Iterator[requests.Session]:
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
        "536 members: 100 senators, 436 House members (latest term start 2024-12-09); "
        "describes the 118th Congress, which ended 2025-01-03 12:00 ET: behind the 119th, "
        f"sitting since 2025-01-03 12:00 ET; {AGAIN_LATER}"
    )
    assert summary.behind
    # The seats whose terms ended are one line, not one per state.
    assert (
        "33 states have fewer than two senators in the file from now on: terms that ended "
        "with the last Congress, whose successors the new Congress's file will list"
    ) in summary.warnings


def test_the_first_build_of_a_new_congress_is_accepted_with_its_gaps() -> None:
    summary = validate_legislators(build("2025-01-04"), NOON_2025)
    assert summary.congress == 119 and summary.sitting == 119
    assert (summary.senators, summary.representatives) == (99, 440)
    assert summary.warnings == (
        "West Virginia has one senator",
        # Matt Gaetz resigned before the 119th began; the seat stayed empty until April.
        "1 House seat has nobody in the file (FL-1): vacant, or a new member not listed yet",
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
    assert summary.warnings == (
        "1 House seat has nobody in the file (FL-1): vacant, or a new member not listed yet",
    )


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

    # Behind the sitting Congress is its own exit code: monitoring tells it from broken.
    assert result.exit_code == 3, result.output
    assert result.output.startswith("At 2027-01-03 17:00 UTC the 120th Congress sits; ")
    members = line_for(result.output, "members of Congress")
    ended = (
        "describes the 119th Congress, which ended 2027-01-03 12:00 ET: behind the 120th, "
        "sitting since 2027-01-03 12:00 ET; "
    )
    assert f"{ended}{AGAIN_LATER}" in members
    assert "members' terms have ended; they are not shown" in members
    zips = line_for(result.output, "ZIP-to-district table")
    assert ended in zips
    assert "`advocacy data build-zip-table --congress 120 --output PATH`" in zips
    assert "Behind: the data in use describes a Congress before the 120th" in result.output
    # Status says the same, per file, with the same exit code.
    status_run = app.test_cli_runner().invoke(args=["data", "status"])
    assert status_run.exit_code == 3
    assert ended in line_for(status_run.output, "members of Congress")
    assert ended in line_for(status_run.output, "ZIP-to-district table")


def test_the_same_refresh_a_second_before_noon_is_current(
    make_app: Any, web: responses.RequestsMock
) -> None:
    app: Flask = make_app(CLOCK=at(BEFORE_NOON_2027))
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=ZCTA)
    result = app.test_cli_runner().invoke(args=["data", "refresh"])
    assert result.exit_code == 0, result.output
    assert "the 119th Congress sits" in result.output
    assert "which ended" not in result.output and "Behind" not in result.output


def test_a_refresh_never_replaces_a_newer_congress_with_an_older_one(
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    legislators = places[0].downloaded
    legislators.parent.mkdir(parents=True)
    legislators.write_bytes(build("2025-01-04"))
    web.get(LEGISLATORS_URL, body=build("2024-12-18"))  # a stale mirror, say
    web.get(ZCTA_URL, body=ZCTA)

    members, zips = refresh(http_session, places, now=NOON_2025)

    # Not a failure: the copy in use is the newer one, and it stays.
    assert zips.ok and members.ok and not members.updated
    assert members.kept == (
        "the download describes the 118th Congress, older than the 119th the copy in use describes"
    )
    assert legislators.read_bytes() == build("2025-01-04")
    assert members.describe().startswith(
        f"members of Congress: kept the copy {legislators} (the download describes the 118th "
    )
    assert "describes the 119th Congress" in members.describe()


def test_an_older_build_of_the_same_congress_never_replaces_a_newer_one(
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    # The January 2025 build would bring back two senators who left in January 2025
    # (Florida's and Ohio's seats, filled by appointment that month) over the snapshot.
    web.get(LEGISLATORS_URL, body=build("2025-01-22"))
    web.get(ZCTA_URL, body=ZCTA)

    members, _zips = refresh(http_session, places, now=BEFORE_NOON_2027)

    assert members.ok and not members.updated
    assert members.kept == (
        "the download is an older build of the 119th Congress's file (latest term start "
        "2025-01-21, the copy in use's 2026-06-10)"
    )
    assert not places[0].downloaded.exists()  # the snapshot stays in use


def test_a_refresh_of_the_same_congress_with_its_gaps_replaces_the_copy(
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    legislators = places[0].downloaded
    legislators.parent.mkdir(parents=True)
    legislators.write_bytes(build("2024-12-18"))
    web.get(LEGISLATORS_URL, body=build("2025-01-04"))
    web.get(ZCTA_URL, body=ZCTA)
    # The first build of the 119th, with its gaps, replaces the 118th: West Virginia's
    # gap is no reason to keep the old Congress's members.
    members, _zips = refresh(http_session, places, now=NOON_2025)
    assert members.updated and members.summary is not None
    assert "warning: West Virginia has one senator" in members.describe()
    web.replace(responses.GET, LEGISLATORS_URL, body=build("2025-01-22"))
    # The complete build weeks later replaces the first.
    members, _zips = refresh(http_session, places, now=LATER_2025)
    assert members.updated and legislators.read_bytes() == build("2025-01-22")


def test_a_state_listing_an_outgoing_and_an_incoming_senator_is_a_warning() -> None:
    # A plausible first 120th file: Alabama's outgoing senator still listed, her term
    # ending at noon as her successor's starts.
    data = json.loads(legislators_bytes())
    outgoing = next(
        r for r in data if r["terms"][-1]["type"] == "sen" and r["terms"][-1]["state"] == "AL"
    )
    incoming = json.loads(json.dumps(outgoing))
    incoming["id"]["bioguide"] = "Z999999"
    incoming["name"] = {"first": "New", "last": "Senator"}
    outgoing["terms"][-1]["end"] = "2027-01-03"
    incoming["terms"] = [{**outgoing["terms"][-1], "start": "2027-01-03", "end": "2033-01-03"}]
    data.append(incoming)

    summary = validate_legislators(json.dumps(data).encode(), BEFORE_NOON_2027)

    assert (
        "Alabama lists 3 senators: an outgoing senator's term ends as an incoming one's starts"
    ) in summary.warnings
    # Three at once is still no real file.
    incoming["terms"][-1]["start"] = "2026-12-01"
    with pytest.raises(DataFileError, match="wrong number of senators: AL 3 whose terms overlap"):
        validate_legislators(json.dumps(data).encode(), BEFORE_NOON_2027)


def test_a_successor_listed_the_day_the_file_does_ends_the_one_senator_warning(
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    # Florida's and Ohio's appointed senators served until the special elections of
    # November 3, 2026; the shipped file does not list the winners yet.
    assert {"Florida has one senator", "Ohio has one senator"} <= set(
        validate_legislators(legislators_bytes(), BEFORE_NOON_2027).warnings
    )
    web.get(LEGISLATORS_URL, body=with_special_election_winners())
    web.get(ZCTA_URL, body=ZCTA)

    members, _zips = refresh(http_session, places, now=BEFORE_NOON_2027)

    assert members.updated and members.summary is not None
    assert not {"Florida has one senator", "Ohio has one senator"} & set(members.summary.warnings)


def with_special_election_winners() -> bytes:
    """The snapshot with winners sworn in for Florida's and Ohio's special elections."""
    data = json.loads(legislators_bytes())
    for state, bioguide in (("FL", "Z900001"), ("OH", "Z900002")):
        appointed = next(
            r
            for r in data
            if r["terms"][-1]["type"] == "sen"
            and r["terms"][-1]["state"] == state
            and r["terms"][-1]["end"] == "2026-11-03"
        )
        term = {**appointed["terms"][-1], "start": "2026-11-12", "end": "2029-01-03"}
        data.append(
            {
                "id": {"bioguide": bioguide},
                "name": {"first": "Elected", "last": state},
                "terms": [term],
            }
        )
    return json.dumps(data).encode()


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
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=TABLE_120)

    _members, zips = refresh(http_session, places, now=BEFORE_NOON_2027, zcta_congress=120)

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
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=TABLE_120)
    assert refresh(http_session, places, now=NOON_2027, zcta_congress=120)[1].ok
    web.replace(responses.GET, ZCTA_URL, body=ZCTA)

    _members, zips = refresh(http_session, places, now=NOON_2027)  # the default: the 119th

    # The daily cron goes on succeeding: the newer table is kept, and nothing is behind.
    assert zips.ok and not zips.updated and not zips.behind
    assert zips.kept == (
        "the download describes the 119th Congress, older than the 120th the copy in use describes"
    )
    assert places[1].downloaded.read_bytes() == with_header(TABLE_120, "cd120")
    assert zip_table_congress(places[1]) == 120


def test_a_table_not_listed_as_changed_that_moves_a_lot_is_a_warning(
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=redrawn(NEW_MAPS_120 | {"VA"}))
    _members, zips = refresh(http_session, places, now=NOON_2027, zcta_congress=120)
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


def test_a_refresh_writes_a_header_naming_the_congress(
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=redrawn(NEW_MAPS_120))  # plain `cd`, named by the flag
    assert refresh(http_session, places, now=NOON_2027, zcta_congress=120)[1].ok
    written = places[1].downloaded.read_bytes()
    # Wherever the file goes afterwards, it says whose map it draws.
    assert written == redrawn(NEW_MAPS_120, header="cd120")
    places[1].sidecar.unlink()
    assert zip_table_congress(places[1]) == 120


def test_a_table_that_does_not_name_its_congress_is_refused(
    http_session: requests.Session, web: responses.RequestsMock, tmp_path: Path
) -> None:
    # A 120th table under a plain `cd` header from an address nobody vouches for: taken
    # as the 119th, it would give TN-5 for ZIP 38103 in December instead of TN-9.
    url = "https://example.org/zips.csv"
    places = locations(tmp_path / "instance", zcta_url=url)
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(url, body=TABLE_120)

    _members, zips = refresh(http_session, places, now=BEFORE_NOON_2027)

    assert not zips.ok and zips.error is not None
    assert "does not say which Congress's map it draws" in zips.error
    assert "`state_fips,state_abbr,zcta,cd120`" in zips.error
    assert "--zcta-congress N" in zips.error and "ADVOCACY_ZCTA_CONGRESS=N" in zips.error
    assert not places[1].downloaded.exists()


def test_a_configured_table_draws_the_congress_the_setting_names(tmp_path: Path) -> None:
    path = tmp_path / "zips.csv"
    path.write_bytes(redrawn(NEW_MAPS_120))
    assert zip_table_congress(locations(tmp_path, zcta_path=path, zcta_congress=120)[1]) == 120
    # Never guessed: nothing says, so it is refused.
    with pytest.raises(DataFileError, match="does not say which Congress's map it draws"):
        zip_table_congress(locations(tmp_path, zcta_path=path)[1])
    path.write_bytes(redrawn(NEW_MAPS_120, header="cd120"))
    assert zip_table_congress(locations(tmp_path, zcta_path=path, zcta_congress=120)[1]) == 120
    with pytest.raises(DataFileError, match="header names the 120th"):
        zip_table_congress(locations(tmp_path, zcta_path=path, zcta_congress=119)[1])


def test_a_refresh_into_a_configured_table_keeps_to_the_setting(
    http_session: requests.Session, web: responses.RequestsMock, tmp_path: Path
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=TABLE_120)
    places = locations(tmp_path / "instance", zcta_path=tmp_path / "zips.csv", zcta_congress=119)
    _members, zips = refresh(http_session, places, now=NOON_2027, zcta_congress=120)
    assert not zips.ok and zips.error is not None
    assert "set ADVOCACY_ZCTA_CONGRESS=120" in zips.error
    assert [call.request.url for call in web.calls] == [LEGISLATORS_URL]  # not downloaded
    # With the setting, the table goes there, and no sidecar is written beside it.
    places = locations(tmp_path / "instance", zcta_path=tmp_path / "zips.csv", zcta_congress=120)
    assert refresh(http_session, places, now=NOON_2027)[1].ok
    assert zip_table_congress(places[1]) == 120
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("zips")) == ["zips.csv"]
    # Without a setting the flag names it, and the header it is written with says so after.
    places = locations(tmp_path / "instance", zcta_path=tmp_path / "zips.csv")
    assert refresh(http_session, places, now=NOON_2027, zcta_congress=120)[1].ok
    assert zip_table_congress(places[1]) == 120


def test_a_table_replaced_by_hand_is_not_described_by_the_old_sidecar(
    http_session: requests.Session, web: responses.RequestsMock, places: list[DataLocation]
) -> None:
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    web.get(ZCTA_URL, body=TABLE_120)
    assert refresh(http_session, places, now=NOON_2027, zcta_congress=120)[1].ok
    places[1].downloaded.write_bytes(ZCTA)  # copied in by hand
    # The sidecar was written for another file, and nothing else says: refused.
    with pytest.raises(DataFileError, match="does not say which Congress's map it draws"):
        zip_table_congress(places[1])
    places[1].downloaded.write_bytes(with_header(ZCTA, "cd119"))
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
    assert "which ended" not in before.output

    after = app.test_cli_runner().invoke(args=["data", "status", "--at", "2027-01-03T12:00-05:00"])
    assert after.exit_code == 3, after.output
    assert after.output.startswith("At 2027-01-03 17:00 UTC the 120th Congress sits; ")
    members = line_for(after.output, "members of Congress")
    assert (
        "describes the 119th Congress, which ended 2027-01-03 12:00 ET: behind the 120th, "
        f"sitting since 2027-01-03 12:00 ET; {AGAIN_LATER}"
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


def test_a_table_built_on_this_machine_is_put_in_use_from_its_path(
    http_session: requests.Session, web: responses.RequestsMock, tmp_path: Path
) -> None:
    # What an operator runs after `advocacy data build-zip-table --output PATH`:
    # ADVOCACY_ZCTA_URL=PATH (or file://PATH) advocacy data refresh.
    built = tmp_path / "zcta-cd120.csv"
    built.write_bytes(redrawn(NEW_MAPS_120, header="cd120"))
    web.get(LEGISLATORS_URL, body=legislators_bytes())
    for url in (str(built), built.as_uri()):
        places = locations(tmp_path / "instance", zcta_url=url)
        _members, zips = refresh(http_session, places, now=BEFORE_NOON_2027)
        assert zips.updated and zips.summary is not None, zips.error
        assert zip_table_congress(places[1]) == 120
    # A path that is not there is a failure that says so, and the copy in use stays.
    places = locations(tmp_path / "instance", zcta_url=str(tmp_path / "missing.csv"))
    _members, zips = refresh(http_session, places, now=BEFORE_NOON_2027)
    assert not zips.ok and zips.error is not None and "cannot read" in zips.error
    assert zip_table_congress(places[1]) == 120

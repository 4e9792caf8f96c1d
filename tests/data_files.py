"""The data the tests load: the snapshot shipped in the package, and recorded geocoder answers.

Everything here comes from inside the repository, so a fresh clone runs the tests with
nothing beside it. Facts that change whenever the data does (who holds a seat, which seats
are vacant, how many rows the files have) are read here from the raw snapshot with plain
`json` and `csv`, independently of the code under test, so that tests assert them against
the file they load instead of hard-coding them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from advocacy.representatives.datafiles import SNAPSHOT_DIR
from advocacy.representatives.directory import Directory

# The compressed snapshot shipped in the package; what the app serves by default.
LEGISLATORS_FILE = SNAPSHOT_DIR / "legislators-current.json.gz"
ZCTA_FILE = SNAPSHOT_DIR / "zccd.csv.gz"
SNAPSHOT_METADATA = SNAPSHOT_DIR / "snapshot.json"
# The campaign file the package ships (the tests read it as a user's file would be read).
SHIPPED_CAMPAIGN = (
    Path(__file__).resolve().parents[1]
    / "advocacy"
    / "campaigns"
    / "shipped"
    / "uyghur-policy-act.toml"
)

GEOCODER_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geocoder"

# Seats the ZCTA file and the members file both store as district 0.
NON_VOTING = frozenset({"DC", "PR", "GU", "VI", "AS", "MP"})

Seat = tuple[str, int]

# The moment the tests live in unless they move the clock: the snapshot's day, before the
# 120th Congress is sworn in. Fixed, so the suite means the same in 2027 and after.
SNAPSHOT_MOMENT = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def snapshot_clock() -> datetime:
    """Return SNAPSHOT_MOMENT: the clock of every test app."""
    return SNAPSHOT_MOMENT


def sitting_at(term: dict[str, Any], moment: datetime) -> bool:
    """Tell whether a raw term covers a moment: terms run from noon to noon Eastern."""
    start = datetime.fromisoformat(term["start"]).replace(hour=17, tzinfo=UTC)
    end = datetime.fromisoformat(term["end"]).replace(hour=17, tzinfo=UTC)
    return start <= moment < end


# --- the files ------------------------------------------------------------------------------


@cache
def legislators_bytes() -> bytes:
    """Return the snapshot's `legislators-current.json`, decompressed."""
    return gzip.decompress(LEGISLATORS_FILE.read_bytes())


@cache
def zcta_bytes() -> bytes:
    """Return the snapshot's `zccd.csv`, decompressed."""
    return gzip.decompress(ZCTA_FILE.read_bytes())


def snapshot_taken() -> str:
    """Return the day the snapshot was taken, as snapshot.json writes it (YYYY-MM-DD)."""
    taken: str = json.loads(SNAPSHOT_METADATA.read_text("utf-8"))["taken"]
    return taken


def write_plain_copies(directory: Path) -> tuple[Path, Path]:
    """Write uncompressed copies of both files into a folder; return their paths.

    The ZIP table's header names the Congress whose map it draws (`cd119`), as a table
    `data refresh` writes does: a plain `cd` header names none, and is refused.
    """
    directory.mkdir(parents=True, exist_ok=True)
    legislators = directory / "legislators-current.json"
    zcta = directory / "zccd.csv"
    legislators.write_bytes(legislators_bytes())
    zcta.write_bytes(zcta_named())
    return legislators, zcta


def snapshot_zip_congress() -> int:
    """Return the Congress whose map the snapshot's ZIP table draws, as snapshot.json says."""
    congress: int = json.loads(SNAPSHOT_METADATA.read_text("utf-8"))["files"]["zcta"]["congress"]
    return congress


def zcta_named() -> bytes:
    """Return the snapshot's ZIP table with a header naming its Congress (`cd119`)."""
    header = f",cd{snapshot_zip_congress()}\r\n".encode()
    return zcta_bytes().replace(b",cd\r\n", header, 1)


def raw_legislators() -> list[dict[str, Any]]:
    """Return a fresh parsed copy of the members file, for a test to change."""
    data: list[dict[str, Any]] = json.loads(legislators_bytes())
    return data


@cache
def snapshot_directory() -> Directory:
    """Return the directory built from the snapshot, loaded once per test run."""
    return Directory.from_files(LEGISLATORS_FILE, ZCTA_FILE)


# --- what the raw files say, read without the code under test -------------------------------


@dataclass(frozen=True)
class Member:
    """One sitting member as the raw file records them (the last term)."""

    bioguide: str
    name: str
    last: str
    kind: str  # "rep" or "sen"
    state: str
    district: int | None
    start: str
    party: str | None
    phone: str | None
    url: str | None
    contact_form: str | None
    address: str | None
    office: str | None

    @property
    def tel(self) -> str:
        """Return the phone number as a tel: link, e.g. tel:+12022253106."""
        assert self.phone is not None, self.bioguide
        return "tel:+1" + "".join(c for c in self.phone if c.isdigit())


def full_name(name: dict[str, Any]) -> str:
    """Return the name as the file gives it: official_full, else first and last."""
    if (name.get("official_full") or "").strip():
        return str(name["official_full"]).strip()
    full = f"{name['first']} {name['last']}"
    suffix = name.get("suffix")
    if suffix:
        full += f", {suffix}" if suffix in ("Jr.", "Sr.") else f" {suffix}"
    return full


@cache
def members() -> tuple[Member, ...]:
    """Return every member sitting at SNAPSHOT_MOMENT in the raw file, in file order.

    A term whose end date has passed is not sitting (the file keeps appointed senators
    past the special election that ends their appointment).
    """
    found = []
    for record in json.loads(legislators_bytes()):
        term = record["terms"][-1]
        if not sitting_at(term, SNAPSHOT_MOMENT):
            continue
        found.append(
            Member(
                bioguide=record["id"]["bioguide"],
                name=full_name(record["name"]),
                last=record["name"]["last"],
                kind=term["type"],
                state=term["state"],
                district=term.get("district") if term["type"] == "rep" else None,
                start=term.get("start", ""),
                party=term.get("party"),
                phone=term.get("phone"),
                url=term.get("url"),
                contact_form=term.get("contact_form"),
                address=term.get("address"),
                office=term.get("office"),
            )
        )
    return tuple(found)


def holder_record(state: str, district: int) -> Member | None:
    """Return who holds the House seat (the newest term if two claim it), or None."""
    claims = [
        m for m in members() if m.kind == "rep" and (m.state, m.district) == (state, district)
    ]
    return max(claims, key=lambda m: m.start) if claims else None


def holder(state: str, district: int) -> str:
    """Return the name of who holds the House seat; fail the test if it is vacant."""
    found = holder_record(state, district)
    assert found is not None, f"{state}-{district} is vacant in the snapshot"
    return found.name


def senator_records(state: str) -> list[Member]:
    """Return the state's senators, sorted by name."""
    return sorted((m for m in members() if m.kind == "sen" and m.state == state), key=_name)


def senators(state: str) -> list[str]:
    """Return the names of the state's senators, sorted."""
    return [m.name for m in senator_records(state)]


def delegation(state: str, district: int) -> list[str]:
    """Return the House member's name, then the senators', as the results list them."""
    return [holder(state, district), *senators(state)]


def _name(m: Member) -> str:
    return m.name


@cache
def zip_seats() -> dict[str, frozenset[Seat]]:
    """Map each ZCTA to the seats it touches, straight from the CSV."""
    seats: dict[str, set[Seat]] = {}
    reader = csv.DictReader(io.StringIO(zcta_bytes().decode("utf-8-sig"), newline=""))
    for row in reader:
        state, district = row["state_abbr"], int(row["cd"])
        if state in NON_VOTING or district == 98:
            district = 0
        seats.setdefault(row["zcta"], set()).add((state, district))
    return {zcta: frozenset(found) for zcta, found in seats.items()}


def vacant_seats() -> list[Seat]:
    """Return the seats on the ZIP map that no member in the members file holds, sorted."""
    on_map = {seat for found in zip_seats().values() for seat in found}
    held = {(m.state, m.district) for m in members() if m.kind == "rep"}
    return sorted(on_map - held)


def vacancies_with_zips() -> list[tuple[str, Seat]]:
    """Return (ZIP wholly inside, seat) for each vacant seat that has such a ZIP."""
    found = []
    for seat in vacant_seats():
        inside = sorted(z for z, seats in zip_seats().items() if seats == {seat})
        if inside:
            found.append((inside[0], seat))
    return found


def a_vacancy() -> tuple[str, Seat]:
    """Return a ZIP wholly inside a vacant seat, and the seat; a district seat if any.

    Skips the calling test when the snapshot has no vacant seat at all: the behaviour
    cannot then be shown on the real data.
    """
    found = vacancies_with_zips()
    if not found:
        pytest.skip("no House seat on the ZIP map is vacant in the shipped snapshot")
    return next((item for item in found if item[1][1] > 0), found[0])


@dataclass(frozen=True)
class Counts:
    """How much each raw file holds."""

    members: int
    senators: int
    representatives: int
    zcta_rows: int
    zctas: int
    zcta_states: int


def counts() -> Counts:
    """Count the file's members, senators and House members (in their last terms, sitting
    or not), and the ZIP table's rows, ZCTAs and states."""
    kinds = [record["terms"][-1]["type"] for record in json.loads(legislators_bytes())]
    text = zcta_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    rows = [row for row in rows if row]
    return Counts(
        members=len(kinds),
        senators=kinds.count("sen"),
        representatives=kinds.count("rep"),
        zcta_rows=len(rows),
        zctas=len({row[2] for row in rows}),
        zcta_states=len({row[1] for row in rows}),
    )


# --- the recorded geocoder answers ----------------------------------------------------------


def geocoder_payload(name: str) -> dict[str, Any]:
    """Return a recorded Census Geocoder answer by file stem, e.g. "match_austin"."""
    with open(GEOCODER_FIXTURES / f"{name}.json", encoding="utf-8") as f:
        payload: dict[str, Any] = json.load(f)
    return payload


def geocoder_text(name: str) -> str:
    """Return a recorded answer file's exact text, e.g. "error_page.html"."""
    return (GEOCODER_FIXTURES / name).read_text(encoding="utf-8")

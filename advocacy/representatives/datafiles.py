"""The members and ZIP-to-district files: shipped snapshot, downloaded copy, or a set path.

The package ships a dated, compressed snapshot of both files, so a fresh install answers
look-ups with no network. `advocacy data refresh` downloads newer copies into the
instance folder, which then take precedence; ADVOCACY_LEGISLATORS_PATH and
ADVOCACY_ZCTA_PATH override both.

Each file describes one Congress. The members file says which by its House terms. The
ZIP table cannot: the snapshot's snapshot.json names its Congress, `data refresh` writes a
sidecar beside a downloaded copy, and a configured file draws the map ADVOCACY_ZCTA_CONGRESS
names (or its own `cdNNN` header does).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import requests

from advocacy.http import DEFAULT_TIMEOUT
from advocacy.representatives.congress import congress_on, ordinal, sworn_in_at
from advocacy.representatives.directory import (
    ZCTA_HEADER,
    DirectoryError,
    Seat,
    Term,
    members_congress,
    parse_legislators,
    parse_zcta,
    read_data_file,
    terms_from_data,
)
from advocacy.representatives.legislators import Legislator
from advocacy.representatives.maps import MapTable, load_map_table
from advocacy.representatives.states import NON_STATES, STATE_NAMES, state_name

LEGISLATORS_URL = "https://unitedstates.github.io/congress-legislators/legislators-current.json"
ZCTA_URL = (
    "https://raw.githubusercontent.com/OpenSourceActivismTech/us-zipcodes-congress/master/zccd.csv"
)
# Sources whose map is known without a `cdNNN` header or a setting: us-zipcodes-congress's
# zccd.csv draws the 119th (it had not been updated for the 120th by December 2026).
KNOWN_ZIP_CONGRESS: dict[str, int] = {ZCTA_URL: 119}
SNAPSHOT_DIR = Path(__file__).parent / "snapshot"

LEGISLATORS = "legislators"
ZCTA = "zcta"

STATES = frozenset(STATE_NAMES) - NON_STATES  # the fifty, two senators each
MIN_MEMBERS = 500
# After a changeover a state can lack a senator for days (West Virginia in January 2025);
# many states lacking one is a truncated or different file.
MAX_STATES_SHORT = 10
# The 119th Congress file has about 42,000 rows for 33,774 ZCTAs; a file far smaller than
# that is a truncated download or a different data set.
MIN_ZCTA_ROWS = 30_000
# Two tables made different ways differ a little even where the map did not change (the
# us-zipcodes-congress table over-includes), but they do not move ZIP areas to a wholly
# different district: past this share of a state's ZIP areas, its map changed.
MUCH_MOVED = 0.05
# Both files are about 1 MB; a much larger answer is not the file we asked for.
MAX_BYTES = 50 * 1024 * 1024
# Beside a downloaded ZIP table: which Congress it draws, where and when it came from.
SIDECAR_SUFFIX = ".meta.json"
# A ZIP table header may name its Congress in the district column: `cd120`.
CD_COLUMN = re.compile(r"cd([1-9][0-9]{0,2})")

Timeout = float | tuple[float, float]


class DataFileError(Exception):
    """A data file could not be downloaded, validated or written."""


def sitting_line(now: datetime) -> str:
    """Return one line saying which Congress sits at a moment, and when the next one starts."""
    sitting = congress_on(now)
    return (
        f"At {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC the {ordinal(sitting)} Congress sits; "
        f"the {ordinal(sitting + 1)} is sworn in {sworn_in_at(sitting + 1)}."
    )


def describes(congress: int, sitting: int | None, later: str) -> str:
    """Say which Congress a file describes and, if not the sitting one, what that means."""
    text = f"describes the {ordinal(congress)} Congress"
    if sitting is not None and congress < sitting:
        text += (
            f", which ended {sworn_in_at(congress + 1)}: behind the {ordinal(sitting)}, "
            f"sitting since {sworn_in_at(sitting)}; {later}"
        )
    elif sitting is not None and congress > sitting:
        text += f", which sits from {sworn_in_at(congress)}"
    return text


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class LegislatorsSummary:
    """What a valid legislators file holds, which Congress it describes, and its gaps."""

    members: int
    senators: int
    representatives: int
    congress: int | None = None  # the Congress most House terms start in
    sitting: int | None = None  # the Congress sitting when the file was checked
    warnings: tuple[str, ...] = ()
    as_of: date | None = None  # the latest term start the file lists (see latest_change)

    @property
    def behind(self) -> bool:
        """Tell whether the file describes a Congress that has ended."""
        return _behind(self.congress, self.sitting)

    def describe(self) -> str:
        """Return a one-line human summary."""
        parts = [
            f"{self.members} members: {self.senators} senators, "
            f"{self.representatives} House members"
        ]
        if self.as_of is not None:
            parts[0] += f" (latest term start {self.as_of:%Y-%m-%d})"
        if self.congress is not None:
            # congress-legislators merges a new Congress hours after the swearing-in.
            later = "run `advocacy data refresh` again later"
            parts.append(describes(self.congress, self.sitting, later))
        parts += [f"warning: {warning}" for warning in self.warnings]
        return "; ".join(parts)


@dataclass(frozen=True)
class ZctaSummary:
    """What a valid ZCTA file holds, and whose map it draws."""

    rows: int
    zctas: int
    states: int
    congress: int
    sitting: int | None = None  # the Congress sitting when the file was checked
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def behind(self) -> bool:
        """Tell whether the table draws the map of a Congress that has ended."""
        return _behind(self.congress, self.sitting)

    def describe(self) -> str:
        """Return a one-line human summary."""
        parts = [f"{self.zctas} ZCTAs in {self.states} states and territories ({self.rows} rows)"]
        sitting = self.sitting or self.congress
        later = (
            f"build a {ordinal(sitting)} table with `advocacy data build-zip-table --congress "
            f"{sitting} --output PATH` and load it (README: A new Congress)"
        )
        parts.append(describes(self.congress, self.sitting, later))
        parts += [f"warning: {warning}" for warning in self.warnings]
        parts += [f"note: {note}" for note in self.notes]
        return "; ".join(parts)


Summary = LegislatorsSummary | ZctaSummary


def _behind(congress: int | None, sitting: int | None) -> bool:
    return congress is not None and sitting is not None and congress < sitting


def validate_legislators(content: bytes, now: datetime | None = None) -> LegislatorsSummary:
    """Check a `legislators-current.json`, say which Congress it describes, and summarise it.

    What a changeover leaves for days (an outgoing and an incoming senator side by side, a
    state short of a senator, a seat with nobody yet, members with no phone yet, terms
    that start later or have ended) is a warning; what no real file looks like (three
    senators for a state at once, too few members, malformed entries) is an error.
    """
    now = now or datetime.now(UTC)
    try:
        data = json.loads(content)
        members = parse_legislators(data)
        terms = terms_from_data(data)
    except (ValueError, DirectoryError) as exc:
        raise DataFileError(f"legislators file is invalid: {exc}") from exc
    if len(members) < MIN_MEMBERS:
        raise DataFileError(
            f"legislators file lists {len(members)} members, expected at least {MIN_MEMBERS}"
        )
    congress, sitting = members_congress(terms), congress_on(now)
    warnings = [
        *_senate_gaps(terms, now, behind=_behind(congress, sitting)),
        *_house_gaps(terms, now, behind=_behind(congress, sitting)),
        *_contact_gaps(members),
        *_term_gaps(terms, now),
    ]
    total = sum(1 for m in members if m.chamber == "senate")
    return LegislatorsSummary(
        len(members),
        total,
        len(members) - total,
        congress=congress,
        sitting=sitting,
        warnings=tuple(warnings),
        as_of=latest_change(terms),
    )


def latest_change(terms: Iterable[Term]) -> date | None:
    """Return the day of the latest term start a members file lists: how recent a build it is.

    congress-legislators has no build date; each build adds the members sworn in since
    the one before, so of two builds of one Congress, the later starts a term later.
    """
    starts = [term.start for term in terms]
    return max(starts).date() if starts else None


def _most_at_once(windows: Iterable[tuple[datetime, datetime]]) -> int:
    """Return how many of the [start, end) windows overlap at the busiest moment."""
    # An end sorts before a start at the same instant: a term handed over at noon.
    events = sorted(
        (moment, step) for start, end in windows for moment, step in ((start, 1), (end, -1))
    )
    most = count = 0
    for _moment, step in events:
        count += step
        most = max(most, count)
    return most


def _senate_gaps(terms: Iterable[Term], now: datetime, *, behind: bool) -> list[str]:
    """Return a warning per state short of a senator or listing a handover; raise for three
    senators at once, or for many states short (a truncated file)."""
    windows: dict[str, list[tuple[datetime, datetime]]] = {}
    people: dict[str, set[str]] = {}
    for term in terms:
        if term.member.chamber == "senate":
            windows.setdefault(term.member.state, []).append((term.start, term.end))
            people.setdefault(term.member.state, set()).add(term.member.bioguide)
    at_once = {state: _most_at_once(found) for state, found in windows.items()}
    wrong = sorted(s for s in at_once if s not in STATES or at_once[s] > 2)
    if wrong:
        detail = ", ".join(f"{s} {at_once[s]}" for s in wrong)
        raise DataFileError(
            f"legislators file has the wrong number of senators: {detail} whose terms overlap"
        )
    # Seats the file fills from now on (a term that has ended is no one's seat now).
    ahead = {
        state: _most_at_once((start, end) for start, end in found if end > now)
        for state, found in windows.items()
    }
    listed = Counter({state: len(found) for state, found in people.items()})
    lacking = sum(1 for s in STATES if listed[s] < 2)
    if lacking > MAX_STATES_SHORT:
        raise DataFileError(
            f"legislators file lacks senators for {lacking} states "
            f"(more than {MAX_STATES_SHORT}): it looks truncated"
        )
    warnings = []
    short = [state for state in STATES if ahead.get(state, 0) < 2]
    if behind and short:
        # A third of the Senate's terms ended with the old Congress: one line, not 33.
        return [
            f"{_plural(len(short), 'state has', 'states have')} fewer than two senators in "
            "the file from now on: terms that ended with the last Congress, whose "
            "successors the new Congress's file will list"
        ]
    for state in sorted(STATES, key=state_name):
        seats = ahead.get(state, 0)
        if seats < 2:
            warnings.append(f"{state_name(state)} has {'one senator' if seats else 'no senator'}")
        elif listed[state] > 2:
            warnings.append(
                f"{state_name(state)} lists {listed[state]} senators: an outgoing senator's "
                "term ends as an incoming one's starts"
            )
    return warnings


def _house_gaps(terms: Iterable[Term], now: datetime, *, behind: bool) -> list[str]:
    """Return a warning naming the House seats nobody in the file holds from now on."""
    if behind:
        return []  # every House term has ended; the Congress line says so
    held = {
        (t.member.state, t.member.district)
        for t in terms
        if t.member.chamber == "house" and t.end > now
    }
    seats = {seat for found in snapshot_zip_table().values() for seat in found}
    empty = sorted(seats - held, key=lambda seat: (state_name(seat[0]), seat[1]))
    if not empty:
        return []
    codes = [f"{state}-{district or 'AL'}" for state, district in empty]
    shown = ", ".join(codes[:8]) + (f" and {len(codes) - 8} more" if len(codes) > 8 else "")
    return [
        f"{_plural(len(empty), 'House seat has', 'House seats have')} nobody in the file "
        f"({shown}): vacant, or a new member not listed yet"
    ]


def _contact_gaps(members: list[Legislator]) -> list[str]:
    """Return warnings for members supporters cannot call or write to yet."""
    # New members' offices reach the file days after they are sworn in.
    no_phone = sum(1 for m in members if not (m.phone and m.address))
    # House members have no contact form in the file, only a website.
    offline = sum(1 for m in members if not (m.url or m.contact_form))
    warnings = []
    if no_phone:
        warnings.append(
            f"{_plural(no_phone, 'member has', 'members have')} no phone number or office address"
        )
    if offline:
        warnings.append(
            f"{_plural(offline, 'member has', 'members have')} no website or contact form"
        )
    return warnings


def _term_gaps(terms: Iterable[Term], now: datetime) -> list[str]:
    """Return warnings for members whose last term is not running at `now`."""
    last: dict[str, Term] = {}
    for term in terms:
        last[term.member.bioguide] = term  # a member's last term comes after the one before
    ended = sum(1 for t in last.values() if t.end <= now)
    later = sorted(t.start for t in last.values() if t.start > now)
    warnings = []
    if ended:
        whose = "member's term has" if ended == 1 else "members' terms have"
        warnings.append(f"{ended} {whose} ended; they are not shown")
    if later:
        whose = "member's term starts" if len(later) == 1 else "members' terms start"
        warnings.append(
            f"{len(later)} {whose} later (the first on {later[0]:%Y-%m-%d}); until then they "
            "are not shown, or are shown in the term before"
        )
    return warnings


def validate_zcta(
    content: bytes,
    congress: int | None = None,
    now: datetime | None = None,
    *,
    maps: MapTable | None = None,
) -> ZctaSummary:
    """Check a ZCTA-to-district CSV, and the map it draws against the changed-states table.

    congress is the Congress whose map the table is said to draw (ZCTA_CONGRESS or
    `--zcta-congress`); a `cdNNN` header must agree with it.
    """
    try:
        named, text = _plain_header(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataFileError(f"ZCTA file is invalid: {exc}") from exc
    congress = _agree(named, congress)
    try:
        lines = io.StringIO(text, newline="")
        rows = sum(1 for line in lines if line.strip()) - 1
        lines.seek(0)
        seats = parse_zcta(lines)
    except DirectoryError as exc:
        raise DataFileError(f"ZCTA file is invalid: {exc}") from exc
    if rows < MIN_ZCTA_ROWS:
        raise DataFileError(f"ZCTA file has {rows} rows, expected at least {MIN_ZCTA_ROWS}")
    check = _compare(
        _by_state(seats), congress, snapshot_by_state(), snapshot_zip_congress(), maps
    )
    if check.errors:
        raise DataFileError("; ".join(check.errors))
    states = {state for found in seats.values() for state, _ in found}
    return ZctaSummary(
        rows=rows,
        zctas=len(seats),
        states=len(states),
        congress=congress,
        sitting=congress_on(now or datetime.now(UTC)),
        warnings=check.warnings,
        notes=check.notes,
    )


def _plain_header(text: str) -> tuple[int | None, str]:
    """Return the Congress a `cdNNN` header names, and the text with the plain `cd` header."""
    first, newline, rest = text.partition("\n")
    cells = tuple(cell.strip() for cell in first.split(","))
    match = CD_COLUMN.fullmatch(cells[-1])
    if cells[:-1] != ZCTA_HEADER[:-1] or match is None:
        return None, text
    end = "\r" if first.endswith("\r") else ""
    return int(match[1]), ",".join(ZCTA_HEADER) + end + newline + rest


def _agree(named: int | None, expected: int | None) -> int:
    """Return the Congress a ZIP table draws, from its header and from what was said of it.

    Never guessed: a district number means something only on one Congress's map, and a
    table taken for the wrong one names wrong members in every redrawn state.
    """
    if named is not None and expected is not None and named != expected:
        raise DataFileError(
            f"the ZIP table's header names the {ordinal(named)} Congress (cd{named}), but it "
            f"was taken for the {ordinal(expected)}: set ADVOCACY_ZCTA_CONGRESS or "
            "`--zcta-congress` to match"
        )
    congress = named or expected
    if congress is None:
        raise DataFileError(
            "the ZIP table does not say which Congress's map it draws (its header's last "
            "column is plain `cd`): name it in the header (`state_fips,state_abbr,zcta,cd120`), "
            "with `advocacy data refresh --zcta-congress N`, or with ADVOCACY_ZCTA_CONGRESS=N"
        )
    return congress


def with_congress_header(content: bytes, congress: int) -> bytes:
    """Return a ZIP table whose header names the Congress whose map it draws (`cd120`)."""
    text = content.decode("utf-8-sig")
    _named, plain = _plain_header(text)
    _header, newline, rest = plain.partition("\n")
    end = "\r" if _header.endswith("\r") else ""
    return (",".join((*ZCTA_HEADER[:-1], f"cd{congress}")) + end + newline + rest).encode()


@dataclass(frozen=True)
class MapCheck:
    """What comparing a ZIP table with another Congress's found, state by state."""

    errors: tuple[str, ...] = ()  # the table is not what it claims to be
    warnings: tuple[str, ...] = ()  # worth a look by whoever maintains the data
    notes: tuple[str, ...] = ()  # expected differences the service handles


def compare_zip_tables(
    table: Mapping[str, Iterable[Seat]],
    congress: int,
    reference: Mapping[str, Iterable[Seat]],
    reference_congress: int,
    maps: MapTable | None = None,
) -> MapCheck:
    """Compare a ZIP table for one Congress with one for another, state by state.

    A state the changed-states table says got a new map in between must not come out
    exactly as before; a state it does not list must not move many ZIP areas; a state
    kept on its previous lines (Missouri for the 120th) may differ, and the service
    ignores the new table there.
    """
    return _compare(_by_state(table), congress, _by_state(reference), reference_congress, maps)


# A ZIP table split by state: each ZIP area's districts within that state.
ByState = dict[str, dict[str, frozenset[int]]]


def _compare(
    new: ByState, congress: int, old: ByState, reference_congress: int, maps: MapTable | None
) -> MapCheck:
    maps = maps or load_map_table()
    unchanged: list[str] = []
    warnings: list[str] = []
    notes: list[str] = []
    before, after = ordinal(reference_congress), ordinal(congress)
    for state in sorted(new.keys() | old.keys(), key=state_name):
        name, ours, theirs = state_name(state), new.get(state, {}), old.get(state, {})
        if not ours:
            warnings.append(f"the table has no ZIP areas in {name}")
            continue
        if not theirs or ours == theirs:
            if theirs and maps.changed_between(state, reference_congress, congress):
                unchanged.append(name)
            continue
        moved = sum(1 for z in ours.keys() & theirs.keys() if not ours[z] & theirs[z])
        common = len(ours.keys() & theirs.keys())
        if maps.census_is_wrong(state, congress):
            kept = ordinal(maps.census_congress(state, congress))
            notes.append(
                f"the table draws {name} unlike the {before} map ({moved} of {common} ZIP areas "
                f"moved), but {name} stays on its previous lines: the service keeps using "
                f"the {kept} lines for {name}"
            )
        elif maps.changed_between(state, reference_congress, congress):
            if moved == 0:
                warnings.append(
                    f"{name} has a new map for the {after}, but no ZIP area in the table left "
                    f"its {before} district: check that the table draws the new map"
                )
        elif common and moved / common > MUCH_MOVED:
            warnings.append(
                f"the table moves {moved} of {common} ZIP areas in {name} to other districts "
                f"than the {before} map, but the changed-states table lists no new map for "
                f"{name}: check the table, or map_changes.toml"
            )
    errors: tuple[str, ...] = ()
    if unchanged:
        errors = (
            f"the table for the {after} draws {_and(unchanged)} exactly as the {before} map: "
            f"it is probably a {before} table",
        )
    return MapCheck(errors, tuple(warnings), tuple(notes))


def _by_state(table: Mapping[str, Iterable[Seat]]) -> ByState:
    """Split a ZIP table by state: each ZIP area's districts within that state."""
    states: dict[str, dict[str, set[int]]] = {}
    for zcta, seats in table.items():
        for state, district in seats:
            states.setdefault(state, {}).setdefault(zcta, set()).add(district)
    return {s: {z: frozenset(d) for z, d in found.items()} for s, found in states.items()}


# What each file is called and where it comes from; the snapshot keeps the same names.
SOURCES: dict[str, tuple[str, str]] = {
    LEGISLATORS: ("legislators-current.json", LEGISLATORS_URL),
    ZCTA: ("zccd.csv", ZCTA_URL),
}
LABELS = {LEGISLATORS: "members of Congress", ZCTA: "ZIP-to-district table"}

# Which copy of a file is in use: one an operator named, one `data refresh` downloaded,
# or the snapshot shipped in the package.
Origin = Literal["configured", "downloaded", "snapshot"]


@cache
def snapshot_metadata(folder: Path = SNAPSHOT_DIR) -> dict[str, Any]:
    """Return what a snapshot says about itself (date taken, sources, Congress)."""
    metadata: dict[str, Any] = json.loads((folder / "snapshot.json").read_text("utf-8"))
    return metadata


def snapshot_date(folder: Path = SNAPSHOT_DIR) -> date:
    """Return the day the snapshot was taken."""
    return date.fromisoformat(snapshot_metadata(folder)["taken"])


def snapshot_zip_tables(folder: Path = SNAPSHOT_DIR) -> dict[int, Path]:
    """Return the snapshot's ZIP tables by the Congress whose map each draws, newest first.

    The entry `zcta` is the table new ones are compared with; `zcta-cdNNN` entries add a
    table per later Congress, shipped once one can be built (advocacy data build-zip-table),
    so that a fresh install after a swearing-in answers ZIP codes on the new map too.
    """
    files = snapshot_metadata(folder)["files"]
    tables = {
        int(entry["congress"]): folder / entry["file"]
        for key, entry in files.items()
        if key == ZCTA or key.startswith(f"{ZCTA}-")
    }
    return dict(sorted(tables.items(), reverse=True))


def snapshot_zip_congress(folder: Path = SNAPSHOT_DIR) -> int:
    """Return the Congress whose map the snapshot's reference ZIP table (`zcta`) draws."""
    congress: int = snapshot_metadata(folder)["files"][ZCTA]["congress"]
    return congress


@cache
def snapshot_zip_table() -> dict[str, list[Seat]]:
    """Return the shipped reference ZIP table, parsed once: what new tables are compared with."""
    path = SNAPSHOT_DIR / snapshot_metadata()["files"][ZCTA]["file"]
    text = read_data_file(path).decode("utf-8-sig")
    return parse_zcta(io.StringIO(text, newline=""))


@cache
def snapshot_by_state() -> ByState:
    """Return the shipped ZIP table split by state, once: every new table is compared with it."""
    return _by_state(snapshot_zip_table())


@dataclass(frozen=True)
class DataLocation:
    """Where one data file may be, and which copy the service reads."""

    name: str
    url: str
    downloaded: Path  # in the instance folder; `data refresh` writes here
    configured: Path | None = None  # set by an operator; overrides the other two
    # ZCTA_CONGRESS: whose map a configured ZIP table (or one downloaded with no sidecar)
    # draws when its header does not say, and which map `data refresh` asks ZCTA_URL for.
    # None: only a `cdNNN` header, `--zcta-congress` or a known source can say.
    zcta_congress: int | None = None
    snapshot: Path = SNAPSHOT_DIR  # the folder of the snapshot shipped in the package

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def shipped(self) -> Path:
        """Return the snapshot's copy: for the ZIP table, the newest map it ships."""
        if self.name == ZCTA:
            return next(iter(snapshot_zip_tables(self.snapshot).values()))
        file_name: str = snapshot_metadata(self.snapshot)["files"][self.name]["file"]
        return self.snapshot / file_name

    @property
    def target(self) -> Path:
        """Return where a refresh writes this file."""
        return self.configured or self.downloaded

    @property
    def sidecar(self) -> Path:
        """Return where a refresh records which Congress the downloaded copy describes."""
        return self.downloaded.with_name(self.downloaded.name + SIDECAR_SUFFIX)

    def in_use(self) -> tuple[Path, Origin]:
        """Return the copy the service reads, and what kind of copy it is."""
        if self.configured is not None:
            return self.configured, "configured"
        if self.downloaded.exists():
            return self.downloaded, "downloaded"
        return self.shipped, "snapshot"

    def url_congress(self, asked: int | None = None) -> int | None:
        """Return whose map the ZIP table at the URL draws: as asked, set, or known."""
        return asked or self.zcta_congress or KNOWN_ZIP_CONGRESS.get(self.url)

    def validate(self, content: bytes, now: datetime, congress: int | None = None) -> Summary:
        """Check content for this file; congress is the map a ZIP table is said to draw."""
        if self.name == LEGISLATORS:
            return validate_legislators(content, now)
        return validate_zcta(content, congress, now)


def locations(
    instance_path: str | Path,
    legislators_path: str | Path | None = None,
    zcta_path: str | Path | None = None,
    *,
    legislators_url: str = LEGISLATORS_URL,
    zcta_url: str = ZCTA_URL,
    zcta_congress: int | None = None,
    snapshot: Path = SNAPSHOT_DIR,
) -> list[DataLocation]:
    """Return both files' locations: members of Congress, then the ZIP table."""
    instance = Path(instance_path)
    configured = {LEGISLATORS: legislators_path, ZCTA: zcta_path}
    urls = {LEGISLATORS: legislators_url, ZCTA: zcta_url}
    places = []
    for name, (file_name, _url) in SOURCES.items():
        path = configured[name]
        places.append(
            DataLocation(
                name,
                urls[name],
                instance / file_name,
                Path(path) if path else None,
                zcta_congress=zcta_congress,
                snapshot=snapshot,
            )
        )
    return places


def zip_table_congress(location: DataLocation) -> int:
    """Return the Congress whose map the ZIP table in use draws.

    The snapshot says so in snapshot.json, a downloaded copy in its `cdNNN` header (and the
    sidecar `data refresh` wrote beside it); a configured file in its header or the
    ZCTA_CONGRESS setting. Raise DataFileError when the file cannot be read, nothing says,
    or two disagree.
    """
    path, origin = location.in_use()
    if origin == "snapshot":
        return next(iter(snapshot_zip_tables(location.snapshot)))
    try:
        content = read_data_file(path)
    except (OSError, DirectoryError) as exc:
        raise DataFileError(f"cannot read the ZIP table {path}: {exc}") from exc
    named, _text = _plain_header(content[:200].decode("utf-8-sig", errors="replace"))
    recorded = _recorded_congress(location, content) if origin == "downloaded" else None
    return _agree(named, recorded if recorded is not None else location.zcta_congress)


def _recorded_congress(location: DataLocation, content: bytes) -> int | None:
    """Return the Congress the sidecar records, if it was written with this very file."""
    try:
        meta = json.loads(location.sidecar.read_text("utf-8"))
    except (OSError, ValueError):
        return None  # none yet (downloaded before sidecars), or unreadable: use the setting
    if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(content).hexdigest():
        # The file was replaced some other way (or a refresh stopped between the two
        # writes): the sidecar describes another file.
        return None
    congress = meta.get("congress")
    return congress if isinstance(congress, int) and not isinstance(congress, bool) else None


def _sidecar(content: bytes, congress: int, url: str) -> bytes:
    meta = {
        "congress": congress,
        "url": url,
        "downloaded": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    return json.dumps(meta, indent=2).encode() + b"\n"


def _in_use_summary(location: DataLocation, now: datetime) -> Summary | None:
    """Return what the copy in use describes, or None when it cannot be read or checked."""
    status = file_status(location, now)
    return status.summary


@dataclass(frozen=True)
class FileStatus:
    """Which copy of a file is in use, how old it is, and what it holds.

    error: the service cannot use the copy (it cannot be read, or a ZIP table does not say
    which map it draws). problem: the copy fails a check, but the service uses it anyway,
    as it reads files without judging them.
    """

    name: str
    label: str
    path: Path
    origin: Origin
    exists: bool
    dated: datetime | None = None  # the snapshot's day, or when the copy was written
    age: timedelta | None = None
    summary: Summary | None = None
    error: str | None = None
    problem: str | None = None
    fallback: str | None = None  # what serves instead when the copy cannot be used
    tables: str = ""  # for the ZIP table: which maps are at hand, and which answers now

    @property
    def usable(self) -> bool:
        """Tell whether the service reads this copy."""
        return self.exists and self.error is None

    @property
    def behind(self) -> bool:
        """Tell whether the copy in use describes a Congress that has ended."""
        return self.summary is not None and self.summary.behind

    def describe(self) -> str:
        """Return one line for people: which copy, how old, what it holds or what is wrong."""
        if not self.exists:
            return (
                f"{self.label}: {self.path} (set by configuration) is missing; "
                "run `advocacy data refresh` to download it there, or fix the setting."
            )
        if self.origin == "snapshot" and self.dated is not None:
            where = f"shipped snapshot dated {self.dated:%Y-%m-%d}"
        else:
            kind = "configured file" if self.origin == "configured" else "downloaded copy"
            written = f", written {self.dated:%Y-%m-%d %H:%M} UTC" if self.dated else ""
            where = f"{kind} {self.path}{written}"
        if self.age is not None:
            days = self.age.days
            where += f" ({days} day{'' if days == 1 else 's'} old)"
        if self.error:
            instead = f"; {self.fallback}" if self.fallback else ""
            return f"{self.label}: {where} cannot be used: {self.error}{instead}"
        if self.problem:
            return (
                f"{self.label}: {where} is in use but fails a check: {self.problem}; fix or "
                "replace it (`advocacy data refresh` keeps only files that pass)"
            )
        held = self.summary.describe() if self.summary else ""
        return f"{self.label}: {where}; {held}{'; ' + self.tables if self.tables else ''}"


def _tables_line(location: DataLocation, congress: int, now: datetime) -> str:
    """Say which ZIP tables the service holds besides the one in use, and which answers now."""
    shipped = sorted(snapshot_zip_tables(location.snapshot))
    others = [c for c in shipped if c != congress]
    if not others:
        return ""
    held = sorted({congress, *others})
    sitting = congress_on(now)
    if sitting in held:
        answers = f"the {ordinal(sitting)} Congress's table answers ZIP codes now"
    else:
        answers = (
            f"the newest table answers ZIP codes now in states whose map has not changed "
            f"since; no table draws the {ordinal(sitting)} Congress's map"
        )
    if location.in_use()[1] == "snapshot":
        at_hand = (
            f"the snapshot ships tables for the {_and([ordinal(c) for c in held])} Congresses"
        )
    else:
        tables = "table stays" if len(others) == 1 else "tables stay"
        at_hand = f"the shipped {_and([ordinal(c) for c in others])} Congress's {tables} at hand"
    return f"{at_hand}: {answers}"


def file_status(location: DataLocation, now: datetime | None = None) -> FileStatus:
    """Describe the copy of one file that the service reads, as it stands at `now`."""
    now = now or datetime.now(UTC)
    path, origin = location.in_use()
    missing = FileStatus(location.name, location.label, path, origin, exists=False)
    try:
        content = read_data_file(path)
        if origin == "snapshot":
            taken = snapshot_date(location.snapshot)
            dated = datetime(taken.year, taken.month, taken.day, tzinfo=UTC)
        else:
            dated = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except FileNotFoundError:
        return missing
    except (OSError, DirectoryError) as exc:
        return replace(missing, exists=True, error=str(exc), fallback=_fallback(location))
    found = replace(missing, exists=True, dated=dated, age=now - dated)
    try:
        congress = _readable(location, content)
    except DataFileError as exc:
        return replace(found, error=str(exc), fallback=_fallback(location))
    if congress is not None:
        found = replace(found, tables=_tables_line(location, congress, now))
    try:
        return replace(found, summary=location.validate(content, now, congress))
    except DataFileError as exc:
        return replace(found, problem=str(exc))


def _readable(location: DataLocation, content: bytes) -> int | None:
    """Read a copy as the service does; return a ZIP table's Congress. Raise if it cannot."""
    try:
        if location.name == LEGISLATORS:
            terms_from_data(json.loads(content))
            return None
        congress = zip_table_congress(location)
        parse_zcta(io.StringIO(content.decode("utf-8-sig"), newline=""))
        return congress
    except (ValueError, DirectoryError) as exc:
        raise DataFileError(f"{location.label} is invalid: {exc}") from exc


def _fallback(location: DataLocation) -> str | None:
    """Say what the service reads when a ZIP table in use cannot be (see service.py)."""
    if location.name != ZCTA or location.in_use()[1] == "snapshot":
        return None
    return (
        f"the service answers from the shipped snapshot's ZIP tables instead "
        f"({_and([ordinal(c) for c in sorted(snapshot_zip_tables(location.snapshot))])} "
        "Congress)"
    )


def status(places: list[DataLocation], now: datetime | None = None) -> list[FileStatus]:
    """Describe the copy in use of each file, as it stands at `now`."""
    return [file_status(place, now) for place in places]


@dataclass(frozen=True)
class FileOutcome:
    """What a refresh did to one file, and which copy serves afterwards.

    Three endings: updated (the download is in use); kept (the download was good but not
    newer than the copy in use, which stays: not a failure); failed (error says why).
    """

    name: str
    label: str
    path: Path
    updated: bool
    summary: Summary | None = None
    error: str | None = None
    kept: str | None = None  # why a good download did not replace the copy in use
    serving: FileStatus | None = None  # when not updated: the copy still in use

    @property
    def ok(self) -> bool:
        """Tell whether the file is as new as it can be: updated, or the copy kept is newer."""
        return self.error is None

    @property
    def behind(self) -> bool:
        """Tell whether the copy in use afterwards describes a Congress that has ended."""
        if self.updated:
            return self.summary is not None and self.summary.behind
        return self.serving is not None and self.serving.behind

    def describe(self) -> str:
        """Return one line for people, true about what is served now."""
        if self.updated:
            summary = self.summary.describe() if self.summary else ""
            return f"{self.label}: updated {self.path}; {summary}"
        serving = self.serving
        if serving is None or not serving.usable:
            why = self.error or self.kept
            return f"{self.label}: not updated ({why}); no usable copy is in place"
        if serving.origin == "snapshot" and serving.dated is not None:
            copy = f"the shipped snapshot dated {serving.dated:%Y-%m-%d}"
        else:
            copy = f"the {'' if self.kept else 'earlier '}copy {serving.path}"
        if self.kept:
            held = serving.summary.describe() if serving.summary else ""
            return f"{self.label}: kept {copy} ({self.kept}); {held}"
        congress = serving.summary.congress if serving.summary else None
        if congress is not None:
            copy += f" (the {ordinal(congress)} Congress)"
        return f"{self.label}: not updated ({self.error}); {copy} is still in use"


def download(session: requests.Session, url: str, timeout: Timeout) -> bytes:
    """Fetch a URL's body, refusing error statuses and oversized answers.

    A local path or `file://` URL is read instead: how a table built on this machine
    (`advocacy data build-zip-table`) is checked and put in use like a download.
    """
    local = _local_path(url)
    if local is not None:
        try:
            if local.stat().st_size > MAX_BYTES:
                raise DataFileError(f"{local} is larger than {MAX_BYTES} bytes")
            return read_data_file(local)
        except (OSError, DirectoryError) as exc:
            raise DataFileError(f"cannot read {local}: {exc}") from exc
    try:
        with session.get(url, timeout=timeout, stream=True) as response:
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise DataFileError(f"{url} is larger than {MAX_BYTES} bytes")
                chunks.append(chunk)
    except requests.Timeout as exc:
        raise DataFileError(f"download of {url} timed out") from exc
    except requests.ConnectionError as exc:
        # The full exception is a paragraph of urllib3 internals; the cause is enough.
        raise DataFileError(f"could not connect to download {url} (no internet?)") from exc
    except requests.RequestException as exc:
        raise DataFileError(f"download of {url} failed: {exc}") from exc
    return b"".join(chunks)


def _local_path(url: str) -> Path | None:
    """Return the file a `file://` URL or a plain path names; None for a web address."""
    if url.startswith("file://"):
        return Path(unquote(urlsplit(url).path))
    if "://" in url:
        return None
    return Path(url)


def write_atomically(path: Path, content: bytes) -> None:
    """Replace a file so readers see the old copy or the new one, never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary file must be in the same directory: os.replace is atomic only within
    # one file system.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; other workers may run as another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable across a crash; not possible on every platform.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fetch(
    session: requests.Session,
    place: DataLocation,
    timeout: Timeout,
    now: datetime,
    zcta_congress: int | None,
) -> FileOutcome:
    target = place.target
    outcome = FileOutcome(place.name, place.label, target, updated=False)
    try:
        congress = _asked_congress(place, zcta_congress)
        content = download(session, place.url, timeout)
        summary = place.validate(content, now, congress)
        kept = _not_newer(summary, _in_use_summary(place, now))
        if kept is None:
            _put_in_place(place, content, summary)
    except DataFileError as exc:
        error = str(exc)
    except OSError as exc:
        error = f"cannot write {target}: {exc}"
    else:
        if kept is None:
            return replace(outcome, updated=True, summary=summary)
        return replace(outcome, summary=summary, kept=kept, serving=file_status(place, now))
    return replace(outcome, error=error, serving=file_status(place, now))


def _asked_congress(place: DataLocation, zcta_congress: int | None) -> int | None:
    """Return whose map a refresh asks the ZIP table to draw (None for the members file)."""
    if place.name != ZCTA:
        return None
    congress = place.url_congress(zcta_congress)
    if place.configured is not None and place.zcta_congress and congress != place.zcta_congress:
        # A configured file's Congress is the setting's: writing another would mislabel it.
        raise DataFileError(
            f"ADVOCACY_ZCTA_PATH is set and ADVOCACY_ZCTA_CONGRESS says its table draws the "
            f"{ordinal(place.zcta_congress)} Congress's map: set ADVOCACY_ZCTA_CONGRESS="
            f"{congress} to put a {ordinal(congress or 0)} table there"
        )
    return congress


def _not_newer(new: Summary, in_use: Summary | None) -> str | None:
    """Say why a good download must not replace the copy in use, or None when it may.

    An older Congress never replaces a newer one, and an older build of the same Congress
    (members: its latest term start is earlier) never replaces a newer one: either would
    bring back members who have left, or a map that has ended.
    """
    if in_use is None or new.congress is None or in_use.congress is None:
        return None
    if new.congress < in_use.congress:
        return (
            f"the download describes the {ordinal(new.congress)} Congress, older than the "
            f"{ordinal(in_use.congress)} the copy in use describes"
        )
    if (
        isinstance(new, LegislatorsSummary)
        and isinstance(in_use, LegislatorsSummary)
        and new.congress == in_use.congress
        and new.as_of is not None
        and in_use.as_of is not None
        and new.as_of < in_use.as_of
    ):
        return (
            f"the download is an older build of the {ordinal(new.congress)} Congress's file "
            f"(latest term start {new.as_of:%Y-%m-%d}, the copy in use's {in_use.as_of:%Y-%m-%d})"
        )
    return None


def _put_in_place(place: DataLocation, content: bytes, summary: Summary) -> None:
    """Write the new copy; a ZIP table with a header naming its Congress, and a sidecar."""
    if isinstance(summary, ZctaSummary):
        # The header says whose map the table draws wherever the file goes afterwards.
        content = with_congress_header(content, summary.congress)
        if place.configured is None:
            # The sidecar first: the service reloads when the table itself changes, and
            # by then the sidecar must already describe it.
            write_atomically(place.sidecar, _sidecar(content, summary.congress, place.url))
    write_atomically(place.target, content)


def refresh(
    session: requests.Session,
    places: list[DataLocation],
    timeout: Timeout = DEFAULT_TIMEOUT,
    *,
    now: datetime | None = None,
    zcta_congress: int | None = None,
) -> list[FileOutcome]:
    """Download, check and replace each file; a file that fails leaves its copy in use.

    zcta_congress is the Congress whose map the ZIP table at its URL draws (default:
    ZCTA_CONGRESS, else what is known of the URL); now is when the files are judged current.
    """
    now = now or datetime.now(UTC)
    return [_fetch(session, place, timeout, now, zcta_congress) for place in places]

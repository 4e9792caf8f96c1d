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
# The map us-zipcodes-congress's zccd.csv draws; it had not been updated for the 120th.
DEFAULT_ZCTA_CONGRESS = 119
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
        text += f"; the {ordinal(sitting)} has sat since {sworn_in_at(sitting)}: {later}"
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

    def describe(self) -> str:
        """Return a one-line human summary."""
        parts = [
            f"{self.members} members: {self.senators} senators, "
            f"{self.representatives} House members"
        ]
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
    congress: int = DEFAULT_ZCTA_CONGRESS
    sitting: int | None = None  # the Congress sitting when the file was checked
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return a one-line human summary."""
        parts = [f"{self.zctas} ZCTAs in {self.states} states and territories ({self.rows} rows)"]
        sitting = self.sitting or self.congress
        later = (
            f"load a {ordinal(sitting)} table with `advocacy data refresh --zcta-congress "
            f"{sitting}` (ADVOCACY_ZCTA_URL says where from)"
        )
        parts.append(describes(self.congress, self.sitting, later))
        parts += [f"warning: {warning}" for warning in self.warnings]
        parts += [f"note: {note}" for note in self.notes]
        return "; ".join(parts)


Summary = LegislatorsSummary | ZctaSummary


def validate_legislators(content: bytes, now: datetime | None = None) -> LegislatorsSummary:
    """Check a `legislators-current.json`, say which Congress it describes, and summarise it.

    What a changeover leaves for days (a state short of a senator, members with no phone
    yet, terms that start later or have ended) is a warning; what no real file looks like
    (three senators for a state, too few members, malformed entries) is an error.
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
    senators = Counter(m.state for m in members if m.chamber == "senate")
    warnings = [*_senate_gaps(senators), *_contact_gaps(members), *_term_gaps(terms, now)]
    total = sum(senators.values())
    return LegislatorsSummary(
        len(members),
        total,
        len(members) - total,
        congress=members_congress(terms),
        sitting=congress_on(now),
        warnings=tuple(warnings),
    )


def _senate_gaps(senators: Counter[str]) -> list[str]:
    """Return a warning per state short of a senator; raise for counts no file should have."""
    wrong = sorted(s for s in senators if s not in STATES or senators[s] > 2)
    if wrong:
        detail = ", ".join(f"{s} {senators[s]}" for s in wrong)
        raise DataFileError(f"legislators file has the wrong number of senators: {detail}")
    short = sorted((s for s in STATES if senators[s] < 2), key=state_name)
    if len(short) > MAX_STATES_SHORT:
        raise DataFileError(
            f"legislators file lacks senators for {len(short)} states "
            f"(more than {MAX_STATES_SHORT}): it looks truncated"
        )
    return [
        f"{state_name(s)} has {'one senator' if senators[s] == 1 else 'no senator'}" for s in short
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
    """Return the Congress a ZIP table draws, from its header and from what was said of it."""
    if named is not None and expected is not None and named != expected:
        raise DataFileError(
            f"the ZIP table's header names the {ordinal(named)} Congress (cd{named}), but it "
            f"was taken for the {ordinal(expected)}: set ADVOCACY_ZCTA_CONGRESS or "
            "`--zcta-congress` to match"
        )
    return named or expected or DEFAULT_ZCTA_CONGRESS


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
def snapshot_metadata() -> dict[str, Any]:
    """Return what the shipped snapshot says about itself (date taken, sources, Congress)."""
    metadata: dict[str, Any] = json.loads((SNAPSHOT_DIR / "snapshot.json").read_text("utf-8"))
    return metadata


def snapshot_date() -> date:
    """Return the day the shipped snapshot was taken."""
    return date.fromisoformat(snapshot_metadata()["taken"])


def snapshot_zip_congress() -> int:
    """Return the Congress whose map the shipped ZIP table draws."""
    congress: int = snapshot_metadata()["files"][ZCTA]["congress"]
    return congress


@cache
def snapshot_zip_table() -> dict[str, list[Seat]]:
    """Return the shipped ZIP table, parsed once: what new tables are compared with."""
    text = read_data_file(SNAPSHOT_DIR / f"{SOURCES[ZCTA][0]}.gz").decode("utf-8-sig")
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
    # draws, and which map `data refresh` asks ZCTA_URL for.
    zcta_congress: int = DEFAULT_ZCTA_CONGRESS

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def shipped(self) -> Path:
        return SNAPSHOT_DIR / f"{SOURCES[self.name][0]}.gz"

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

    def validate(self, content: bytes, now: datetime, congress: int | None = None) -> Summary:
        """Check content for this file; congress is the map a ZIP table is said to draw."""
        if self.name == LEGISLATORS:
            return validate_legislators(content, now)
        return validate_zcta(content, congress or self.zcta_congress, now)


def locations(
    instance_path: str | Path,
    legislators_path: str | Path | None = None,
    zcta_path: str | Path | None = None,
    *,
    legislators_url: str = LEGISLATORS_URL,
    zcta_url: str = ZCTA_URL,
    zcta_congress: int = DEFAULT_ZCTA_CONGRESS,
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
            )
        )
    return places


def zip_table_congress(location: DataLocation) -> int:
    """Return the Congress whose map the ZIP table in use draws.

    The snapshot says so in snapshot.json, a downloaded copy in the sidecar `data refresh`
    wrote beside it; otherwise the file's `cdNNN` header or the ZCTA_CONGRESS setting
    does. Raise DataFileError when the file cannot be read or the two disagree.
    """
    path, origin = location.in_use()
    if origin == "snapshot":
        return snapshot_zip_congress()
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


def _in_use_congress(location: DataLocation) -> int | None:
    """Return the Congress the copy in use describes, or None when it cannot be read."""
    if location.name == ZCTA:
        try:
            return zip_table_congress(location)
        except DataFileError:
            return None
    try:
        data = json.loads(read_data_file(location.in_use()[0]))
        return members_congress(terms_from_data(data))
    except (OSError, ValueError, DirectoryError):
        return None


@dataclass(frozen=True)
class FileStatus:
    """Which copy of a file is in use, how old it is, and what it holds."""

    name: str
    label: str
    path: Path
    origin: Origin
    exists: bool
    dated: datetime | None = None  # the snapshot's day, or when the copy was written
    age: timedelta | None = None
    summary: Summary | None = None
    error: str | None = None

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
            return f"{self.label}: {where} cannot be used: {self.error}"
        return f"{self.label}: {where}; {self.summary.describe() if self.summary else ''}"


def file_status(location: DataLocation, now: datetime | None = None) -> FileStatus:
    """Describe the copy of one file that the service reads, as it stands at `now`."""
    now = now or datetime.now(UTC)
    path, origin = location.in_use()
    missing = FileStatus(location.name, location.label, path, origin, exists=False)
    try:
        content = read_data_file(path)
        if origin == "snapshot":
            taken = snapshot_date()
            dated = datetime(taken.year, taken.month, taken.day, tzinfo=UTC)
        else:
            dated = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except FileNotFoundError:
        return missing
    except (OSError, DirectoryError) as exc:
        return replace(missing, exists=True, error=str(exc))
    try:
        congress = zip_table_congress(location) if location.name == ZCTA else None
        summary, error = location.validate(content, now, congress), None
    except DataFileError as exc:
        summary, error = None, str(exc)
    return replace(
        missing, exists=True, dated=dated, age=now - dated, summary=summary, error=error
    )


def status(places: list[DataLocation], now: datetime | None = None) -> list[FileStatus]:
    """Describe the copy in use of each file, as it stands at `now`."""
    return [file_status(place, now) for place in places]


@dataclass(frozen=True)
class FileOutcome:
    """What a refresh did to one file, and which copy serves afterwards."""

    name: str
    label: str
    path: Path
    updated: bool
    summary: Summary | None = None
    error: str | None = None
    serving: FileStatus | None = None  # after a failure: the copy still in use

    @property
    def ok(self) -> bool:
        """Tell whether the new copy is in place."""
        return self.error is None

    def describe(self) -> str:
        """Return one line for people, true about what is served now."""
        if self.ok:
            summary = self.summary.describe() if self.summary else ""
            return f"{self.label}: updated {self.path}; {summary}"
        serving = self.serving
        if serving is None or not serving.exists or serving.error:
            return f"{self.label}: not updated ({self.error}); no usable copy is in place"
        if serving.origin == "snapshot" and serving.dated is not None:
            copy = f"the shipped snapshot dated {serving.dated:%Y-%m-%d}"
        else:
            copy = f"the earlier copy {serving.path}"
        congress = serving.summary.congress if serving.summary else None
        if congress is not None:
            copy += f" (the {ordinal(congress)} Congress)"
        return f"{self.label}: not updated ({self.error}); {copy} is still in use"


def download(session: requests.Session, url: str, timeout: Timeout) -> bytes:
    """Fetch a URL's body, refusing error statuses and oversized answers."""
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
    try:
        congress = _asked_congress(place, zcta_congress)
        content = download(session, place.url, timeout)
        summary = place.validate(content, now, congress)
        _refuse_older(place, summary)
        _put_in_place(place, content, summary)
    except DataFileError as exc:
        error = str(exc)
    except OSError as exc:
        error = f"cannot write {target}: {exc}"
    else:
        return FileOutcome(place.name, place.label, target, updated=True, summary=summary)
    return FileOutcome(
        place.name,
        place.label,
        target,
        updated=False,
        error=error,
        serving=file_status(place, now),
    )


def _asked_congress(place: DataLocation, zcta_congress: int | None) -> int | None:
    """Return whose map a refresh asks the ZIP table to draw (None for the members file)."""
    if place.name != ZCTA:
        return None
    congress = zcta_congress or place.zcta_congress
    if place.configured is not None and congress != place.zcta_congress:
        # A configured file's Congress is the setting's: writing another would mislabel it.
        raise DataFileError(
            f"ADVOCACY_ZCTA_PATH is set and ADVOCACY_ZCTA_CONGRESS says its table draws the "
            f"{ordinal(place.zcta_congress)} Congress's map: set ADVOCACY_ZCTA_CONGRESS="
            f"{congress} to put a {ordinal(congress)} table there"
        )
    return congress


def _refuse_older(place: DataLocation, summary: Summary) -> None:
    """Refuse to replace the copy in use with a file for an older Congress than it."""
    in_use = _in_use_congress(place)
    if summary.congress is not None and in_use is not None and summary.congress < in_use:
        raise DataFileError(
            f"the download describes the {ordinal(summary.congress)} Congress, older than "
            f"the {ordinal(in_use)} the copy in use describes"
        )


def _put_in_place(place: DataLocation, content: bytes, summary: Summary) -> None:
    """Write the new copy, and for a downloaded ZIP table the sidecar naming its Congress."""
    if isinstance(summary, ZctaSummary):
        # The directory reads the plain `cd` header; the Congress is kept beside the file.
        _named, text = _plain_header(content.decode("utf-8-sig"))
        content = content if _named is None else text.encode()
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
    each location's ZCTA_CONGRESS); now is when the files are judged current.
    """
    now = now or datetime.now(UTC)
    return [_fetch(session, place, timeout, now, zcta_congress) for place in places]

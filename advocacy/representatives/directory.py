"""The legislator directory: who sits for a state or district, and which districts a ZIP touches.

Built once per process from congress-legislators `legislators-current.json` and the ZCTA to
district CSV; every look-up afterwards is a dictionary access.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from advocacy.representatives.legislators import Chamber, Legislator
from advocacy.representatives.states import NON_STATES

# Titles of the non-voting House members, who also have no senators.
NON_VOTING_TITLES: dict[str, str] = {
    **dict.fromkeys(NON_STATES, "Delegate"),
    "PR": "Resident Commissioner",
}

ZCTA_HEADER = ("state_fips", "state_abbr", "zcta", "cd")

Seat = tuple[str, int]


class DirectoryError(Exception):
    """A legislators or ZCTA file could not be read or does not have the expected shape."""


def read_data_file(path: Path) -> bytes:
    """Return a data file's content, decompressing the shipped `.gz` snapshot."""
    content = path.read_bytes()
    if path.suffix != ".gz":
        return content
    try:
        return gzip.decompress(content)
    except (OSError, EOFError) as exc:
        raise DirectoryError(f"{path} is not a readable gzip file: {exc}") from exc


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def build_name(name: Mapping[str, Any]) -> str:
    """Return `official_full`, or first and last name (and suffix) when the file lacks it."""
    full = _text(name.get("official_full"))
    if full:
        return full
    parts = " ".join(p for p in (_text(name.get("first")), _text(name.get("last"))) if p)
    suffix = _text(name.get("suffix"))
    if suffix:
        # The file writes "Bishop, Jr." but "Begich III".
        parts += f", {suffix}" if suffix.rstrip(".") in ("Jr", "Sr") else f" {suffix}"
    return parts


def legislator_from_record(record: Any) -> Legislator:
    """Build a Legislator from one congress-legislators entry, using its last term."""
    try:
        bioguide = record["id"]["bioguide"]
        name = record["name"]
        term = record["terms"][-1]
        kind, state = term["type"], term["state"]
    except (KeyError, IndexError, TypeError) as exc:
        raise DirectoryError(f"legislator entry lacks {exc}: {str(record)[:120]}") from exc
    if not isinstance(bioguide, str) or not isinstance(name, Mapping):
        raise DirectoryError(f"legislator entry has a malformed id or name: {str(record)[:120]}")
    if not isinstance(state, str) or len(state) != 2:
        raise DirectoryError(f"{bioguide}: current term has a malformed state {state!r}")
    last_name = _text(name.get("last"))
    if last_name is None:
        raise DirectoryError(f"{bioguide}: name has no last name")
    chamber: Chamber
    if kind == "sen":
        chamber, title, district = "senate", "Senator", None
    elif kind == "rep":
        chamber, title = "house", NON_VOTING_TITLES.get(state, "Representative")
        district = term.get("district")
        if not isinstance(district, int) or isinstance(district, bool) or district < 0:
            raise DirectoryError(f"{bioguide}: House term has a malformed district {district!r}")
        # The file already stores non-voting seats as 0; being explicit keeps the invariant.
        if state in NON_VOTING_TITLES:
            district = 0
    else:
        raise DirectoryError(f"{bioguide}: current term has unknown type {kind!r}")
    return Legislator(
        bioguide=bioguide,
        name=build_name(name),
        last_name=last_name,
        chamber=chamber,
        title=title,
        state=state,
        district=district,
        party=_text(term.get("party")) or "",
        phone=_text(term.get("phone")),
        url=_text(term.get("url")),
        contact_form=_text(term.get("contact_form")),
        address=_text(term.get("address")),
        office=_text(term.get("office")),
    )


def parse_legislators(data: Any) -> list[Legislator]:
    """Build every Legislator from parsed `legislators-current.json` content."""
    if not isinstance(data, list):
        raise DirectoryError(f"legislators file must hold a JSON list, not {type(data).__name__}")
    return [legislator_from_record(record) for record in data]


def _term_start(record: Any) -> str:
    # Tolerant on purpose: parse_legislators reports malformed entries with a clearer message.
    try:
        start = record["terms"][-1]["start"]
    except (KeyError, IndexError, TypeError):
        return ""
    return start if isinstance(start, str) else ""


def parse_zcta(lines: Iterable[str]) -> dict[str, list[Seat]]:
    """Map each ZCTA to its sorted (state, district) seats from `state_fips,state_abbr,zcta,cd`."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or tuple(h.strip().lstrip("\ufeff") for h in header) != ZCTA_HEADER:
        raise DirectoryError(f"ZCTA file header must be {','.join(ZCTA_HEADER)}, got {header}")
    seats: defaultdict[str, set[Seat]] = defaultdict(set)
    for row in reader:
        if not row:
            continue
        try:
            _fips, state, zcta, cd = (cell.strip() for cell in row)
            district = int(cd)
        except ValueError as exc:
            raise DirectoryError(f"ZCTA file line {reader.line_num} is malformed: {row}") from exc
        if len(zcta) != 5 or not zcta.isdigit() or len(state) != 2 or district < 0:
            raise DirectoryError(f"ZCTA file line {reader.line_num} is malformed: {row}")
        # DC and Puerto Rico appear as 0 in the file, but Census data elsewhere uses 98 for
        # the non-voting seat; congress-legislators stores both as district 0.
        if state in NON_VOTING_TITLES or district == 98:
            district = 0
        seats[zcta].add((state, district))
    return {zcta: sorted(found) for zcta, found in seats.items()}


class Directory:
    """Sitting legislators indexed by seat, and ZCTAs indexed to the seats they touch."""

    def __init__(
        self, legislators: Iterable[Legislator], zip_seats: Mapping[str, Iterable[Seat]]
    ) -> None:
        by_bioguide: dict[str, Legislator] = {}
        house: dict[Seat, Legislator] = {}
        senate: defaultdict[str, list[Legislator]] = defaultdict(list)
        for member in legislators:
            by_bioguide[member.bioguide] = member
            if member.district is None:
                senate[member.state].append(member)
            else:
                # When two members claim one seat, the later one in the input wins.
                house[(member.state, member.district)] = member
        self._by_bioguide = by_bioguide
        self._house = house
        self._senate = {s: tuple(sorted(m, key=lambda x: x.name)) for s, m in senate.items()}
        # Identical seat lists share one tuple: most of the 33,000 ZCTAs repeat a few shapes.
        shared: dict[tuple[Seat, ...], tuple[Seat, ...]] = {}
        self._zips = {z: shared.setdefault(tuple(s), tuple(s)) for z, s in zip_seats.items()}
        self._seats = frozenset(house).union(*self._zips.values())
        self._districts: defaultdict[str, set[int]] = defaultdict(set)
        for state, district in self._seats:
            self._districts[state].add(district)
        self._states = frozenset(self._districts) | frozenset(self._senate)

    @classmethod
    def from_data(cls, legislators: Any, zcta_lines: Iterable[str]) -> Directory:
        """Build a directory from parsed legislators JSON and the ZCTA CSV's lines."""
        members = parse_legislators(legislators)
        # Order by term start so that, if the file briefly lists an outgoing and an incoming
        # member for one seat, the newcomer wins.
        starts = {m.bioguide: _term_start(r) for m, r in zip(members, legislators, strict=True)}
        members.sort(key=lambda m: starts[m.bioguide])
        return cls(members, parse_zcta(zcta_lines))

    @classmethod
    def from_files(cls, legislators_path: str | Path, zcta_path: str | Path) -> Directory:
        """Load a directory from a legislators JSON file and a ZCTA CSV file, plain or .gz."""
        try:
            data = json.loads(read_data_file(Path(legislators_path)))
        except (OSError, ValueError, DirectoryError) as exc:
            raise DirectoryError(f"cannot read legislators {legislators_path}: {exc}") from exc
        try:
            text = read_data_file(Path(zcta_path)).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError, DirectoryError) as exc:
            raise DirectoryError(f"cannot read ZCTA file {zcta_path}: {exc}") from exc
        return cls.from_data(data, io.StringIO(text, newline=""))

    def senators(self, state: str) -> list[Legislator]:
        """Return the state's senators sorted by name; none for DC and the territories."""
        return list(self._senate.get(state, ()))

    def house_member(self, state: str, district: int) -> Legislator | None:
        """Return who sits for the seat, or None when it is vacant or does not exist."""
        return self._house.get((state, district))

    def districts_for_zip(self, zip5: str) -> list[Seat]:
        """Return the sorted (state, district) seats a ZIP touches; empty when unknown."""
        return list(self._zips.get(zip5, ()))

    def get(self, bioguide: str) -> Legislator | None:
        """Return the sitting member with this Bioguide id, if any."""
        return self._by_bioguide.get(bioguide)

    def is_known_state(self, state: str) -> bool:
        """Tell whether the code names a state, DC or territory with a seat."""
        return state in self._states

    def districts(self, state: str) -> list[int]:
        """Return the state's House districts, sorted; [0] for at-large and non-voting seats."""
        return sorted(self._districts.get(state, ()))

    def has_seat(self, state: str, district: int) -> bool:
        """Tell whether the House seat exists, held or vacant."""
        return (state, district) in self._seats

    def vacancies(self) -> list[Seat]:
        """Return the House seats on the map that nobody holds, sorted."""
        return sorted(self._seats - self._house.keys())

    def __len__(self) -> int:
        return len(self._by_bioguide)

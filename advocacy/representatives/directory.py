"""The legislator directory: who sits for a state or district, and which districts a ZIP touches.

Built once per process from congress-legislators `legislators-current.json` and the ZCTA to
district CSV; every look-up afterwards is a dictionary access.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from advocacy.congress.calendar import congress_on, congress_start, term_instant
from advocacy.congress.members import Chamber, Legislator
from advocacy.congress.states import NON_STATES

# Titles of the non-voting House members, who also have no senators.
NON_VOTING_TITLES: dict[str, str] = {
    **dict.fromkeys(NON_STATES, "Delegate"),
    "PR": "Resident Commissioner",
}

ZCTA_HEADER = ("state_fips", "state_abbr", "zcta", "cd")
ZCTA_DISTRICT = re.compile(r"^cd(?:[0-9]{1,3})?$")

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
        term = record["terms"][-1]
    except (KeyError, IndexError, TypeError) as exc:
        raise DirectoryError(f"legislator entry lacks {exc}: {str(record)[:120]}") from exc
    return legislator_from_term(record, term)


def legislator_from_term(record: Any, term: Any) -> Legislator:
    """Build a Legislator from one congress-legislators entry as it stood in one term."""
    if not isinstance(term, Mapping):
        raise DirectoryError(
            f"legislator entry has a term that is not a table: {str(record)[:120]}"
        )
    try:
        bioguide = record["id"]["bioguide"]
        name = record["name"]
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

    def day(entry: Any, key: str) -> date | None:
        value = entry.get(key) if isinstance(entry, Mapping) else None
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    # Unbroken service in this chamber, back from this term: whether the member sat on a
    # given day (a vote's) must not depend on which of their terms a look-up got, and a
    # file merged in December already lists re-elected members' new terms. Old terms start
    # on the day their Congress convened, up to a few weeks after the last one ended; a
    # real break in service is far longer.
    serving_since = day(term, "start")
    terms = record.get("terms") if isinstance(record, Mapping) else None
    if serving_since is not None and isinstance(terms, list):
        index = next((i for i, entry in enumerate(terms) if entry is term), 0)
        for earlier in reversed(terms[:index]):
            start, end = day(earlier, "start"), day(earlier, "end")
            if start is None or end is None or earlier.get("type") != kind:
                break
            if (serving_since - end).days > 31:
                break
            serving_since = min(serving_since, start)
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
        serving_since=serving_since,
    )


def _records(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise DirectoryError(f"legislators file must hold a JSON list, not {type(data).__name__}")
    return data


def parse_legislators(data: Any) -> list[Legislator]:
    """Build every Legislator, in their last term, from `legislators-current.json` content."""
    return [legislator_from_record(record) for record in _records(data)]


def terms_from_data(data: Any) -> list[Term]:
    """Build every member's recent terms from `legislators-current.json` content."""
    return [term for record in _records(data) for term in terms_from_record(record)]


@dataclass(frozen=True, slots=True)
class Term:
    """A member as they stand in one term, and when that term runs (noon to noon)."""

    member: Legislator
    start: datetime
    end: datetime

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _term_day(term: Mapping[str, Any], key: str, bioguide: str) -> datetime:
    value = term.get(key)
    try:
        return term_instant(date.fromisoformat(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DirectoryError(f"{bioguide}: term has a malformed {key} date {value!r}") from None


def terms_from_record(record: Any) -> list[Term]:
    """Return the member's last term and, when they were re-elected, the one before it.

    The term before matters across a changeover: a file merged before noon on January 3
    already lists re-elected members' new terms, which start only at noon.
    """
    last = legislator_from_record(record)
    terms = record["terms"]
    found = [Term(last, *_term_window(terms[-1], last.bioguide))]
    if len(terms) > 1:
        try:
            earlier = legislator_from_term(record, terms[-2])
            found.insert(0, Term(earlier, *_term_window(terms[-2], last.bioguide)))
        except DirectoryError:
            pass  # history, possibly in an older shape; the last term is what matters
    return found


def _term_window(term: Mapping[str, Any], bioguide: str) -> tuple[datetime, datetime]:
    # The term was read into a member first (legislator_from_term), so it is a table.
    start, end = _term_day(term, "start", bioguide), _term_day(term, "end", bioguide)
    if end <= start:
        raise DirectoryError(f"{bioguide}: term ends before it starts")
    return start, end


def members_congress(terms: Iterable[Term]) -> int | None:
    """Return the Congress a members file describes: the one most House terms start in."""
    latest: dict[str, Term] = {}
    for term in terms:
        if term.member.chamber == "house":
            known = latest.get(term.member.bioguide)
            if known is None or known.start < term.start:
                latest[term.member.bioguide] = term
    counts = Counter(congress_on(term.start) for term in latest.values())
    return counts.most_common(1)[0][0] if counts else None


def parse_zcta(lines: Iterable[str]) -> dict[str, list[Seat]]:
    """Map each ZCTA to its sorted (state, district) seats from `state_fips,state_abbr,zcta,cd`."""
    reader = csv.reader(lines)
    header = next(reader, None)
    names = tuple(h.strip().lstrip("\ufeff") for h in header or ())
    # The last column may name the Congress whose map it draws: "cd120".
    if names[:3] != ZCTA_HEADER[:3] or len(names) != 4 or not ZCTA_DISTRICT.match(names[3]):
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


class Members:
    """Legislators indexed by seat and Bioguide ID."""

    def __init__(self, legislators: Iterable[Legislator]) -> None:
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

    def senators(self, state: str) -> list[Legislator]:
        """Return the state's senators sorted by name; none for DC and the territories."""
        return list(self._senate.get(state, ()))

    def house_member(self, state: str, district: int) -> Legislator | None:
        """Return who sits for the seat, or None when it is vacant or does not exist."""
        return self._house.get((state, district))

    def get(self, bioguide: str) -> Legislator | None:
        """Return the member with this Bioguide id, if any."""
        return self._by_bioguide.get(bioguide)

    def held_seats(self) -> frozenset[Seat]:
        return frozenset(self._house)

    def senate_states(self) -> frozenset[str]:
        return frozenset(self._senate)

    def __len__(self) -> int:
        return len(self._by_bioguide)


class Directory:
    """Members of Congress with their terms, and ZIP tables by the Congress they map.

    Read as it is, the directory describes the file: each member in their last term.
    `at(moment)` gives who sits at a moment, so a term that has ended is never current.
    """

    def __init__(
        self,
        terms: Iterable[Term],
        zip_tables: Mapping[int, Mapping[str, Iterable[Seat]]],
    ) -> None:
        # Order by term start so that, if the file briefly lists an outgoing and an
        # incoming member for one seat, the newcomer wins.
        self._terms = sorted(terms, key=lambda t: t.start)
        latest: dict[str, Term] = {}
        for term in self._terms:
            latest[term.member.bioguide] = term
        self._latest = Members(t.member for t in sorted(latest.values(), key=lambda t: t.start))
        self.members_congress = members_congress(self._terms)
        # Identical seat lists share one tuple: most of the 33,000 ZCTAs repeat a few shapes.
        shared: dict[tuple[Seat, ...], tuple[Seat, ...]] = {}
        self.zip_tables: dict[int, dict[str, tuple[Seat, ...]]] = {
            congress: {z: shared.setdefault(tuple(s), tuple(s)) for z, s in table.items()}
            for congress, table in sorted(zip_tables.items(), reverse=True)
        }
        seats = set(self._latest.held_seats())
        for table in self.zip_tables.values():
            seats.update(*table.values())
        self._seats = frozenset(seats)
        self._districts: defaultdict[str, set[int]] = defaultdict(set)
        for state, district in self._seats:
            self._districts[state].add(district)
        self._states = frozenset(self._districts) | self._latest.senate_states()
        # Who sits changes only at term boundaries: one roster per stretch between them.
        self._boundaries = sorted({t.start for t in self._terms} | {t.end for t in self._terms})
        self._rosters: dict[int, Roster] = {}

    @classmethod
    def from_data(
        cls, legislators: Any, zcta_lines: Iterable[str], *, zip_congress: int = 119
    ) -> Directory:
        """Build a directory from parsed legislators JSON and a ZCTA CSV's lines."""
        return cls(terms_from_data(legislators), {zip_congress: parse_zcta(zcta_lines)})

    @classmethod
    def from_files(
        cls,
        legislators_path: str | Path,
        zcta_path: str | Path,
        *,
        zip_congress: int = 119,
        more_zip_tables: Mapping[int, Path] | None = None,
    ) -> Directory:
        """Load a directory from a legislators JSON file and ZCTA CSV files, plain or .gz.

        more_zip_tables adds tables for other Congresses' maps (the shipped one, say),
        used for states whose lines the main table does not draw right.
        """
        try:
            data = json.loads(read_data_file(Path(legislators_path)))
        except (OSError, ValueError, DirectoryError) as exc:
            raise DirectoryError(f"cannot read legislators {legislators_path}: {exc}") from exc
        tables = {zip_congress: _read_zcta(Path(zcta_path))}
        for congress, path in (more_zip_tables or {}).items():
            tables.setdefault(congress, _read_zcta(path))
        return cls(terms_from_data(data), tables)

    def at(self, moment: datetime) -> Roster:
        """Return who sits at a moment: only terms that have started and not ended."""
        index = bisect_right(self._boundaries, moment)
        roster = self._rosters.get(index)
        if roster is None:
            current = Members(t.member for t in self._terms if t.covers(moment))
            roster = self._rosters.setdefault(index, Roster(self, current))
        return roster

    @property
    def zip_congress(self) -> int:
        """Return the Congress whose map the main ZIP table draws."""
        return next(iter(self.zip_tables))

    def senators(self, state: str) -> list[Legislator]:
        """Return the state's senators in the file, sorted by name."""
        return self._latest.senators(state)

    def house_member(self, state: str, district: int) -> Legislator | None:
        """Return who holds the seat in the file, or None."""
        return self._latest.house_member(state, district)

    def get(self, bioguide: str) -> Legislator | None:
        """Return the member with this Bioguide id in the file, if any."""
        return self._latest.get(bioguide)

    def seats_by_table(self, zip5: str) -> dict[int, tuple[Seat, ...]]:
        """Return the seats a ZIP touches in each table that lists it, newest map first."""
        return {c: table[zip5] for c, table in self.zip_tables.items() if zip5 in table}

    def is_known_state(self, state: str) -> bool:
        """Tell whether the code names a state, DC or territory with a seat."""
        return state in self._states

    def districts(self, state: str) -> list[int]:
        """Return the state's House districts, sorted; [0] for at-large and non-voting seats."""
        return sorted(self._districts.get(state, ()))

    def has_seat(self, state: str, district: int) -> bool:
        """Tell whether the House seat exists, held or vacant."""
        return (state, district) in self._seats

    def senate_gaps(self, state: str, moment: datetime) -> list[SenateGap]:
        """Return the state's Senate seats left open at a moment by a term that ended early.

        Senate terms end with a Congress, at noon on January 3 of an odd year. A senator
        whose last term in the file ended at another moment (an appointment that ran until
        a special election, say), and whom nobody has replaced in the file, leaves a seat
        the file does not fill yet. A senator simply missing from the file (one who died
        or resigned is moved out of it) is not found here: nothing says why.
        """
        terms = self._senate_terms_by_state.get(state, ())
        sitting = {t.member.bioguide for t in terms if t.covers(moment)}
        open_seats = SENATE_SEATS - len(sitting)
        if open_seats <= 0:
            return []
        # Each member's last term begun by now (in start order, the later wins): a
        # senator whose next term is listed but not begun has still left the seat open.
        last: dict[str, Term] = {}
        for term in terms:
            if term.start <= moment:
                last[term.member.bioguide] = term
        ended = sorted(
            (
                t
                for t in last.values()
                if t.end <= moment
                and not starts_congress(t.end)
                and t.member.bioguide not in sitting
            ),
            key=lambda t: t.end,
            reverse=True,
        )
        # A term listed for the state that has not begun, by someone not sitting now: a
        # successor waiting to be sworn in. A sitting senator's next term is their own seat.
        waiting = [t for t in terms if t.start > moment and t.member.bioguide not in sitting]
        gaps: list[SenateGap] = []
        for term in ended[:open_seats]:
            successor = next((t for t in waiting if t.start >= term.end), None)
            if successor is not None:
                waiting.remove(successor)
            gaps.append(SenateGap(term, successor))
        return gaps

    @cached_property
    def _senate_terms_by_state(self) -> dict[str, tuple[Term, ...]]:
        """Return each state's Senate terms in start order, built on first use."""
        found: defaultdict[str, list[Term]] = defaultdict(list)
        for term in self._terms:
            if term.member.chamber == "senate":
                found[term.member.state].append(term)
        return {state: tuple(terms) for state, terms in found.items()}

    def __len__(self) -> int:
        return len(self._latest)


# Every state has two Senate seats (DC and the territories have none).
SENATE_SEATS = 2


def starts_congress(moment: datetime) -> bool:
    """Tell whether a moment is a Congress's swearing-in, when regular terms begin and end."""
    return moment == congress_start(congress_on(moment))


def election_day(year: int) -> date:
    """Return the year's federal Election Day: the Tuesday after the first Monday in November."""
    second = date(year, 11, 2)
    return second + timedelta(days=(1 - second.weekday()) % 7)


@dataclass(frozen=True, slots=True)
class SenateGap:
    """A Senate seat the file leaves open: its senator's term ended early, nobody sits since.

    successor is a later term listed for the state that has not begun yet (a special
    election's winner waiting to be sworn in), when the file has one.
    """

    ended: Term
    successor: Term | None = None

    @property
    def state(self) -> str:
        return self.ended.member.state

    @property
    def by_special_election(self) -> bool:
        """Tell whether the term was an appointment that ran until a special election.

        Read from the dates alone: the term began after its Congress did (a regular term
        begins with a Congress) and ended on a federal Election Day, when a special election
        for the Senate is held with the general election.
        """
        ended = self.ended
        return not starts_congress(ended.start) and ended.end.date() == election_day(
            ended.end.year
        )


class Roster:
    """Who sits at one moment, with the directory's maps."""

    def __init__(self, directory: Directory, members: Members) -> None:
        self.directory = directory
        self._members = members

    def senators(self, state: str) -> list[Legislator]:
        """Return the state's sitting senators sorted by name; none for DC and territories."""
        return self._members.senators(state)

    def house_member(self, state: str, district: int) -> Legislator | None:
        """Return who sits for the seat now, or None: vacant, unknown, or no such seat."""
        return self._members.house_member(state, district)

    def get(self, bioguide: str) -> Legislator | None:
        """Return the sitting member with this Bioguide id, if any."""
        return self._members.get(bioguide)

    def districts(self, state: str) -> list[int]:
        return self.directory.districts(state)

    def has_seat(self, state: str, district: int) -> bool:
        return self.directory.has_seat(state, district)

    def __len__(self) -> int:
        return len(self._members)


def _read_zcta(path: Path) -> dict[str, list[Seat]]:
    try:
        text = read_data_file(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, DirectoryError) as exc:
        raise DirectoryError(f"cannot read ZCTA file {path}: {exc}") from exc
    return parse_zcta(io.StringIO(text, newline=""))

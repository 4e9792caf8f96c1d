"""The ZIP-to-district table from the totals read: each ZIP area's districts decided by
population, land or any part, the counts reported, and the table in the app's CSV form."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from advocacy.congress.calendar import ordinal
from advocacy.congress.states import state_name
from advocacy.representatives.datafiles.blockinput import (
    FIPS_STATES,
    LAND,
    PEOPLE,
    UNKNOWN,
    BlockTableError,
    How,
    Part,
    _count,
)
from advocacy.representatives.datafiles.blockrecords import Relationships
from advocacy.representatives.directory import ZCTA_HEADER, Seat

# Every 2020 block is in both files. A handful missing could be a correction between
# releases; more means the files do not belong together (an extract, another decade).
MAX_MISSING_SHARE = 0.001

# --- the table ----------------------------------------------------------------------------

Row = tuple[str, str, str, int]  # state FIPS, USPS code, ZCTA, district
FipsSeat = tuple[int, int]  # (state FIPS, district): a seat before its state is named


@dataclass(frozen=True)
class ZipTable:
    """A built ZIP-to-district table, with the report of how it was made."""

    congress: int
    rows: tuple[Row, ...]
    zctas: int
    decided: Counter[str]  # ZIP areas per measure: population, land, any
    report: tuple[str, ...] = ()

    def seats(self) -> dict[str, list[Seat]]:
        """Return the table as the directory reads one: each ZIP area's seats."""
        table: dict[str, list[Seat]] = {}
        for _fips, state, zcta, district in self.rows:
            table.setdefault(zcta, []).append((state, district))
        return table

    def to_csv(self) -> bytes:
        """Return the table in the app's format, its header naming the Congress."""
        header = ",".join((*ZCTA_HEADER[:-1], f"cd{self.congress}"))
        lines = [header, *(f"{f},{s},{z},{d}" for f, s, z, d in self.rows)]
        return ("\n".join(lines) + "\n").encode()


def decide(parts: Sequence[tuple[int, int, Part]], population: bool) -> tuple[list[FipsSeat], How]:
    """Return the (state FIPS, district) pairs a ZIP area is listed under, and the measure.

    With a population figure for every block of the ZIP area, the districts where its
    part has people; else, or if nobody lives in it, those where its part has land; a ZIP
    area with no land at all, every district it touches.
    """
    if population and not any(part[UNKNOWN] for _s, _d, part in parts):
        lived = [(state, district) for state, district, part in parts if part[PEOPLE] > 0]
        if lived:
            return lived, "population"
    on_land = [(state, district) for state, district, part in parts if part[LAND] > 0]
    if on_land:
        return on_land, "land"
    return [(state, district) for state, district, _part in parts], "any"


def make_table(congress: int, found: Relationships, population: bool) -> ZipTable:
    """Decide each ZIP area's districts, and report how in counts."""
    by_zcta: dict[bytes, list[tuple[int, int, Part]]] = {}
    for (zcta, state, district), part in found.parts.items():
        by_zcta.setdefault(zcta, []).append((state, district, part))
    rows: list[Row] = []
    decided: Counter[str] = Counter()
    touching = listed_many = narrowed = unpeopled = 0
    for zcta, parts in by_zcta.items():
        seats, how = decide(parts, population)
        decided[how] += 1
        if how != "population" and population and not any(p[UNKNOWN] for *_, p in parts):
            unpeopled += 1
        touching += len(parts) > 1
        listed_many += len(seats) > 1
        narrowed += len(seats) < len(parts)
        rows += [(f"{s:02d}", FIPS_STATES[s], zcta.decode(), d) for s, d in seats]
    rows.sort()
    measure = "nobody lives" if population else "they have no land"
    report = (
        f"ZIP areas: {len(by_zcta):,} from {found.rows:,} rows of {found.label} "
        f"(skipped: {_count(found.no_zcta, 'row')} of blocks in no ZIP area, "
        f"{_count(found.no_district, 'row')} of blocks in no district).",
        f"Split: {touching:,} ZIP areas touch more than one district; {listed_many:,} are "
        f"listed under more than one; {_count(narrowed, 'ZIP area')} left out of a district "
        f"where {measure} in {'its' if narrowed == 1 else 'their'} part.",
        _decided_line(decided, population, unpeopled),
        f"Table: {_count(len(rows), 'row')} for the {ordinal(congress)} Congress.",
    )
    return ZipTable(congress, tuple(rows), len(by_zcta), decided, report)


def _decided_line(decided: Counter[str], population: bool, unpeopled: int) -> str:
    """Say how many ZIP areas each measure decided, and why land decided those it did."""
    if population:
        unknown = decided["land"] + decided["any"] - unpeopled
        first = (
            f"Decided by population (2020 block population apportioned by each block's "
            f"share of land; listed where the part has people): {decided['population']:,}; "
        )
        why = f"nobody lives there: {unpeopled:,}, no figure for some blocks: {unknown:,}"
    else:
        first, why = "Decided ", "no population given"
    return (
        f"{first}by land area (listed where AREALAND_PART > 0; {why}): "
        f"{decided['land']:,}; by any part (no land at all): {decided['any']:,}."
    )


def check_missing(found: Relationships, files: Sequence[str]) -> str | None:
    """Refuse blocks missing from the block files past a small share; else warn of them."""
    missing = sum(found.missing.values())
    if not missing:
        return None
    looked_up = found.rows - found.no_zcta
    where = ", ".join(
        f"{state_name(FIPS_STATES.get(s, f'{s:02d}'))} {n:,}"
        for s, n in found.missing.most_common(5)
    )
    line, geoid = found.first_missing or (0, 0)
    text = (
        f"{missing:,} of {looked_up:,} rows of {found.label} name blocks that are in no "
        f"block file read ({' or '.join(files)}): {where}; the first is {geoid:015d} on "
        f"line {line}"
    )
    if missing > MAX_MISSING_SHARE * looked_up:
        raise BlockTableError(
            f"{text}. The files do not belong together (an extract, or another decade's blocks?)"
        )
    return f"warning: {text}; they are left out."

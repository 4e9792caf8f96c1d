"""Reading the Census's block files' records: the block equivalency file and the
ZIP areas' blocks.

A BEF's `GEOID,CDFP` rows become per-state parallel arrays (`StateBlocks`); each row of the
ZCTA-to-block relationship file finds its block by bisection and adds to a small total per
(ZIP area, state, district). Block populations are read by `blockpopulation`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from advocacy.congress.calendar import ordinal
from advocacy.representatives.datafiles.blockinput import (
    CDFP_CODES,
    FIPS_STATES,
    LAND,
    NO_DISTRICT,
    PEOPLE,
    PROGRESS_ROWS,
    REL_BLOCK,
    REL_BLOCK_LAND,
    REL_PART_LAND,
    REL_ZCTA,
    STATE_DIVISOR,
    UNKNOWN,
    UNKNOWN_PEOPLE,
    BlockTableError,
    Opened,
    Part,
    Progress,
    _column,
    _cut_off,
    _header,
    _row_error,
)

# --- the block equivalency file ---------------------------------------------------------


@dataclass(eq=False)
class StateBlocks:
    """One state's blocks: parallel arrays in GEOID order, about 13 bytes a block."""

    source: str
    geoids: array[int] = field(default_factory=lambda: array("q"))
    codes: bytearray = field(default_factory=bytearray)
    people: array[int] | None = None  # 'I', UNKNOWN_PEOPLE where no figure was given
    in_order: bool = True

    def find(self, geoid: int, hint: int) -> int:
        """Return the block's index, trying `hint` first (files list neighbours together)."""
        geoids = self.geoids
        if hint < len(geoids) and geoids[hint] == geoid:
            return hint
        index = bisect_left(geoids, geoid)
        return index if index < len(geoids) and geoids[index] == geoid else -1

    def put_in_order(self) -> None:
        """Sort the arrays by GEOID if the file was not, and refuse a block listed twice."""
        if not self.in_order:
            order = sorted(range(len(self.geoids)), key=self.geoids.__getitem__)
            self.geoids = array("q", [self.geoids[i] for i in order])
            self.codes = bytearray([self.codes[i] for i in order])
            self.in_order = True
            twice = next((a for a, b in pairwise(self.geoids) if a == b), None)
            if twice is not None:
                raise BlockTableError(f"{self.source}: block {twice:015d} is listed twice")


Blocks = dict[int, StateBlocks]  # by state FIPS code
_NOWHERE = StateBlocks("")  # what a state absent from the block files looks up in


@dataclass(frozen=True)
class BlockFile:
    """What reading a BEF gave: the states kept, and the rows of states left out."""

    label: str
    states: Blocks
    rows: int
    left_out: Counter[int]


def read_bef(
    opened: Opened, congress: int, wanted: Callable[[int], bool], progress: Progress
) -> BlockFile:
    """Read a BEF's `GEOID,CDFP` rows, keeping the states `wanted` accepts (by FIPS code).

    Every row is checked, kept or not: a bad row anywhere means a damaged file.
    """
    label = opened.label
    header = _header(opened)
    names = [name.strip().strip('"') for name in header.split(",")]
    geoid_at = _column(names, ("GEOID", "BLOCKID"), label, header)
    code_at = _cd_column(names, congress, label, header)
    width, quoted = len(names), '"' in header
    states: Blocks = {}
    left_out: Counter[int] = Counter()
    current, keep, blocks, last = -1, False, _NOWHERE, -1
    number, line = 1, b"\n"
    for number, line in enumerate(opened.stream, start=2):
        if quoted:
            line = line.replace(b'"', b"")
        cells = line.rstrip(b"\r\n").split(b",")
        if len(cells) != width:
            if cells == [b""]:
                continue
            raise _row_error(label, number, line, f"{len(cells)} fields, expected {width}")
        text, code = cells[geoid_at], CDFP_CODES.get(cells[code_at])
        if len(text) != 15 or not text.isdigit():
            raise _row_error(label, number, line, "malformed block GEOID (15 digits expected)")
        if code is None:
            cd = cells[code_at].decode("utf-8", "replace")
            raise _row_error(label, number, line, f"unknown district code (CDFP) {cd!r}")
        geoid = int(text)
        state = geoid // STATE_DIVISOR
        if state != current:
            if state not in FIPS_STATES:
                raise _row_error(label, number, line, f"no state has FIPS code {state:02d}")
            current, keep = state, wanted(state)
            if keep:
                blocks = states.setdefault(state, StateBlocks(label))
                last = blocks.geoids[-1] if blocks.geoids else -1
        if not keep:
            left_out[state] += 1
            continue
        if geoid <= last:
            if geoid == last:
                raise _row_error(label, number, line, "the block is listed twice")
            blocks.in_order = False  # sorted once at the end
        last = geoid
        blocks.geoids.append(geoid)
        blocks.codes.append(code)
        if number % PROGRESS_ROWS == 0:
            progress(f"{label}: {number:,} rows read")
    if not line.endswith(b"\n"):
        raise _cut_off(label, number)
    for blocks in states.values():
        blocks.put_in_order()
    return BlockFile(label, states, number - 1, left_out)


def _cd_column(names: Sequence[str], congress: int, label: str, header: str) -> int:
    """Return the district column's index: CDFP, DISTRICT, or CD120FP for the 120th."""
    for index, name in enumerate(names):
        upper = name.strip().upper()
        if upper in ("CDFP", "DISTRICT"):
            return index
        if upper.startswith("CD") and upper.endswith("FP") and upper[2:-2].isdigit():
            if int(upper[2:-2]) != congress:
                raise BlockTableError(
                    f"{label} looks like the {ordinal(int(upper[2:-2]))} Congress's block "
                    f"file (its header names {name.strip()}), not the {ordinal(congress)}'s"
                )
            return index
    raise BlockTableError(
        f"{label}: the header has no CDFP column (it reads {header[:200]!r}); a block "
        "equivalency file starts GEOID,CDFP"
    )


# --- the ZIP areas' blocks --------------------------------------------------------------


@dataclass(frozen=True)
class Relationships:
    """What reading the relationship file gave: the parts of each ZIP area, and counts."""

    label: str
    parts: dict[tuple[bytes, int, int], Part]  # (zcta, state FIPS, district) -> Part
    rows: int
    no_zcta: int  # rows of blocks in no ZIP area
    no_district: int  # rows of blocks in no district (CDFP ZZ)
    missing: Counter[int]  # rows whose block is in no block file, by state FIPS
    first_missing: tuple[int, int] | None  # (line, GEOID)


def read_relationships(opened: Opened, states: Blocks, progress: Progress) -> Relationships:
    """Add up each (ZIP area, state, district) part's people and land, block by block."""
    label = opened.label
    header = _header(opened)
    names = header.split("|")
    zcta_at, block_at, land_at, part_at = (
        _column(names, (name,), label, header)
        for name in (REL_ZCTA, REL_BLOCK, REL_BLOCK_LAND, REL_PART_LAND)
    )
    width = len(names)
    parts: dict[tuple[bytes, int, int], Part] = {}
    missing: Counter[int] = Counter()
    first_missing: tuple[int, int] | None = None
    no_zcta = no_district = 0
    current, blocks, hint = -1, _NOWHERE, 0
    number, line = 1, b"\n"
    for number, line in enumerate(opened.stream, start=2):
        cells = line.rstrip(b"\r\n").split(b"|")
        if len(cells) != width:
            if cells == [b""]:
                continue
            raise _row_error(label, number, line, f"{len(cells)} fields, expected {width}")
        zcta = cells[zcta_at]
        if not zcta:
            no_zcta += 1
            continue
        text = cells[block_at]
        if len(text) != 15 or not text.isdigit() or len(zcta) != 5 or not zcta.isdigit():
            raise _row_error(label, number, line, f"malformed {REL_BLOCK} or {REL_ZCTA}")
        try:
            land, block_land = int(cells[part_at]), int(cells[land_at])
        except ValueError:
            raise _row_error(
                label, number, line, f"{REL_PART_LAND} and {REL_BLOCK_LAND} must be numbers"
            ) from None
        geoid = int(text)
        state = geoid // STATE_DIVISOR
        if state != current:
            current, blocks, hint = state, states.get(state, _NOWHERE), 0
        found = blocks.find(geoid, hint)
        if found < 0:
            missing[state] += 1
            first_missing = first_missing or (number, geoid)
            continue
        hint = found + 1
        district = blocks.codes[found]
        if district == NO_DISTRICT:
            no_district += 1
            continue
        key = (zcta, state, district)
        part = parts.get(key)
        if part is None:
            part = parts[key] = [0.0, 0, 0]
        part[LAND] += land
        people = UNKNOWN_PEOPLE if blocks.people is None else blocks.people[found]
        if people == UNKNOWN_PEOPLE:
            part[UNKNOWN] += 1
        elif people:
            # A block's people are spread over its ZIP areas as its land is; a block with
            # no land at all (rare) counts in full wherever it is listed.
            part[PEOPLE] += people * land / block_land if block_land else people
        if number % PROGRESS_ROWS == 0:
            progress(f"{label}: {number:,} rows read")
    if not line.endswith(b"\n"):
        raise _cut_off(label, number)
    return Relationships(label, parts, number - 1, no_zcta, no_district, missing, first_missing)

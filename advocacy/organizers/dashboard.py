"""What the dashboard and the lobby report show, built from stats and the members directory."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from advocacy.congress.members import Legislator
from advocacy.representatives.directory import Roster

PARTY_LETTERS = {"Democrat": "D", "Republican": "R", "Independent": "I", "Libertarian": "L"}
TITLE_SHORT = {
    "Representative": "Rep.",
    "Delegate": "Del.",
    "Resident Commissioner": "Res. Comm.",
    "Senator": "Sen.",
}


def seat_code(state: str, district: int | None) -> str:
    """Return "WA-7", "AK-AL" for an at-large seat, or the state alone when unknown."""
    if district is None:
        return state
    return f"{state}-{district if district else 'AL'}"


def seat_slug(state: str, district: int) -> str:
    """Return the seat as it appears in a report URL: "WA-7", "AK-0"."""
    return f"{state}-{district}"


def party_letter(party: str) -> str:
    return PARTY_LETTERS.get(party, party[:1] if party else "?")


def member_label(member: Legislator) -> str:
    """Return "Rep. Pramila Jayapal (D)"."""
    title = TITLE_SHORT.get(member.title, member.title)
    return f"{title} {member.name} ({party_letter(member.party)})"


@dataclass(frozen=True)
class SeatRow:
    state: str
    district: int | None  # None: pledges whose district is not known, only the state
    count: int
    member: Legislator | None

    @property
    def code(self) -> str:
        return seat_code(self.state, self.district)

    @property
    def label(self) -> str:
        """Return "WA-7, Rep. Pramila Jayapal (D)", or the seat code alone."""
        if self.district is None:
            return f"{self.state}, district not known"
        if self.member is None:
            return self.code
        return f"{self.code}, {member_label(self.member)}"


SortKey = Literal["count", "seat"]


def seat_rows(
    counts: dict[tuple[str, int | None], int], directory: Roster | None, sort: SortKey
) -> list[SeatRow]:
    """Every seat with pledges, and every other seat of a state that has any (at zero)."""
    seats = dict(counts)
    if directory is not None:
        for state in {state for state, _district in counts}:
            for district in directory.districts(state):
                seats.setdefault((state, district), 0)
    rows = [
        SeatRow(
            state,
            district,
            count,
            directory.house_member(state, district)
            if directory is not None and district is not None
            else None,
        )
        for (state, district), count in seats.items()
    ]
    rows.sort(key=lambda r: (r.state, -1 if r.district is None else r.district))
    if sort == "count":
        rows.sort(key=lambda r: -r.count)  # stable: seats stay in order within a count
    return rows


# ASCII only: str.isdigit() and int() also take "²" and "٧", which are no seat's number.
_SEAT = re.compile(r"([A-Za-z]{2})-([0-9]{1,2}|[Aa][Ll])")


def parse_seat(text: str) -> tuple[str, int] | None:
    """Read "WA-7" (or "AK-0", "AK-AL") from a report URL; None when it is not a seat."""
    match = _SEAT.fullmatch(text)
    if match is None:
        return None
    state, district = match.groups()
    return state.upper(), 0 if district.upper() == "AL" else int(district)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    peak: int


def bar_chart(series: list[tuple[object, int]], width: int = 640, height: int = 160) -> Chart:
    """Lay out one bar per day for an inline SVG (drawn by the template)."""
    peak = max((count for _day, count in series), default=0)
    step = width / max(len(series), 1)
    bars = []
    for index, (day, count) in enumerate(series):
        bar_height = (count / peak * (height - 4)) if peak else 0
        bars.append(
            Bar(
                x=round(index * step + step * 0.1, 2),
                y=round(height - bar_height, 2),
                width=round(max(step * 0.8, 0.5), 2),
                height=round(bar_height, 2),
                label=f"{day}: {count}",
            )
        )
    return Chart(width, height, bars, peak)


# A tile map: every state and DC as an equal square, placed roughly where it lies.
TILE_GRID: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (0, 11),
    "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6),
    "WI": (2, 7), "MI": (2, 8), "NY": (2, 9), "RI": (2, 10), "MA": (2, 11),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6),
    "OH": (3, 7), "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6),
    "WV": (4, 7), "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7),
    "SC": (5, 8), "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "TX": (7, 4), "FL": (7, 9),
}  # fmt: skip
TILE = 44  # side of a tile, gap included
SHADES = 5  # shade-0 (none) to shade-4 (the most)


@dataclass(frozen=True)
class Tile:
    state: str
    x: int
    y: int
    count: int
    shade: int


def tile_map(counts: dict[str, int]) -> tuple[list[Tile], int, int]:
    """Lay out the tiles, each shaded by its count against the largest; return tiles, size."""
    peak = max(counts.values(), default=0)
    tiles = []
    for state, (row, col) in TILE_GRID.items():
        count = counts.get(state, 0)
        shade = (
            0 if not count or not peak else 1 + min(SHADES - 2, (count * (SHADES - 1) - 1) // peak)
        )
        tiles.append(Tile(state, col * TILE, row * TILE, count, shade))
    columns = 1 + max(col for _row, col in TILE_GRID.values())
    rows = 1 + max(row for row, _col in TILE_GRID.values())
    return tiles, columns * TILE, rows * TILE

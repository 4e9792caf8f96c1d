"""Which states' district maps changed between Congresses: an editable table, read once.

A district number means something only on one Congress's map. A ZIP table or a geocoder
answer made for one Congress names the right district in another only for states whose
lines did not change in between; this module answers that question from
`map_changes.toml` (or the file ADVOCACY_MAP_CHANGES_PATH names).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from advocacy.congress.states import NON_STATES, STATE_NAMES

SHIPPED_TABLE = Path(__file__).parent / "map_changes.toml"

Lines = Literal["new", "previous"]


class MapTableError(ValueError):
    """The changed-states table cannot be read or has a malformed row."""


@dataclass(frozen=True)
class MapChange:
    """One state's map for one Congress, where it differs from what the Census suggests."""

    congress: int
    state: str
    lines: Lines  # "new" map, or kept on the "previous" Congress's lines
    plan: str
    districts: int
    verify: bool
    sources: tuple[str, ...]


class MapTable:
    """Answers which Congress's map data is right for a state while a Congress sits."""

    def __init__(self, changes: Iterable[MapChange]) -> None:
        self.changes = tuple(sorted(changes, key=lambda c: (c.congress, c.state)))
        self._rows = {(c.congress, c.state): c for c in self.changes}

    def row(self, congress: int, state: str) -> MapChange | None:
        return self._rows.get((congress, state))

    def kept(self, congress: int) -> list[MapChange]:
        """Return the states whose Census geography for this Congress is not their map."""
        return [c for c in self.changes if c.congress == congress and c.lines == "previous"]

    def changed_between(self, state: str, first: int, second: int) -> bool:
        """Tell whether the state's districts differ between two Congresses' maps."""
        low, high = sorted((first, second))
        return any(
            (row := self._rows.get((congress, state))) is not None and row.lines == "new"
            for congress in range(low + 1, high + 1)
        )

    def census_is_wrong(self, state: str, congress: int) -> bool:
        """Tell whether Census data made for this Congress misdraws the state's map."""
        row = self._rows.get((congress, state))
        return row is not None and row.lines == "previous"

    def data_fits(self, state: str, data_congress: int, sitting: int) -> bool:
        """Tell whether map data made for `data_congress` names the state's sitting district."""
        return not self.census_is_wrong(state, data_congress) and not self.changed_between(
            state, data_congress, sitting
        )

    def census_congress(self, state: str, sitting: int) -> int:
        """Return the Congress whose Census geography draws the state's sitting map."""
        congress = sitting
        while self.census_is_wrong(state, congress):
            congress -= 1
        return congress

    def upcoming(self, state: str, sitting: int) -> MapChange | None:
        """Return the state's new map for the next Congress, if it gets one."""
        row = self._rows.get((sitting + 1, state))
        return row if row is not None and row.lines == "new" else None


def _change(raw: Any, index: int) -> MapChange:
    where = f"change {index + 1}"
    if not isinstance(raw, dict):
        raise MapTableError(f"{where} is not a table")
    congress, state, lines = raw.get("congress"), raw.get("state"), raw.get("lines")
    if not isinstance(congress, int) or isinstance(congress, bool) or congress < 1:
        raise MapTableError(f"{where}: congress must be a positive whole number")
    if state not in STATE_NAMES or state in NON_STATES:
        raise MapTableError(f"{where}: {state!r} is not a state's USPS code")
    if lines not in ("new", "previous"):
        raise MapTableError(f'{where} ({state}): lines must be "new" or "previous"')
    districts = raw.get("districts", 0)
    if not isinstance(districts, int) or isinstance(districts, bool) or districts < 1:
        raise MapTableError(f"{where} ({state}): districts must be a positive whole number")
    sources = raw.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s for s in sources):
        raise MapTableError(f"{where} ({state}): sources must be a list of text")
    if not sources:
        raise MapTableError(f"{where} ({state}): say where the fact comes from in sources")
    plan, verify = raw.get("plan", ""), raw.get("verify", False)
    if not isinstance(plan, str) or not isinstance(verify, bool):
        raise MapTableError(f"{where} ({state}): plan must be text and verify true or false")
    return MapChange(congress, state, lines, plan, districts, verify, tuple(sources))


def parse_map_table(text: str) -> MapTable:
    """Build the table from TOML text; raise MapTableError saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MapTableError(f"not valid TOML: {exc}") from exc
    rows = data.get("change", [])
    if not isinstance(rows, list):
        raise MapTableError("[[change]] must be an array of tables")
    changes = [_change(raw, i) for i, raw in enumerate(rows)]
    seen: set[tuple[int, str]] = set()
    for c in changes:
        if (c.congress, c.state) in seen:
            raise MapTableError(f"{c.state} appears twice for the {c.congress}th Congress")
        seen.add((c.congress, c.state))
    return MapTable(changes)


@cache
def load_map_table(path: Path = SHIPPED_TABLE) -> MapTable:
    """Read the changed-states table once per process."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise MapTableError(f"cannot read {path}: {exc}") from exc
    try:
        return parse_map_table(text)
    except MapTableError as exc:
        raise MapTableError(f"{path}: {exc}") from exc

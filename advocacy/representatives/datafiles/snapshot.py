"""The snapshot shipped in the package: its date, its files, a ZIP table per Congress."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from advocacy.representatives.datafiles.sources import SNAPSHOT_DIR, ZCTA
from advocacy.representatives.directory import (
    Seat,
    parse_zcta,
    read_data_file,
)


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
    return by_state(snapshot_zip_table())


# A ZIP table split by state: each ZIP area's districts within that state.
ByState = dict[str, dict[str, frozenset[int]]]


def by_state(table: Mapping[str, Iterable[Seat]]) -> ByState:
    """Split a ZIP table by state: each ZIP area's districts within that state."""
    states: dict[str, dict[str, set[int]]] = {}
    for zcta, seats in table.items():
        for state, district in seats:
            states.setdefault(state, {}).setdefault(zcta, set()).add(district)
    return {s: {z: frozenset(d) for z, d in found.items()} for s, found in states.items()}

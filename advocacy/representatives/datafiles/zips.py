"""Checking a ZIP-to-district table: its shape, the Congress whose map it draws, and that map."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from advocacy.congress.calendar import congress_on, ordinal
from advocacy.congress.maps import MapTable, load_map_table
from advocacy.congress.states import state_name
from advocacy.representatives.datafiles.snapshot import (
    ByState,
    by_state,
    snapshot_by_state,
    snapshot_zip_congress,
)
from advocacy.representatives.datafiles.sources import (
    CD_COLUMN,
    MIN_ZCTA_ROWS,
    MUCH_MOVED,
    DataFileError,
)
from advocacy.representatives.datafiles.summaries import ZctaSummary, and_list
from advocacy.representatives.directory import (
    ZCTA_HEADER,
    DirectoryError,
    Seat,
    parse_zcta,
)


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
        named, text = plain_header(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataFileError(f"ZCTA file is invalid: {exc}") from exc
    congress = agree(named, congress)
    try:
        lines = io.StringIO(text, newline="")
        rows = sum(1 for line in lines if line.strip()) - 1
        lines.seek(0)
        seats = parse_zcta(lines)
    except DirectoryError as exc:
        raise DataFileError(f"ZCTA file is invalid: {exc}") from exc
    if rows < MIN_ZCTA_ROWS:
        raise DataFileError(f"ZCTA file has {rows} rows, expected at least {MIN_ZCTA_ROWS}")
    check = _compare(by_state(seats), congress, snapshot_by_state(), snapshot_zip_congress(), maps)
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


def plain_header(text: str) -> tuple[int | None, str]:
    """Return the Congress a `cdNNN` header names, and the text with the plain `cd` header."""
    first, newline, rest = text.partition("\n")
    cells = tuple(cell.strip() for cell in first.split(","))
    match = CD_COLUMN.fullmatch(cells[-1])
    if cells[:-1] != ZCTA_HEADER[:-1] or match is None:
        return None, text
    end = "\r" if first.endswith("\r") else ""
    return int(match[1]), ",".join(ZCTA_HEADER) + end + newline + rest


def agree(named: int | None, expected: int | None) -> int:
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
    _named, plain = plain_header(text)
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
    return _compare(by_state(table), congress, by_state(reference), reference_congress, maps)


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
            f"the table for the {after} draws {and_list(unchanged)} exactly as the {before} map: "
            f"it is probably a {before} table",
        )
    return MapCheck(errors, tuple(warnings), tuple(notes))

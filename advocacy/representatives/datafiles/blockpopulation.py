"""Reading 2020 block populations (CSV, tab-separated or the Census API's JSON) into the
blocks read from the block equivalency files."""

from __future__ import annotations

import csv
import io
import json
from array import array
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from advocacy.representatives.datafiles.blockinput import (
    BOM,
    BUFFER,
    MAX_JSON_ROW,
    POPULATION_BLOCK,
    POPULATION_COUNT,
    POPULATION_PARTS,
    PROGRESS_ROWS,
    STATE_DIVISOR,
    UNKNOWN_PEOPLE,
    BlockTableError,
    Opened,
    Progress,
    _column,
    _cut_off,
    _header,
)
from advocacy.representatives.datafiles.blockrecords import _NOWHERE, Blocks

# --- population -------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationFile:
    """What reading one population file gave."""

    label: str
    blocks: int  # figures put on blocks of the block files
    elsewhere: int  # rows naming blocks that are in no block file read


def read_population(opened: Opened, states: Blocks, progress: Progress) -> PopulationFile:
    """Put a population file's figures on the blocks: CSV or pipe text, or Census API JSON."""
    label = opened.label
    start = opened.stream.peek(64)[:64].removeprefix(BOM).lstrip()
    rows = _json_rows(opened) if start.startswith(b"[") else _text_rows(opened)
    # Closed here, not when collected: the JSON reader's wrapper must let go of the stream
    # before open_input closes it.
    with closing(rows):
        return _put_population(label, rows, states, progress)


def _put_population(
    label: str, rows: Iterator[tuple[str, Sequence[object]]], states: Blocks, progress: Progress
) -> PopulationFile:
    first = next(rows, None)
    if first is None:
        raise BlockTableError(f"{label} is empty")
    header = [str(name).strip() for name in first[1]]
    block_of, count_at = _population_columns(header, label)
    width = len(header)
    current, blocks, people, hint = -1, _NOWHERE, array("I"), 0
    matched = elsewhere = 0
    for index, (where, row) in enumerate(rows):
        if len(row) != width:
            raise BlockTableError(f"{label} {where}: {len(row)} fields, expected {width}")
        count, geoid = _whole(row[count_at]), block_of(row)
        if count is None and geoid is None and index == 0:
            continue  # data.census.gov's downloads put a row of labels under the names
        if geoid is None or count is None or count >= UNKNOWN_PEOPLE:
            raise BlockTableError(
                f"{label} {where}: expected a 15-digit block GEOID and a whole number of "
                f"people, got {row!r:.160}"
            )
        state = geoid // STATE_DIVISOR
        if state != current:
            current, blocks, hint = state, states.get(state, _NOWHERE), 0
            if blocks.people is None and blocks is not _NOWHERE:
                blocks.people = array("I", [UNKNOWN_PEOPLE]) * len(blocks.geoids)
            people = blocks.people if blocks.people is not None else array("I")
        found = blocks.find(geoid, hint)
        if found < 0:
            elsewhere += 1
            continue
        hint = found + 1
        if people[found] != UNKNOWN_PEOPLE:
            raise BlockTableError(f"{label} {where}: block {geoid:015d} is listed twice")
        people[found] = count
        matched += 1
        if matched % PROGRESS_ROWS == 0:
            progress(f"{label}: {matched:,} blocks' population read")
    return PopulationFile(label, matched, elsewhere)


def _whole(value: object) -> int | None:
    """Return a count given as a number or as text, or None if it is not a whole number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _population_columns(
    header: Sequence[str], label: str
) -> tuple[Callable[[Sequence[object]], int | None], int]:
    """Return how to read a row's block GEOID, and where its count is."""
    shown = ",".join(header)
    count_at = _column(header, POPULATION_COUNT, label, shown)
    upper = [name.upper() for name in header]
    if any(name in upper for name in POPULATION_BLOCK):
        geoid_at = _column(header, POPULATION_BLOCK, label, shown)
        return (lambda row: _block_geoid(str(row[geoid_at]))), count_at
    if all(name in upper for name in POPULATION_PARTS):
        # The Census API names the block by its parts: state, county, tract, block.
        at = [upper.index(name) for name in POPULATION_PARTS]
        return (lambda row: _block_geoid("".join(str(row[i]) for i in at))), count_at
    raise BlockTableError(
        f"{label}: the header has no block column ({', '.join(POPULATION_BLOCK)}, or "
        f"state, county, tract and block; it reads {shown[:200]!r})"
    )


def _block_geoid(text: str) -> int | None:
    """Return a block GEOID as a number: 15 digits, or data.census.gov's 1000000US…"""
    text = text.strip().strip('"').rpartition("US")[2]
    return int(text) if len(text) == 15 and text.isdigit() else None


def _text_rows(opened: Opened) -> Generator[tuple[str, Sequence[object]]]:
    """Yield ("line N", cells) of comma-, pipe- or tab-separated text, the header first."""
    header = _header(opened)
    delimiter = max("|,\t", key=header.count)
    yield "line 1", _split(header, delimiter)
    for number, raw in enumerate(opened.stream, start=2):
        if not raw.endswith(b"\n"):
            raise _cut_off(opened.label, number)
        line = raw.rstrip(b"\r\n").decode("utf-8", "replace")
        if line:
            yield f"line {number}", _split(line, delimiter)


def _split(line: str, delimiter: str) -> list[str]:
    # Only quoted cells (data.census.gov's "Block 1000, ..., Alabama") need the csv module.
    if '"' in line:
        return next(csv.reader([line], delimiter=delimiter))
    return line.split(delimiter)


def _json_rows(opened: Opened) -> Generator[tuple[str, Sequence[object]]]:
    """Yield ("row N", cells) of a JSON array of arrays (the Census API's answer).

    One state's answer is hundreds of megabytes once parsed into Python lists, so rows are
    decoded one at a time from a sliding window of the text.
    """
    text = io.TextIOWrapper(opened.stream, encoding="utf-8-sig")
    try:
        for number, row in enumerate(_JsonArray(text, opened.label).rows(), start=1):
            if not isinstance(row, list):
                raise BlockTableError(f"{opened.label} row {number}: not an array: {row!r:.160}")
            yield f"row {number}", row
    finally:
        text.detach()  # the stream is open_input's to close


class _JsonArray:
    """Reads the elements of one top-level JSON array from a text stream, one at a time."""

    def __init__(self, text: io.TextIOWrapper, label: str) -> None:
        self.text, self.label = text, label
        self.buffer, self.pos = "", 0
        self.decoder = json.JSONDecoder()

    def rows(self) -> Iterator[object]:
        if self._next_char() != "[":
            raise BlockTableError(f"{self.label} is not a JSON array of rows")
        self.pos += 1
        if self._next_char() == "]":
            return
        while True:
            yield self._value()
            char = self._next_char()
            self.pos += 1
            if char == "]":
                break
            if char == "":
                raise BlockTableError(f"{self.label} ends early: the file looks cut off")
            if char != ",":
                raise BlockTableError(f"{self.label}: expected ',' or ']', found {char!r}")
        if self._next_char():
            raise BlockTableError(f"{self.label} has more after its array")

    def _next_char(self) -> str:
        """Return the next character that is not white space ('' at the end)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def _more(self) -> bool:
        chunk = self.text.read(BUFFER)
        self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0
        return bool(chunk)

    def _value(self) -> Any:
        self._next_char()  # raw_decode does not skip white space before the value
        while True:
            try:
                value, self.pos = self.decoder.raw_decode(self.buffer, self.pos)
                return value
            except json.JSONDecodeError as exc:
                # A row that runs past the window needs more text; a long one is broken.
                if len(self.buffer) - self.pos < MAX_JSON_ROW and self._more():
                    continue
                at_end = len(self.buffer) - self.pos < MAX_JSON_ROW
                what = "ends early: the file looks cut off" if at_end else f"is not JSON: {exc}"
                raise BlockTableError(f"{self.label} {what}") from exc

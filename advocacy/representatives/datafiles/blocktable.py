"""Build a ZIP (ZCTA) to congressional district table from the Census's block files.

No ZIP table exists for a Congress until someone builds one. The Census publishes the
pieces: a block equivalency file (BEF) giving each 2020 census block's district for that
Congress, and the 2020 ZCTA-to-block relationship file giving each block's ZIP area(s).
Joined on the block, with optional 2020 block populations as weights, they give the
app's table (`state_fips,state_abbr,zcta,cdNNN`).

Both are national and large (8.2 million blocks; 8.5 million relationship rows, about
1 GB), so everything streams. The BEF is held per state as parallel arrays in GEOID order
(GEOIDs as 64-bit integers, district codes as bytes, populations as 32-bit integers),
about 13 bytes a block; each relationship row finds its block by bisection and adds to a
small total per (ZIP area, state, district).

A ZIP area is listed under the districts where people live in its part (a block's 2020
population apportioned to the ZIP area by the block's share of land in it); without
population, or where nobody lives in it, where it has land; with no land at all, under
every district it touches. docs/zip-tables.md says more.

Nothing here reads Flask, the environment or the network on its own: the HTTP session is
passed in.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path, PurePosixPath
from typing import Any, Literal, cast
from urllib.parse import urlsplit

import requests

from advocacy.congress.calendar import congress_start, ordinal
from advocacy.congress.maps import MapTable
from advocacy.congress.states import STATE_BY_FIPS, state_name
from advocacy.representatives.directory import ZCTA_HEADER, Seat

BEF_URL = (
    "https://www2.census.gov/programs-surveys/decennial/rdo/mapping-files/{year}/"
    "{congress}-congressional-district-befs/cd{congress}.zip"
)
REL_URL = (
    "https://www2.census.gov/geo/docs/maps-data/data/rel2020/zcta520/"
    "tab20_zcta520_tabblock20_natl.txt"
)
# The BEFs before the 118th Congress are drawn on 2010 blocks, which the 2020 relationship
# file does not name.
FIRST_CONGRESS_ON_2020_BLOCKS = 118

# The relationship file is 1.06 GB and a BEF about 25 MB: an answer past this is not the
# file asked for.
MAX_DOWNLOAD_BYTES = 4 * 1024**3
# (connect, longest wait between two reads) in seconds, for files of a gigabyte.
DOWNLOAD_TIMEOUT: tuple[float, float] = (10.0, 120.0)
PROGRESS_ROWS = 2_000_000
PROGRESS_BYTES = 200 * 1024**2
# Every 2020 block is in both files. A handful missing could be a correction between
# releases; more means the files do not belong together (an extract, another decade).
MAX_MISSING_SHARE = 0.001

BUFFER = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
BOM = b"\xef\xbb\xbf"
STATE_DIVISOR = 10**13  # a 15-digit block GEOID // this = its state's FIPS code
NO_DISTRICT = 255  # CDFP "ZZ": a block in no district (water)
UNKNOWN_PEOPLE = 2**32 - 1  # an array('I') slot for a block with no population figure
# "00" is at large and "01".."59" numbered (no state has had more than 53 seats); "98" is
# a delegate's area, which the app, like congress-legislators, calls district 0.
CDFP_CODES: dict[bytes, int] = {f"{n:02d}".encode(): n for n in range(60)}
CDFP_CODES |= {b"98": 0, b"ZZ": NO_DISTRICT}
FIPS_STATES: dict[int, str] = {int(fips): code for fips, code in STATE_BY_FIPS.items()}
STATE_FIPS: dict[str, int] = {code: fips for fips, code in FIPS_STATES.items()}

REL_BLOCK = "GEOID_TABBLOCK_20"
REL_ZCTA = "GEOID_ZCTA5_20"
REL_BLOCK_LAND = "AREALAND_TABBLOCK_20"
REL_PART_LAND = "AREALAND_PART"
POPULATION_BLOCK = ("GEOID", "GEOID20", "GEOCODE", "GEO_ID")
POPULATION_COUNT = ("P1_001N", "POP20", "P0010001", "POP100")
POPULATION_PARTS = ("STATE", "COUNTY", "TRACT", "BLOCK")  # the Census API's columns
MAX_JSON_ROW = 64 * 1024

Progress = Callable[[str], None]
How = Literal["population", "land", "any"]
# Per (ZIP area, state FIPS, district): [people, land in square metres, blocks without a
# population figure]. A list, not a class: it is updated 8.5 million times.
Part = list[float]
PEOPLE, LAND, UNKNOWN = 0, 1, 2


class BlockTableError(Exception):
    """An input could not be fetched or read, or does not make a table."""


def _quiet(_message: str) -> None:
    pass


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


# --- what to read -----------------------------------------------------------------------


def bef_url(congress: int) -> str:
    """Return the Census's URL of a Congress's block equivalency file (cdNNN.zip)."""
    return BEF_URL.format(year=congress_start(congress).year, congress=congress)


@dataclass(frozen=True)
class BuildPlan:
    """The inputs for one table: paths or URLs, and the states taken from an earlier file."""

    congress: int
    blocks: str
    zcta_blocks: str
    population: tuple[str, ...] = ()
    earlier_blocks: str | None = None
    earlier_congress: int | None = None
    kept: tuple[str, ...] = ()  # USPS codes taken from the earlier file
    notes: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """Return a line per input for people: what is read, and from where."""
        lines = [
            f"Blocks of the {ordinal(self.congress)} Congress: {self.blocks}",
            f"ZIP areas' blocks: {self.zcta_blocks}",
        ]
        if self.earlier_blocks and self.earlier_congress:
            names = ", ".join(state_name(s) for s in self.kept)
            lines.append(
                f"{names} from the {ordinal(self.earlier_congress)} Congress's blocks: "
                f"{self.earlier_blocks}"
            )
        lines += [f"2020 block population: {source}" for source in self.population]
        if not self.population:
            lines.append("No block population given: ZIP areas are split by land area.")
        return lines + list(self.notes)


def plan_build(
    congress: int,
    maps: MapTable,
    *,
    blocks: str | None = None,
    zcta_blocks: str | None = None,
    earlier_blocks: str | None = None,
    population: Sequence[str] = (),
) -> BuildPlan:
    """Decide the inputs: those given, else the Census's own URLs.

    The changed-states table says which states the Census's file for this Congress
    misdraws (Missouri for the 120th); they come from the file of the Congress whose
    lines they keep.
    """
    if congress < FIRST_CONGRESS_ON_2020_BLOCKS:
        raise BlockTableError(
            f"the {ordinal(congress)} Congress's block file is drawn on 2010 blocks; the "
            f"ZIP areas' file names 2020 blocks (the {ordinal(FIRST_CONGRESS_ON_2020_BLOCKS)}"
            " Congress onward)"
        )
    kept = tuple(change.state for change in maps.kept(congress))
    earlier = sorted({maps.census_congress(state, congress) for state in kept})
    if len(earlier) > 1:
        raise BlockTableError(
            f"the changed-states table keeps states on lines from {len(earlier)} different "
            "Congresses; one earlier block file cannot supply them all"
        )
    notes: tuple[str, ...] = ()
    if not kept and earlier_blocks:
        notes = (
            f"note: --earlier-blocks is not used: the changed-states table keeps no state "
            f"on earlier lines for the {ordinal(congress)} Congress",
        )
        earlier_blocks = None
    earlier_congress = earlier[0] if earlier else None
    if earlier_congress is not None and earlier_congress < FIRST_CONGRESS_ON_2020_BLOCKS:
        raise BlockTableError(
            f"{', '.join(map(state_name, kept))} keep the {ordinal(earlier_congress)} "
            "Congress's lines, drawn on 2010 blocks: this builder cannot supply them"
        )
    return BuildPlan(
        congress=congress,
        blocks=blocks or bef_url(congress),
        zcta_blocks=zcta_blocks or REL_URL,
        population=tuple(population),
        earlier_blocks=(earlier_blocks or bef_url(earlier_congress)) if earlier_congress else None,
        earlier_congress=earlier_congress,
        kept=kept,
        notes=notes,
    )


# --- getting a file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One input as the user named it (a path or URL) and the local file holding it."""

    source: str
    path: Path


def is_url(source: str) -> bool:
    """Tell whether an input names a web address rather than a local file."""
    return source.startswith(("http://", "https://"))


def fetch(
    source: str,
    session: requests.Session,
    directory: Path,
    *,
    limit: int = MAX_DOWNLOAD_BYTES,
    timeout: tuple[float, float] = DOWNLOAD_TIMEOUT,
    progress: Progress = _quiet,
) -> Input:
    """Return a local file for a path or URL, streaming a URL into a file in directory."""
    if not is_url(source):
        path = Path(source)
        if not path.is_file():
            raise BlockTableError(f"{source}: no such file")
        return Input(source, path)
    # The file keeps the URL's name (NationalCD120.txt says which Congress it is), in a
    # folder of its own so two inputs of the same name do not collide.
    folder = Path(tempfile.mkdtemp(prefix="download-", dir=directory))
    path = folder / (PurePosixPath(urlsplit(source).path).name or "download")
    _download(session, source, path, limit, timeout, progress)
    return Input(source, path)


def _download(
    session: requests.Session,
    url: str,
    path: Path,
    limit: int,
    timeout: tuple[float, float],
    progress: Progress,
) -> None:
    received = 0
    declared: int | None = None
    try:
        with session.get(url, timeout=timeout, stream=True) as response:
            if response.status_code != 200:
                raise BlockTableError(
                    f"{url} answered {response.status_code} {response.reason}: not downloaded"
                )
            declared = _declared_length(response)
            if declared is not None and declared > limit:
                raise BlockTableError(f"{url} is {declared:,} bytes, more than {limit:,}")
            with path.open("wb") as out:
                for chunk in response.iter_content(chunk_size=BUFFER):
                    if received // PROGRESS_BYTES != (received + len(chunk)) // PROGRESS_BYTES:
                        progress(f"{url}: {(received + len(chunk)) / 1e6:,.0f} MB downloaded")
                    received += len(chunk)
                    if received > limit:
                        raise BlockTableError(f"{url} is larger than {limit:,} bytes")
                    out.write(chunk)
    except requests.Timeout as exc:
        raise BlockTableError(f"download of {url} timed out") from exc
    except (
        requests.exceptions.ChunkedEncodingError,
        requests.exceptions.ContentDecodingError,
    ) as exc:
        raise BlockTableError(_cut_off_download(url, received, declared)) from exc
    except requests.ConnectionError as exc:
        if received:
            raise BlockTableError(_cut_off_download(url, received, declared)) from exc
        # The full exception is a paragraph of urllib3 internals; the cause is enough.
        raise BlockTableError(f"could not connect to download {url} (no internet?)") from exc
    except requests.RequestException as exc:
        raise BlockTableError(f"download of {url} failed: {exc}") from exc
    if declared is not None and received != declared:
        raise BlockTableError(_cut_off_download(url, received, declared))


def _declared_length(response: requests.Response) -> int | None:
    """Return the body's length as the server announced it, if it can be checked."""
    if response.headers.get("Content-Encoding", "identity") != "identity":
        return None  # requests hands over the decoded body, of another length
    try:
        return int(response.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


def _cut_off_download(url: str, received: int, declared: int | None) -> str:
    of = f" of {declared:,}" if declared is not None else ""
    return f"download of {url} was cut off after {received:,}{of} bytes; try again"


# --- reading a file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """An input opened for reading: a stream of bytes and how messages name it."""

    stream: io.BufferedReader[Any]
    label: str
    member: str | None = None  # the zip member read, if the input is an archive


@contextmanager
def open_input(item: Input, choose: Callable[[str, list[str]], str]) -> Iterator[Opened]:
    """Open a plain file, or the member `choose` picks from a zip archive, as bytes.

    A zip member's CRC is checked as it is read to its end, so a damaged or cut-off
    archive is refused, with a message naming it, before its table is used.
    """
    with item.path.open("rb") as probe:
        zipped = probe.read(4) == ZIP_MAGIC
    if not zipped:
        with io.BufferedReader(io.FileIO(item.path), BUFFER) as plain:
            yield Opened(plain, item.source)
        return
    try:
        archive = zipfile.ZipFile(item.path)
    except zipfile.BadZipFile as exc:
        raise BlockTableError(
            f"{item.source} is not a valid zip archive ({exc}): the download looks cut off "
            "or damaged; fetch it again"
        ) from exc
    with archive:
        member = choose(item.source, archive.namelist())
        label = f"{item.source} ({member})"
        try:
            with archive.open(member) as raw:
                # ZipExtFile's own readline is Python code; a BufferedReader's is C.
                yield Opened(io.BufferedReader(cast(io.RawIOBase, raw), BUFFER), label, member)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise BlockTableError(
                f"{label} is damaged ({exc}): the archive looks cut off or corrupt; fetch it again"
            ) from exc


def bef_member(congress: int) -> Callable[[str, list[str]], str]:
    """Return a chooser of `NationalCD{congress}.txt` (any case) among a BEF zip's members."""

    def choose(source: str, names: list[str]) -> str:
        wanted = f"nationalcd{congress}.txt"
        for name in names:
            if PurePosixPath(name).name.lower() == wanted:
                return name
        _refuse_other_congress(source, congress, names)
        shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
        raise BlockTableError(
            f"{source} has no NationalCD{congress}.txt (it holds {shown or 'nothing'}): "
            f"not the Census's block equivalency file for the {ordinal(congress)} Congress"
        )

    return choose


def _refuse_other_congress(source: str, congress: int, names: Sequence[str]) -> None:
    """Refuse a BEF whose file names say it is another Congress's (cd119.zip for the 120th)."""
    for name in names:
        base = PurePosixPath(name).name.lower()
        for prefix in ("nationalcd", "cd"):
            number = base.removeprefix(prefix)[:3]
            if base.startswith(prefix) and number.isdigit() and int(number) != congress:
                raise BlockTableError(
                    f"{source} looks like the {ordinal(int(number))} Congress's block file "
                    f"({PurePosixPath(name).name}), not the {ordinal(congress)}'s: give "
                    f"cd{congress}.zip or NationalCD{congress}.txt"
                )


def only_text_member(source: str, names: list[str]) -> str:
    """Choose the one text member of a zip archive (a zipped relationship or population file)."""
    texts = [n for n in names if n.lower().endswith((".txt", ".csv", ".json"))]
    if len(texts) != 1:
        raise BlockTableError(
            f"{source} holds {len(texts)} text files ({', '.join(texts[:6])}): give the one "
            "to read, unzipped"
        )
    return texts[0]


def _header(opened: Opened) -> str:
    """Read the header line, without byte-order mark or line end."""
    line = opened.stream.readline()
    if not line:
        raise BlockTableError(f"{opened.label} is empty")
    if not line.endswith(b"\n"):
        raise _cut_off(opened.label, 1)
    return line.removeprefix(BOM).rstrip(b"\r\n").decode("utf-8", "replace")


def _cut_off(label: str, number: int) -> BlockTableError:
    return BlockTableError(
        f"{label} ends in the middle of line {number}: the file looks cut off (an "
        "interrupted download?); fetch it again"
    )


def _row_error(label: str, number: int, line: bytes, problem: str) -> BlockTableError:
    """Describe a bad row; a last line with no line end is a cut-off file, not a bad row."""
    if not line.endswith(b"\n"):
        return _cut_off(label, number)
    shown = line.rstrip(b"\r\n")[:160].decode("utf-8", "replace")
    return BlockTableError(f"{label} line {number}: {problem}: {shown!r}")


def _column(names: Sequence[str], wanted: Sequence[str], label: str, header: str) -> int:
    """Return the index of the first of `wanted` the header names (any case)."""
    upper = [name.strip().upper() for name in names]
    for name in wanted:
        if name.upper() in upper:
            return upper.index(name.upper())
    raise BlockTableError(
        f"{label}: the header has no {' or '.join(wanted)} column (it reads {header[:200]!r})"
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


# --- all of it ----------------------------------------------------------------------------


def build_zip_table(
    plan: BuildPlan,
    session: requests.Session,
    workdir: Path,
    progress: Progress = _quiet,
) -> ZipTable:
    """Fetch and read the inputs a plan names, and build the table.

    Downloads go into workdir. The block files are fetched and read first, so a wrong
    one is refused before the 1 GB relationship file is downloaded.
    """
    kept = {STATE_FIPS[state] for state in plan.kept}
    main = fetch(plan.blocks, session, workdir, progress=progress)
    earlier = _fetch_earlier(plan, session, workdir, progress)
    bef = _read_bef_input(main, plan.congress, lambda state: state not in kept, progress)
    states = bef.states
    files = [bef.label]
    report = [f"Blocks: {sum(len(b.geoids) for b in states.values()):,} from {bef.label}."]
    if earlier is not None and plan.earlier_congress is not None:
        old = _read_bef_input(earlier, plan.earlier_congress, kept.__contains__, progress)
        states.update(old.states)
        files.append(old.label)
        report += _kept_lines(plan.kept, plan.earlier_congress, bef, old)
    counted = []
    for source in plan.population:
        item = fetch(source, session, workdir, progress=progress)
        with open_input(item, only_text_member) as opened:
            counted.append(read_population(opened, states, progress))
    if counted:
        report.append(_population_line(counted, states))
    rel = fetch(plan.zcta_blocks, session, workdir, progress=progress)
    with open_input(rel, only_text_member) as opened:
        found = read_relationships(opened, states, progress)
    warning = check_missing(found, files)
    table = make_table(plan.congress, found, population=bool(counted))
    report += [*table.report[:-1], *([warning] if warning else []), table.report[-1]]
    return ZipTable(plan.congress, table.rows, table.zctas, table.decided, tuple(report))


def _read_bef_input(
    item: Input, congress: int, wanted: Callable[[int], bool], progress: Progress
) -> BlockFile:
    with open_input(item, bef_member(congress)) as opened:
        if opened.member is None:
            # A plain text file can say which Congress it is only by its name.
            _refuse_other_congress(item.source, congress, [_file_name(item.source)])
        return read_bef(opened, congress, wanted, progress)


def _file_name(source: str) -> str:
    return PurePosixPath(urlsplit(source).path if is_url(source) else source).name


def _fetch_earlier(
    plan: BuildPlan, session: requests.Session, workdir: Path, progress: Progress
) -> Input | None:
    if not plan.kept or plan.earlier_blocks is None or plan.earlier_congress is None:
        return None
    names = ", ".join(state_name(s) for s in plan.kept)
    earlier = ordinal(plan.earlier_congress)
    try:
        return fetch(plan.earlier_blocks, session, workdir, progress=progress)
    except BlockTableError as exc:
        raise BlockTableError(
            f"{names} must be taken from the {earlier} Congress's block file (the "
            f"changed-states table keeps {names} on its {earlier} lines): give it with "
            f"--earlier-blocks (cd{plan.earlier_congress}.zip, a path or URL); {exc}"
        ) from exc


def _kept_lines(kept: Sequence[str], earlier: int, new: BlockFile, old: BlockFile) -> list[str]:
    lines = []
    for code in kept:
        fips = STATE_FIPS[code]
        taken = len(old.states[fips].geoids) if fips in old.states else 0
        lines.append(
            f"{state_name(code)}: {_count(taken, 'block')} from {old.label}, on its "
            f"{ordinal(earlier)} lines as the changed-states table says "
            f"({_count(new.left_out[fips], 'row')} of {new.label} not used)."
        )
    return lines


def _population_line(counted: Sequence[PopulationFile], states: Blocks) -> str:
    covered = [b.people for b in states.values() if b.people is not None]
    without = sum(people.count(UNKNOWN_PEOPLE) for people in covered)
    elsewhere = sum(p.elsewhere for p in counted)
    return (
        f"Population: {sum(p.blocks for p in counted):,} blocks with a 2020 count from "
        f"{_count(len(counted), 'file')}, in {_count(len(covered), 'state')}; "
        f"{without:,} blocks of those states have no figure; {elsewhere:,} rows name "
        "blocks in no block file (not used)."
    )

"""The ZIP table builder's common pieces, and getting and opening its inputs.

The error, the Census files' codes and limits, fetching a path or URL (streaming a URL
into a file), and opening a plain file or the right member of a zip archive as bytes,
with the header and row checks every reader shares. `blocktable` builds the table.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal, cast
from urllib.parse import urlsplit

import requests

from advocacy.congress.calendar import ordinal
from advocacy.congress.states import STATE_BY_FIPS

# The relationship file is 1.06 GB and a BEF about 25 MB: an answer past this is not the
# file asked for.
MAX_DOWNLOAD_BYTES = 4 * 1024**3
# (connect, longest wait between two reads) in seconds, for files of a gigabyte.
DOWNLOAD_TIMEOUT: tuple[float, float] = (10.0, 120.0)
PROGRESS_ROWS = 2_000_000
PROGRESS_BYTES = 200 * 1024**2

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

"""The members and ZIP-to-district files: shipped snapshot, downloaded copy, or a set path.

The package ships a dated, compressed snapshot of both files, so a fresh install answers
look-ups with no network. `advocacy data refresh` downloads newer copies into the
instance folder, which then take precedence; ADVOCACY_LEGISLATORS_PATH and
ADVOCACY_ZCTA_PATH override both.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import requests

from advocacy.http import DEFAULT_TIMEOUT
from advocacy.representatives.directory import (
    DirectoryError,
    parse_legislators,
    parse_zcta,
    read_data_file,
)
from advocacy.representatives.states import NON_STATES, STATE_NAMES

LEGISLATORS_URL = "https://unitedstates.github.io/congress-legislators/legislators-current.json"
ZCTA_URL = (
    "https://raw.githubusercontent.com/OpenSourceActivismTech/us-zipcodes-congress/master/zccd.csv"
)
SNAPSHOT_DIR = Path(__file__).parent / "snapshot"

LEGISLATORS = "legislators"
ZCTA = "zcta"

STATES = frozenset(STATE_NAMES) - NON_STATES  # the fifty, two senators each
MIN_MEMBERS = 500
# The 119th Congress file has about 42,000 rows for 33,774 ZCTAs; a file far smaller than
# that is a truncated download or a different data set.
MIN_ZCTA_ROWS = 30_000
# Both files are about 1 MB; a much larger answer is not the file we asked for.
MAX_BYTES = 50 * 1024 * 1024

Timeout = float | tuple[float, float]


class DataFileError(Exception):
    """A data file could not be downloaded, validated or written."""


@dataclass(frozen=True)
class LegislatorsSummary:
    """What a valid legislators file holds."""

    members: int
    senators: int
    representatives: int

    def describe(self) -> str:
        """Return a one-line human summary."""
        return (
            f"{self.members} members: {self.senators} senators, "
            f"{self.representatives} House members"
        )


@dataclass(frozen=True)
class ZctaSummary:
    """What a valid ZCTA file holds."""

    rows: int
    zctas: int
    states: int

    def describe(self) -> str:
        """Return a one-line human summary."""
        return f"{self.zctas} ZCTAs in {self.states} states and territories ({self.rows} rows)"


Summary = LegislatorsSummary | ZctaSummary


def validate_legislators(content: bytes) -> LegislatorsSummary:
    """Check a downloaded `legislators-current.json` and summarise it."""
    try:
        data = json.loads(content)
        members = parse_legislators(data)
    except (ValueError, DirectoryError) as exc:
        raise DataFileError(f"legislators file is invalid: {exc}") from exc
    if len(members) < MIN_MEMBERS:
        raise DataFileError(
            f"legislators file lists {len(members)} members, expected at least {MIN_MEMBERS}"
        )
    senators = Counter(m.state for m in members if m.chamber == "senate")
    wrong = sorted(s for s in STATES | senators.keys() if senators[s] != (2 if s in STATES else 0))
    if wrong:
        detail = ", ".join(f"{s} {senators[s]}" for s in wrong)
        raise DataFileError(f"legislators file has the wrong number of senators: {detail}")
    total = sum(senators.values())
    return LegislatorsSummary(len(members), total, len(members) - total)


def validate_zcta(content: bytes) -> ZctaSummary:
    """Check a downloaded ZCTA-to-district CSV and summarise it."""
    try:
        text = content.decode("utf-8-sig")
        lines = io.StringIO(text, newline="")
        rows = sum(1 for line in lines if line.strip()) - 1
        lines.seek(0)
        seats = parse_zcta(lines)
    except (UnicodeDecodeError, DirectoryError) as exc:
        raise DataFileError(f"ZCTA file is invalid: {exc}") from exc
    if rows < MIN_ZCTA_ROWS:
        raise DataFileError(f"ZCTA file has {rows} rows, expected at least {MIN_ZCTA_ROWS}")
    states = {state for found in seats.values() for state, _ in found}
    return ZctaSummary(rows=rows, zctas=len(seats), states=len(states))


# What each file is called and where it comes from; the snapshot keeps the same names.
SOURCES: dict[str, tuple[str, str]] = {
    LEGISLATORS: ("legislators-current.json", LEGISLATORS_URL),
    ZCTA: ("zccd.csv", ZCTA_URL),
}
LABELS = {LEGISLATORS: "members of Congress", ZCTA: "ZIP-to-district table"}
VALIDATORS: dict[str, Callable[[bytes], Summary]] = {
    LEGISLATORS: validate_legislators,
    ZCTA: validate_zcta,
}

# Which copy of a file is in use: one an operator named, one `data refresh` downloaded,
# or the snapshot shipped in the package.
Origin = Literal["configured", "downloaded", "snapshot"]


@cache
def snapshot_metadata() -> dict[str, Any]:
    """Return what the shipped snapshot says about itself (date taken, sources)."""
    metadata: dict[str, Any] = json.loads((SNAPSHOT_DIR / "snapshot.json").read_text("utf-8"))
    return metadata


def snapshot_date() -> date:
    """Return the day the shipped snapshot was taken."""
    return date.fromisoformat(snapshot_metadata()["taken"])


@dataclass(frozen=True)
class DataLocation:
    """Where one data file may be, and which copy the service reads."""

    name: str
    url: str
    downloaded: Path  # in the instance folder; `data refresh` writes here
    configured: Path | None = None  # set by an operator; overrides the other two

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def shipped(self) -> Path:
        return SNAPSHOT_DIR / f"{SOURCES[self.name][0]}.gz"

    @property
    def target(self) -> Path:
        """Return where a refresh writes this file."""
        return self.configured or self.downloaded

    def in_use(self) -> tuple[Path, Origin]:
        """Return the copy the service reads, and what kind of copy it is."""
        if self.configured is not None:
            return self.configured, "configured"
        if self.downloaded.exists():
            return self.downloaded, "downloaded"
        return self.shipped, "snapshot"

    def validate(self, content: bytes) -> Summary:
        return VALIDATORS[self.name](content)


def locations(
    instance_path: str | Path,
    legislators_path: str | Path | None = None,
    zcta_path: str | Path | None = None,
    *,
    legislators_url: str = LEGISLATORS_URL,
    zcta_url: str = ZCTA_URL,
) -> list[DataLocation]:
    """Return both files' locations: members of Congress, then the ZIP table."""
    instance = Path(instance_path)
    configured = {LEGISLATORS: legislators_path, ZCTA: zcta_path}
    urls = {LEGISLATORS: legislators_url, ZCTA: zcta_url}
    places = []
    for name, (file_name, _url) in SOURCES.items():
        path = configured[name]
        places.append(
            DataLocation(name, urls[name], instance / file_name, Path(path) if path else None)
        )
    return places


@dataclass(frozen=True)
class FileStatus:
    """Which copy of a file is in use, how old it is, and what it holds."""

    name: str
    label: str
    path: Path
    origin: Origin
    exists: bool
    dated: datetime | None = None  # the snapshot's day, or when the copy was written
    age: timedelta | None = None
    summary: Summary | None = None
    error: str | None = None

    def describe(self) -> str:
        """Return one line for people: which copy, how old, what it holds or what is wrong."""
        if not self.exists:
            return (
                f"{self.label}: {self.path} (set by configuration) is missing; "
                "run `advocacy data refresh` to download it there, or fix the setting."
            )
        if self.origin == "snapshot" and self.dated is not None:
            where = f"shipped snapshot dated {self.dated:%Y-%m-%d}"
        else:
            kind = "configured file" if self.origin == "configured" else "downloaded copy"
            written = f", written {self.dated:%Y-%m-%d %H:%M} UTC" if self.dated else ""
            where = f"{kind} {self.path}{written}"
        if self.age is not None:
            days = self.age.days
            where += f" ({days} day{'' if days == 1 else 's'} old)"
        if self.error:
            return f"{self.label}: {where} cannot be used: {self.error}"
        return f"{self.label}: {where}; {self.summary.describe() if self.summary else ''}"


def file_status(location: DataLocation, now: datetime | None = None) -> FileStatus:
    """Describe the copy of one file that the service reads."""
    now = now or datetime.now(UTC)
    path, origin = location.in_use()
    missing = FileStatus(location.name, location.label, path, origin, exists=False)
    try:
        content = read_data_file(path)
        if origin == "snapshot":
            taken = snapshot_date()
            dated = datetime(taken.year, taken.month, taken.day, tzinfo=UTC)
        else:
            dated = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except FileNotFoundError:
        return missing
    except (OSError, DirectoryError) as exc:
        return replace(missing, exists=True, error=str(exc))
    try:
        summary, error = location.validate(content), None
    except DataFileError as exc:
        summary, error = None, str(exc)
    return replace(
        missing, exists=True, dated=dated, age=now - dated, summary=summary, error=error
    )


def status(places: list[DataLocation], now: datetime | None = None) -> list[FileStatus]:
    """Describe the copy in use of each file."""
    return [file_status(place, now) for place in places]


@dataclass(frozen=True)
class FileOutcome:
    """What a refresh did to one file, and which copy serves afterwards."""

    name: str
    label: str
    path: Path
    updated: bool
    summary: Summary | None = None
    error: str | None = None
    serving: FileStatus | None = None  # after a failure: the copy still in use

    @property
    def ok(self) -> bool:
        """Tell whether the new copy is in place."""
        return self.error is None

    def describe(self) -> str:
        """Return one line for people, true about what is served now."""
        if self.ok:
            summary = self.summary.describe() if self.summary else ""
            return f"{self.label}: updated {self.path}; {summary}"
        if self.serving is None or not self.serving.exists or self.serving.error:
            still = "no usable copy is in place"
        elif self.serving.origin == "snapshot" and self.serving.dated is not None:
            still = f"the shipped snapshot dated {self.serving.dated:%Y-%m-%d} is still in use"
        else:
            still = f"the earlier copy {self.serving.path} is still in use"
        return f"{self.label}: not updated ({self.error}); {still}"


def download(session: requests.Session, url: str, timeout: Timeout) -> bytes:
    """Fetch a URL's body, refusing error statuses and oversized answers."""
    try:
        with session.get(url, timeout=timeout, stream=True) as response:
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise DataFileError(f"{url} is larger than {MAX_BYTES} bytes")
                chunks.append(chunk)
    except requests.Timeout as exc:
        raise DataFileError(f"download of {url} timed out") from exc
    except requests.ConnectionError as exc:
        # The full exception is a paragraph of urllib3 internals; the cause is enough.
        raise DataFileError(f"could not connect to download {url} (no internet?)") from exc
    except requests.RequestException as exc:
        raise DataFileError(f"download of {url} failed: {exc}") from exc
    return b"".join(chunks)


def write_atomically(path: Path, content: bytes) -> None:
    """Replace a file so readers see the old copy or the new one, never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary file must be in the same directory: os.replace is atomic only within
    # one file system.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; other workers may run as another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable across a crash; not possible on every platform.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fetch(session: requests.Session, place: DataLocation, timeout: Timeout) -> FileOutcome:
    target = place.target
    try:
        content = download(session, place.url, timeout)
        summary = place.validate(content)
        write_atomically(target, content)
    except DataFileError as exc:
        error = str(exc)
    except OSError as exc:
        error = f"cannot write {target}: {exc}"
    else:
        return FileOutcome(place.name, place.label, target, updated=True, summary=summary)
    return FileOutcome(
        place.name, place.label, target, updated=False, error=error, serving=file_status(place)
    )


def refresh(
    session: requests.Session, places: list[DataLocation], timeout: Timeout = DEFAULT_TIMEOUT
) -> list[FileOutcome]:
    """Download, check and replace each file; a file that fails leaves its copy in use."""
    return [_fetch(session, place, timeout) for place in places]

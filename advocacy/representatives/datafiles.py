"""Download, validate and atomically replace the legislators and ZIP-to-district files."""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from advocacy.http import DEFAULT_TIMEOUT
from advocacy.representatives.directory import DirectoryError, parse_legislators, parse_zcta
from advocacy.representatives.states import NON_STATES, STATE_NAMES

LEGISLATORS_URL = "https://unitedstates.github.io/congress-legislators/legislators-current.json"
ZCTA_URL = (
    "https://raw.githubusercontent.com/OpenSourceActivismTech/us-zipcodes-congress/master/zccd.csv"
)

LEGISLATORS = "legislators"
ZCTA = "zcta"

STATES = frozenset(STATE_NAMES) - NON_STATES  # the fifty, two senators each
MIN_MEMBERS = 500
SENATORS = 100
# The 119th Congress file has about 42,000 rows for 33,774 ZCTAs; a file far smaller than
# that is a truncated download or a different data set.
MIN_ZCTA_ROWS = 30_000
# Both files are about 1 MB; a much larger answer is not the file we asked for.
MAX_BYTES = 50 * 1024 * 1024

Timeout = float | tuple[float, float]


class DataFileError(Exception):
    """A data file could not be downloaded, validated or written."""

    def __init__(self, message: str, report: RefreshReport | None = None) -> None:
        super().__init__(message)
        self.report = report


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


@dataclass(frozen=True)
class DataFile:
    """One of the two files: its name, where it comes from, how it is checked."""

    name: str
    url: str
    path: Path
    validate: Callable[[bytes], Summary]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: replaced, left as it was, or failed (old copy kept)."""

    name: str
    path: Path
    updated: bool
    summary: Summary | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the file is in place and valid after the run."""
        return self.error is None


@dataclass(frozen=True)
class RefreshReport:
    """The outcome of a refresh, one entry per file."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether every file is in place and valid."""
        return all(o.ok for o in self.outcomes)

    @property
    def failures(self) -> list[FileOutcome]:
        """Return the outcomes that failed."""
        return [o for o in self.outcomes if not o.ok]


@dataclass(frozen=True)
class FileStatus:
    """How old and how complete a local data file is."""

    name: str
    path: Path
    exists: bool
    modified: datetime | None = None
    age: timedelta | None = None
    summary: Summary | None = None
    error: str | None = None


def _files(
    legislators_path: str | Path, zcta_path: str | Path, legislators_url: str, zcta_url: str
) -> list[DataFile]:
    return [
        DataFile(LEGISLATORS, legislators_url, Path(legislators_path), validate_legislators),
        DataFile(ZCTA, zcta_url, Path(zcta_path), validate_zcta),
    ]


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


def _fetch(session: requests.Session, data_file: DataFile, timeout: Timeout) -> FileOutcome:
    try:
        content = download(session, data_file.url, timeout)
        summary = data_file.validate(content)
        write_atomically(data_file.path, content)
    except DataFileError as exc:
        return FileOutcome(data_file.name, data_file.path, updated=False, error=str(exc))
    except OSError as exc:
        error = f"cannot write {data_file.path}: {exc}"
        return FileOutcome(data_file.name, data_file.path, updated=False, error=error)
    return FileOutcome(data_file.name, data_file.path, updated=True, summary=summary)


def _finish(report: RefreshReport) -> RefreshReport:
    if not report.ok:
        reasons = "; ".join(f"{o.name}: {o.error}" for o in report.failures)
        raise DataFileError(f"data refresh incomplete, old copies kept ({reasons})", report)
    return report


def refresh(
    session: requests.Session,
    legislators_path: str | Path,
    zcta_path: str | Path,
    timeout: Timeout = DEFAULT_TIMEOUT,
    *,
    legislators_url: str = LEGISLATORS_URL,
    zcta_url: str = ZCTA_URL,
) -> RefreshReport:
    """Download, validate and replace both files; raise DataFileError if either failed."""
    files = _files(legislators_path, zcta_path, legislators_url, zcta_url)
    return _finish(RefreshReport([_fetch(session, f, timeout) for f in files]))


def ensure_present(
    session: requests.Session,
    legislators_path: str | Path,
    zcta_path: str | Path,
    timeout: Timeout = DEFAULT_TIMEOUT,
    *,
    legislators_url: str = LEGISLATORS_URL,
    zcta_url: str = ZCTA_URL,
) -> RefreshReport:
    """Download only the files that are missing; raise DataFileError if one cannot be had."""
    outcomes = []
    for f in _files(legislators_path, zcta_path, legislators_url, zcta_url):
        if f.path.exists():
            outcomes.append(FileOutcome(f.name, f.path, updated=False))
        else:
            outcomes.append(_fetch(session, f, timeout))
    return _finish(RefreshReport(outcomes))


def status(
    legislators_path: str | Path, zcta_path: str | Path, now: datetime | None = None
) -> list[FileStatus]:
    """Describe each local file: whether it exists, when it was written, what it holds."""
    now = now or datetime.now(UTC)
    result = []
    for f in _files(legislators_path, zcta_path, LEGISLATORS_URL, ZCTA_URL):
        try:
            modified = datetime.fromtimestamp(f.path.stat().st_mtime, UTC)
            content = f.path.read_bytes()
        except FileNotFoundError:
            result.append(FileStatus(f.name, f.path, exists=False))
            continue
        except OSError as exc:
            result.append(FileStatus(f.name, f.path, exists=True, error=str(exc)))
            continue
        try:
            summary, error = f.validate(content), None
        except DataFileError as exc:
            summary, error = None, str(exc)
        result.append(FileStatus(f.name, f.path, True, modified, now - modified, summary, error))
    return result

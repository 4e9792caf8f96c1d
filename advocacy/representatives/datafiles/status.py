"""What `advocacy data status` says of each file: which copy, its age, its content, what fails."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from advocacy.congress.calendar import congress_on, ordinal
from advocacy.representatives.datafiles.locations import DataLocation, zip_table_congress
from advocacy.representatives.datafiles.snapshot import snapshot_date, snapshot_zip_tables
from advocacy.representatives.datafiles.sources import LEGISLATORS, ZCTA, DataFileError, Origin
from advocacy.representatives.datafiles.summaries import Summary, and_list
from advocacy.representatives.directory import (
    DirectoryError,
    parse_zcta,
    read_data_file,
    terms_from_data,
)


@dataclass(frozen=True)
class FileStatus:
    """Which copy of a file is in use, how old it is, and what it holds.

    error: the service cannot use the copy (it cannot be read, or a ZIP table does not say
    which map it draws). problem: the copy fails a check, but the service uses it anyway,
    as it reads files without judging them.
    """

    name: str
    label: str
    path: Path
    origin: Origin
    exists: bool
    dated: datetime | None = None  # the snapshot's day, or when the copy was written
    age: timedelta | None = None
    summary: Summary | None = None
    error: str | None = None
    problem: str | None = None
    fallback: str | None = None  # what serves instead when the copy cannot be used
    tables: str = ""  # for the ZIP table: which maps are at hand, and which answers now

    @property
    def usable(self) -> bool:
        """Tell whether the service reads this copy."""
        return self.exists and self.error is None

    @property
    def behind(self) -> bool:
        """Tell whether the copy in use describes a Congress that has ended."""
        return self.summary is not None and self.summary.behind

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
            instead = f"; {self.fallback}" if self.fallback else ""
            return f"{self.label}: {where} cannot be used: {self.error}{instead}"
        if self.problem:
            return (
                f"{self.label}: {where} is in use but fails a check: {self.problem}; fix or "
                "replace it (`advocacy data refresh` keeps only files that pass)"
            )
        held = self.summary.describe() if self.summary else ""
        return f"{self.label}: {where}; {held}{'; ' + self.tables if self.tables else ''}"


def _tables_line(location: DataLocation, congress: int, now: datetime) -> str:
    """Say which ZIP tables the service holds besides the one in use, and which answers now."""
    shipped = sorted(snapshot_zip_tables(location.snapshot))
    others = [c for c in shipped if c != congress]
    if not others:
        return ""
    held = sorted({congress, *others})
    sitting = congress_on(now)
    if sitting in held:
        answers = f"the {ordinal(sitting)} Congress's table answers ZIP codes now"
    else:
        answers = (
            f"the newest table answers ZIP codes now in states whose map has not changed "
            f"since; no table draws the {ordinal(sitting)} Congress's map"
        )
    if location.in_use()[1] == "snapshot":
        at_hand = (
            f"the snapshot ships tables for the {and_list([ordinal(c) for c in held])} Congresses"
        )
    else:
        tables = "table stays" if len(others) == 1 else "tables stay"
        at_hand = (
            f"the shipped {and_list([ordinal(c) for c in others])} Congress's {tables} at hand"
        )
    return f"{at_hand}: {answers}"


def file_status(location: DataLocation, now: datetime | None = None) -> FileStatus:
    """Describe the copy of one file that the service reads, as it stands at `now`."""
    now = now or datetime.now(UTC)
    path, origin = location.in_use()
    missing = FileStatus(location.name, location.label, path, origin, exists=False)
    try:
        content = read_data_file(path)
        if origin == "snapshot":
            taken = snapshot_date(location.snapshot)
            dated = datetime(taken.year, taken.month, taken.day, tzinfo=UTC)
        else:
            dated = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except FileNotFoundError:
        return missing
    except (OSError, DirectoryError) as exc:
        return replace(missing, exists=True, error=str(exc), fallback=_fallback(location))
    found = replace(missing, exists=True, dated=dated, age=now - dated)
    try:
        congress = _readable(location, content)
    except DataFileError as exc:
        return replace(found, error=str(exc), fallback=_fallback(location))
    if congress is not None:
        found = replace(found, tables=_tables_line(location, congress, now))
    try:
        return replace(found, summary=location.validate(content, now, congress))
    except DataFileError as exc:
        return replace(found, problem=str(exc))


def _readable(location: DataLocation, content: bytes) -> int | None:
    """Read a copy as the service does; return a ZIP table's Congress. Raise if it cannot."""
    try:
        if location.name == LEGISLATORS:
            terms_from_data(json.loads(content))
            return None
        congress = zip_table_congress(location)
        parse_zcta(io.StringIO(content.decode("utf-8-sig"), newline=""))
        return congress
    except (ValueError, DirectoryError) as exc:
        raise DataFileError(f"{location.label} is invalid: {exc}") from exc


def _fallback(location: DataLocation) -> str | None:
    """Say what the service reads when a ZIP table in use cannot be (see service.py)."""
    if location.name != ZCTA or location.in_use()[1] == "snapshot":
        return None
    return (
        f"the service answers from the shipped snapshot's ZIP tables instead "
        f"({and_list([ordinal(c) for c in sorted(snapshot_zip_tables(location.snapshot))])} "
        "Congress)"
    )


def status(places: list[DataLocation], now: datetime | None = None) -> list[FileStatus]:
    """Describe the copy in use of each file, as it stands at `now`."""
    return [file_status(place, now) for place in places]

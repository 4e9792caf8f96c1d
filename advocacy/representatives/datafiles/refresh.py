"""`advocacy data refresh`: download, check, and put in place only what is good and not older."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

from advocacy.congress.calendar import ordinal
from advocacy.http import DEFAULT_TIMEOUT
from advocacy.representatives.datafiles.locations import DataLocation, sidecar_for
from advocacy.representatives.datafiles.sources import MAX_BYTES, ZCTA, DataFileError, Timeout
from advocacy.representatives.datafiles.status import FileStatus, file_status
from advocacy.representatives.datafiles.summaries import LegislatorsSummary, Summary, ZctaSummary
from advocacy.representatives.datafiles.zips import with_congress_header
from advocacy.representatives.directory import (
    DirectoryError,
    read_data_file,
)


def in_use_summary(location: DataLocation, now: datetime) -> Summary | None:
    """Return what the copy in use describes, or None when it cannot be read or checked."""
    status = file_status(location, now)
    return status.summary


@dataclass(frozen=True)
class FileOutcome:
    """What a refresh did to one file, and which copy serves afterwards.

    Three endings: updated (the download is in use); kept (the download was good but not
    newer than the copy in use, which stays: not a failure); failed (error says why).
    """

    name: str
    label: str
    path: Path
    updated: bool
    summary: Summary | None = None
    error: str | None = None
    kept: str | None = None  # why a good download did not replace the copy in use
    serving: FileStatus | None = None  # when not updated: the copy still in use

    @property
    def ok(self) -> bool:
        """Tell whether the file is as new as it can be: updated, or the copy kept is newer."""
        return self.error is None

    @property
    def behind(self) -> bool:
        """Tell whether the copy in use afterwards describes a Congress that has ended."""
        if self.updated:
            return self.summary is not None and self.summary.behind
        return self.serving is not None and self.serving.behind

    def describe(self) -> str:
        """Return one line for people, true about what is served now."""
        if self.updated:
            summary = self.summary.describe() if self.summary else ""
            return f"{self.label}: updated {self.path}; {summary}"
        serving = self.serving
        if serving is None or not serving.usable:
            why = self.error or self.kept
            return f"{self.label}: not updated ({why}); no usable copy is in place"
        if serving.origin == "snapshot" and serving.dated is not None:
            copy = f"the shipped snapshot dated {serving.dated:%Y-%m-%d}"
        else:
            copy = f"the {'' if self.kept else 'earlier '}copy {serving.path}"
        if self.kept:
            held = serving.summary.describe() if serving.summary else ""
            return f"{self.label}: kept {copy} ({self.kept}); {held}"
        congress = serving.summary.congress if serving.summary else None
        if congress is not None:
            copy += f" (the {ordinal(congress)} Congress)"
        return f"{self.label}: not updated ({self.error}); {copy} is still in use"


def download(session: requests.Session, url: str, timeout: Timeout) -> bytes:
    """Fetch a URL's body, refusing error statuses and oversized answers.

    A local path or `file://` URL is read instead: how a table built on this machine
    (`advocacy data build-zip-table`) is checked and put in use like a download.
    """
    local = _local_path(url)
    if local is not None:
        try:
            if local.stat().st_size > MAX_BYTES:
                raise DataFileError(f"{local} is larger than {MAX_BYTES} bytes")
            return read_data_file(local)
        except (OSError, DirectoryError) as exc:
            raise DataFileError(f"cannot read {local}: {exc}") from exc
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


def _local_path(url: str) -> Path | None:
    """Return the file a `file://` URL or a plain path names; None for a web address."""
    if url.startswith("file://"):
        return Path(unquote(urlsplit(url).path))
    if "://" in url:
        return None
    return Path(url)


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


def _fetch(
    session: requests.Session,
    place: DataLocation,
    timeout: Timeout,
    now: datetime,
    zcta_congress: int | None,
) -> FileOutcome:
    target = place.target
    outcome = FileOutcome(place.name, place.label, target, updated=False)
    try:
        congress = _asked_congress(place, zcta_congress)
        content = download(session, place.url, timeout)
        summary = place.validate(content, now, congress)
        kept = _not_newer(summary, in_use_summary(place, now))
        if kept is None:
            _put_in_place(place, content, summary)
    except DataFileError as exc:
        error = str(exc)
    except OSError as exc:
        error = f"cannot write {target}: {exc}"
    else:
        if kept is None:
            return replace(outcome, updated=True, summary=summary)
        return replace(outcome, summary=summary, kept=kept, serving=file_status(place, now))
    return replace(outcome, error=error, serving=file_status(place, now))


def _asked_congress(place: DataLocation, zcta_congress: int | None) -> int | None:
    """Return whose map a refresh asks the ZIP table to draw (None for the members file)."""
    if place.name != ZCTA:
        return None
    congress = place.url_congress(zcta_congress)
    if place.configured is not None and place.zcta_congress and congress != place.zcta_congress:
        # A configured file's Congress is the setting's: writing another would mislabel it.
        raise DataFileError(
            f"ADVOCACY_ZCTA_PATH is set and ADVOCACY_ZCTA_CONGRESS says its table draws the "
            f"{ordinal(place.zcta_congress)} Congress's map: set ADVOCACY_ZCTA_CONGRESS="
            f"{congress} to put a {ordinal(congress or 0)} table there"
        )
    return congress


def _not_newer(new: Summary, in_use: Summary | None) -> str | None:
    """Say why a good download must not replace the copy in use, or None when it may.

    An older Congress never replaces a newer one, and an older build of the same Congress
    (members: its latest term start is earlier) never replaces a newer one: either would
    bring back members who have left, or a map that has ended.
    """
    if in_use is None or new.congress is None or in_use.congress is None:
        return None
    if new.congress < in_use.congress:
        return (
            f"the download describes the {ordinal(new.congress)} Congress, older than the "
            f"{ordinal(in_use.congress)} the copy in use describes"
        )
    if (
        isinstance(new, LegislatorsSummary)
        and isinstance(in_use, LegislatorsSummary)
        and new.congress == in_use.congress
        and new.as_of is not None
        and in_use.as_of is not None
        and new.as_of < in_use.as_of
    ):
        return (
            f"the download is an older build of the {ordinal(new.congress)} Congress's file "
            f"(latest term start {new.as_of:%Y-%m-%d}, the copy in use's {in_use.as_of:%Y-%m-%d})"
        )
    return None


def _put_in_place(place: DataLocation, content: bytes, summary: Summary) -> None:
    """Write the new copy; a ZIP table with a header naming its Congress, and a sidecar."""
    if isinstance(summary, ZctaSummary):
        # The header says whose map the table draws wherever the file goes afterwards.
        content = with_congress_header(content, summary.congress)
        if place.configured is None:
            # The sidecar first: the service reloads when the table itself changes, and
            # by then the sidecar must already describe it.
            write_atomically(place.sidecar, sidecar_for(content, summary.congress, place.url))
    write_atomically(place.target, content)


def refresh(
    session: requests.Session,
    places: list[DataLocation],
    timeout: Timeout = DEFAULT_TIMEOUT,
    *,
    now: datetime | None = None,
    zcta_congress: int | None = None,
) -> list[FileOutcome]:
    """Download, check and replace each file; a file that fails leaves its copy in use.

    zcta_congress is the Congress whose map the ZIP table at its URL draws (default:
    ZCTA_CONGRESS, else what is known of the URL); now is when the files are judged current.
    """
    now = now or datetime.now(UTC)
    return [_fetch(session, place, timeout, now, zcta_congress) for place in places]

"""Where each file may be (configured, downloaded, shipped) and which copy the service reads."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from advocacy.representatives.datafiles.members import validate_legislators
from advocacy.representatives.datafiles.snapshot import snapshot_metadata, snapshot_zip_tables
from advocacy.representatives.datafiles.sources import (
    KNOWN_ZIP_CONGRESS,
    LABELS,
    LEGISLATORS,
    LEGISLATORS_URL,
    SIDECAR_SUFFIX,
    SNAPSHOT_DIR,
    SOURCES,
    ZCTA,
    ZCTA_URL,
    DataFileError,
    Origin,
)
from advocacy.representatives.datafiles.summaries import Summary
from advocacy.representatives.datafiles.zips import agree, plain_header, validate_zcta
from advocacy.representatives.directory import (
    DirectoryError,
    read_data_file,
)


@dataclass(frozen=True)
class DataLocation:
    """Where one data file may be, and which copy the service reads."""

    name: str
    url: str
    downloaded: Path  # in the instance folder; `data refresh` writes here
    configured: Path | None = None  # set by an operator; overrides the other two
    # ZCTA_CONGRESS: whose map a configured ZIP table (or one downloaded with no sidecar)
    # draws when its header does not say, and which map `data refresh` asks ZCTA_URL for.
    # None: only a `cdNNN` header, `--zcta-congress` or a known source can say.
    zcta_congress: int | None = None
    snapshot: Path = SNAPSHOT_DIR  # the folder of the snapshot shipped in the package

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def shipped(self) -> Path:
        """Return the snapshot's copy: for the ZIP table, the newest map it ships."""
        if self.name == ZCTA:
            return next(iter(snapshot_zip_tables(self.snapshot).values()))
        file_name: str = snapshot_metadata(self.snapshot)["files"][self.name]["file"]
        return self.snapshot / file_name

    @property
    def target(self) -> Path:
        """Return where a refresh writes this file."""
        return self.configured or self.downloaded

    @property
    def sidecar(self) -> Path:
        """Return where a refresh records which Congress the downloaded copy describes."""
        return self.downloaded.with_name(self.downloaded.name + SIDECAR_SUFFIX)

    def in_use(self) -> tuple[Path, Origin]:
        """Return the copy the service reads, and what kind of copy it is."""
        if self.configured is not None:
            return self.configured, "configured"
        if self.downloaded.exists():
            return self.downloaded, "downloaded"
        return self.shipped, "snapshot"

    def url_congress(self, asked: int | None = None) -> int | None:
        """Return whose map the ZIP table at the URL draws: as asked, set, or known."""
        return asked or self.zcta_congress or KNOWN_ZIP_CONGRESS.get(self.url)

    def validate(self, content: bytes, now: datetime, congress: int | None = None) -> Summary:
        """Check content for this file; congress is the map a ZIP table is said to draw."""
        if self.name == LEGISLATORS:
            return validate_legislators(content, now)
        return validate_zcta(content, congress, now)


def locations(
    instance_path: str | Path,
    legislators_path: str | Path | None = None,
    zcta_path: str | Path | None = None,
    *,
    legislators_url: str = LEGISLATORS_URL,
    zcta_url: str = ZCTA_URL,
    zcta_congress: int | None = None,
    snapshot: Path = SNAPSHOT_DIR,
) -> list[DataLocation]:
    """Return both files' locations: members of Congress, then the ZIP table."""
    instance = Path(instance_path)
    configured = {LEGISLATORS: legislators_path, ZCTA: zcta_path}
    urls = {LEGISLATORS: legislators_url, ZCTA: zcta_url}
    places = []
    for name, (file_name, _url) in SOURCES.items():
        path = configured[name]
        places.append(
            DataLocation(
                name,
                urls[name],
                instance / file_name,
                Path(path) if path else None,
                zcta_congress=zcta_congress,
                snapshot=snapshot,
            )
        )
    return places


def zip_table_congress(location: DataLocation) -> int:
    """Return the Congress whose map the ZIP table in use draws.

    The snapshot says so in snapshot.json, a downloaded copy in its `cdNNN` header (and the
    sidecar `data refresh` wrote beside it); a configured file in its header or the
    ZCTA_CONGRESS setting. Raise DataFileError when the file cannot be read, nothing says,
    or two disagree.
    """
    path, origin = location.in_use()
    if origin == "snapshot":
        return next(iter(snapshot_zip_tables(location.snapshot)))
    try:
        content = read_data_file(path)
    except (OSError, DirectoryError) as exc:
        raise DataFileError(f"cannot read the ZIP table {path}: {exc}") from exc
    named, _text = plain_header(content[:200].decode("utf-8-sig", errors="replace"))
    recorded = _recorded_congress(location, content) if origin == "downloaded" else None
    return agree(named, recorded if recorded is not None else location.zcta_congress)


def _recorded_congress(location: DataLocation, content: bytes) -> int | None:
    """Return the Congress the sidecar records, if it was written with this very file."""
    try:
        meta = json.loads(location.sidecar.read_text("utf-8"))
    except (OSError, ValueError):
        return None  # none yet (downloaded before sidecars), or unreadable: use the setting
    if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(content).hexdigest():
        # The file was replaced some other way (or a refresh stopped between the two
        # writes): the sidecar describes another file.
        return None
    congress = meta.get("congress")
    return congress if isinstance(congress, int) and not isinstance(congress, bool) else None


def sidecar_for(content: bytes, congress: int, url: str) -> bytes:
    meta = {
        "congress": congress,
        "url": url,
        "downloaded": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    return json.dumps(meta, indent=2).encode() + b"\n"

"""The members and ZIP-to-district files: shipped snapshot, downloaded copy, or a set path.

The package ships a dated, compressed snapshot of both files (`snapshot`), so a fresh
install answers look-ups with no network. `advocacy data refresh` (`refresh`) downloads
newer copies into the instance folder, which then take precedence; ADVOCACY_LEGISLATORS_PATH
and ADVOCACY_ZCTA_PATH override both (`locations`). Each file is checked before use
(`members`, `zips`) and described for people (`summaries`, `status`). A Congress's ZIP
table is built from the Census's block files by `blocktable` (its parts in `blockinput`,
`blockrecords`, `blockpopulation`, `blockziptable`; `advocacy data build-zip-table`,
`blocktable_command`), which callers import from its own module.

Each file describes one Congress. The members file says which by its House terms. A ZIP
table says so in its `cdNNN` header, in the snapshot's snapshot.json, or in the setting
ADVOCACY_ZCTA_CONGRESS; it is never guessed.

The names below are the package's public face: callers import them from here.
"""

from advocacy.representatives.datafiles.locations import (
    DataLocation,
    locations,
    zip_table_congress,
)
from advocacy.representatives.datafiles.members import latest_change, validate_legislators
from advocacy.representatives.datafiles.refresh import (
    FileOutcome,
    download,
    refresh,
    write_atomically,
)
from advocacy.representatives.datafiles.snapshot import (
    snapshot_date,
    snapshot_metadata,
    snapshot_zip_congress,
    snapshot_zip_table,
    snapshot_zip_tables,
)
from advocacy.representatives.datafiles.sources import (
    KNOWN_ZIP_CONGRESS,
    LEGISLATORS,
    LEGISLATORS_URL,
    MIN_ZCTA_ROWS,
    SNAPSHOT_DIR,
    SOURCES,
    ZCTA,
    ZCTA_URL,
    DataFileError,
)
from advocacy.representatives.datafiles.status import FileStatus, file_status, status
from advocacy.representatives.datafiles.summaries import (
    LegislatorsSummary,
    Summary,
    ZctaSummary,
    sitting_line,
)
from advocacy.representatives.datafiles.zips import (
    MapCheck,
    compare_zip_tables,
    validate_zcta,
    with_congress_header,
)

__all__ = [
    "KNOWN_ZIP_CONGRESS",
    "LEGISLATORS",
    "LEGISLATORS_URL",
    "MIN_ZCTA_ROWS",
    "SNAPSHOT_DIR",
    "SOURCES",
    "ZCTA",
    "ZCTA_URL",
    "DataFileError",
    "DataLocation",
    "FileOutcome",
    "FileStatus",
    "LegislatorsSummary",
    "MapCheck",
    "Summary",
    "ZctaSummary",
    "compare_zip_tables",
    "download",
    "file_status",
    "latest_change",
    "locations",
    "refresh",
    "sitting_line",
    "snapshot_date",
    "snapshot_metadata",
    "snapshot_zip_congress",
    "snapshot_zip_table",
    "snapshot_zip_tables",
    "status",
    "validate_legislators",
    "validate_zcta",
    "with_congress_header",
    "write_atomically",
    "zip_table_congress",
]

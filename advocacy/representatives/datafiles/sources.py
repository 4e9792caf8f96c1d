"""Where the two data files come from, their names, and the limits they are checked against."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from advocacy.congress.states import NON_STATES, STATE_NAMES

LEGISLATORS_URL = "https://unitedstates.github.io/congress-legislators/legislators-current.json"
ZCTA_URL = (
    "https://raw.githubusercontent.com/OpenSourceActivismTech/us-zipcodes-congress/master/zccd.csv"
)
# Sources whose map is known without a `cdNNN` header or a setting: us-zipcodes-congress's
# zccd.csv draws the 119th (it had not been updated for the 120th by December 2026).
KNOWN_ZIP_CONGRESS: dict[str, int] = {ZCTA_URL: 119}
# Beside this package: advocacy/representatives/snapshot.
SNAPSHOT_DIR = Path(__file__).parent.parent / "snapshot"

LEGISLATORS = "legislators"
ZCTA = "zcta"

STATES = frozenset(STATE_NAMES) - NON_STATES  # the fifty, two senators each
MIN_MEMBERS = 500
# After a changeover a state can lack a senator for days (West Virginia in January 2025);
# many states lacking one is a truncated or different file.
MAX_STATES_SHORT = 10
# The 119th Congress file has about 42,000 rows for 33,774 ZCTAs; a file far smaller than
# that is a truncated download or a different data set.
MIN_ZCTA_ROWS = 30_000
# Two tables made different ways differ a little even where the map did not change (the
# us-zipcodes-congress table over-includes), but they do not move ZIP areas to a wholly
# different district: past this share of a state's ZIP areas, its map changed.
MUCH_MOVED = 0.05
# Both files are about 1 MB; a much larger answer is not the file we asked for.
MAX_BYTES = 50 * 1024 * 1024
# Beside a downloaded ZIP table: which Congress it draws, where and when it came from.
SIDECAR_SUFFIX = ".meta.json"
# A ZIP table header may name its Congress in the district column: `cd120`.
CD_COLUMN = re.compile(r"cd([1-9][0-9]{0,2})")

Timeout = float | tuple[float, float]


class DataFileError(Exception):
    """A data file could not be downloaded, validated or written."""


# What each file is called and where it comes from; the snapshot keeps the same names.
SOURCES: dict[str, tuple[str, str]] = {
    LEGISLATORS: ("legislators-current.json", LEGISLATORS_URL),
    ZCTA: ("zccd.csv", ZCTA_URL),
}
LABELS = {LEGISLATORS: "members of Congress", ZCTA: "ZIP-to-district table"}

# Which copy of a file is in use: one an operator named, one `data refresh` downloaded,
# or the snapshot shipped in the package.
Origin = Literal["configured", "downloaded", "snapshot"]

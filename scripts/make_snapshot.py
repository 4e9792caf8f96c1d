"""Build the data snapshot shipped inside the package from public data files.

    .venv/bin/python scripts/make_snapshot.py FOLDER [--taken YYYY-MM-DD]
        [--zcta-congress N] [--zip-table PATH ...] [--output DIR]

FOLDER holds `legislators-current.json` (congress-legislators, CC0) and `zccd.csv`
(us-zipcodes-congress, public domain; the 119th Congress's map unless --zcta-congress or
a `cdNNN` header says otherwise): the reference ZIP table new tables are compared with.
Each --zip-table adds a table for a later Congress, such as one `advocacy data
build-zip-table` made from the Census block files; its header must name its Congress
(`cd120`). The snapshot then answers ZIP codes on each Congress's map from the day that
Congress sits, with no download.

Each file is checked as `advocacy data refresh` checks a download (at the moment
--taken names), gzip-compressed reproducibly, and described in `snapshot.json`.
--output writes elsewhere than the package (a packager's own snapshot, a test's).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from advocacy.congress.calendar import ordinal
from advocacy.representatives import datafiles

LICENSES = {
    datafiles.LEGISLATORS: "CC0-1.0 (unitedstates/congress-legislators)",
    datafiles.ZCTA: "public domain (Census-derived, us-zipcodes-congress)",
    "built": "public domain (built from US Census block files with advocacy data build-zip-table)",
}


def compress(content: bytes, target: Path) -> int:
    """Write content gzip-compressed with no timestamp, so equal inputs give equal files."""
    with (
        open(target, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as packed,
    ):
        packed.write(content)
    return target.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--taken", type=date.fromisoformat, default=datetime.now(UTC).date())
    parser.add_argument(
        "--zcta-congress",
        type=int,
        default=None,
        help="the Congress whose map zccd.csv draws, when its header does not say (119 for "
        "us-zipcodes-congress's)",
    )
    parser.add_argument("--zip-table", type=Path, action="append", default=[])
    parser.add_argument("--output", type=Path, default=datafiles.SNAPSHOT_DIR)
    args = parser.parse_args()
    moment = datetime(args.taken.year, args.taken.month, args.taken.day, 12, tzinfo=UTC)
    out: Path = args.output
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict[str, Any]] = {}
    try:
        content = (args.folder / "legislators-current.json").read_bytes()
        summary: datafiles.Summary = datafiles.validate_legislators(content, moment)
        files[datafiles.LEGISLATORS] = _ship(
            content, out, "legislators-current.json", datafiles.LEGISLATORS_URL
        )
        files[datafiles.LEGISLATORS]["license"] = LICENSES[datafiles.LEGISLATORS]
        print(f"members: {summary.describe()}")

        known = args.zcta_congress or datafiles.KNOWN_ZIP_CONGRESS[datafiles.ZCTA_URL]
        content = (args.folder / "zccd.csv").read_bytes()
        summary = datafiles.validate_zcta(content, known, moment)
        files[datafiles.ZCTA] = {
            **_ship(content, out, "zccd.csv", datafiles.ZCTA_URL),
            "license": LICENSES[datafiles.ZCTA],
            "congress": summary.congress,
        }
        print(f"ZIP table: {summary.describe()}")

        for path in args.zip_table:
            content = path.read_bytes()
            summary = datafiles.validate_zcta(content, None, moment)
            name = f"zcta-cd{summary.congress}.csv"
            files[f"{datafiles.ZCTA}-cd{summary.congress}"] = {
                **_ship(content, out, name, path.name),
                "license": LICENSES["built"],
                "congress": summary.congress,
            }
            print(f"ZIP table for the {ordinal(summary.congress)}: {summary.describe()}")
    except (OSError, datafiles.DataFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    metadata = {"taken": args.taken.isoformat(), "files": files}
    (out / "snapshot.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return 0


def _ship(content: bytes, out: Path, name: str, source: str) -> dict[str, Any]:
    size = compress(content, out / f"{name}.gz")
    print(f"{name}.gz: {size:,} bytes compressed")
    return {"file": f"{name}.gz", "source": source}


if __name__ == "__main__":
    sys.exit(main())

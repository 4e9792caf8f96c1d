"""Build the data snapshot shipped inside the package from a folder of public data files.

    .venv/bin/python scripts/make_snapshot.py FOLDER [--taken YYYY-MM-DD]

FOLDER holds `legislators-current.json` (congress-legislators, CC0) and `zccd.csv`
(us-zipcodes-congress, public domain). Each file is checked as `advocacy data refresh`
checks a download, gzip-compressed reproducibly, and described in `snapshot.json`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from advocacy.representatives import datafiles

LICENSES = {
    datafiles.LEGISLATORS: {"license": "CC0-1.0 (unitedstates/congress-legislators)"},
    datafiles.ZCTA: {"license": "public domain (Census-derived, us-zipcodes-congress)"},
}


def compress(source: Path, target: Path) -> int:
    """Write source gzip-compressed with no timestamp, so equal inputs give equal files."""
    content = source.read_bytes()
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
        "--zcta-congress", type=int, default=119, help="the Congress whose map the ZIP table is"
    )
    args = parser.parse_args()
    out = datafiles.SNAPSHOT_DIR
    files = {}
    for name, (file_name, url) in datafiles.SOURCES.items():
        source = args.folder / file_name
        summary = datafiles.VALIDATORS[name](source.read_bytes())
        size = compress(source, out / f"{file_name}.gz")
        files[name] = {"file": f"{file_name}.gz", "source": url, **LICENSES[name]}
        if name == datafiles.ZCTA:
            files[name]["congress"] = args.zcta_congress
        print(f"{name}: {summary.describe()}; {size:,} bytes compressed")
    metadata = {"taken": args.taken.isoformat(), "files": files}
    (out / "snapshot.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

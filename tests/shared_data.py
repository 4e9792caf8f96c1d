"""Where the tests find the real data files and the recorded geocoder answers."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from advocacy.representatives.directory import Directory

# The repository sits beside ../shared, which holds copies of the real public data files.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LEGISLATORS_FILE = SHARED_DATA / "legislators-current.json"
ZCTA_FILE = SHARED_DATA / "zccd.csv"

GEOCODER_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geocoder"


@cache
def shared_directory() -> Directory:
    """Return the directory built from the shared data, loaded once per test run."""
    return Directory.from_files(LEGISLATORS_FILE, ZCTA_FILE)


def geocoder_payload(name: str) -> dict[str, Any]:
    """Return a recorded Census Geocoder answer by file stem, e.g. "match_austin"."""
    with open(GEOCODER_FIXTURES / f"{name}.json", encoding="utf-8") as f:
        payload: dict[str, Any] = json.load(f)
    return payload


def geocoder_text(name: str) -> str:
    """Return a recorded answer file's exact text, e.g. "error_page.html"."""
    return (GEOCODER_FIXTURES / name).read_text(encoding="utf-8")

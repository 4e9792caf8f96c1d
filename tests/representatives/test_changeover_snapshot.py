"""A fresh install after January 3, 2027: a snapshot that ships a ZIP table per Congress.

The snapshot is made by scripts/make_snapshot.py, as a release would make it, from the
shipped files and a 120th table (the shipped table with the nine redrawn states
renumbered, standing in for one `advocacy data build-zip-table` makes from the Census
block files). An app reading it answers ZIP codes on the sitting Congress's map without
any download.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from data_files import legislators_bytes, zcta_bytes
from flask import Flask

REPO = Path(__file__).resolve().parents[2]
BEFORE_NOON = datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC)
NOON = datetime(2027, 1, 3, 17, 0, tzinfo=UTC)
MEMPHIS = "38103"  # TN-9 on the 119th map


# The states map_changes.toml gives new maps for the 120th, with their seats.
NEW_MAPS = {"AL": 7, "CA": 52, "FL": 28, "LA": 6, "NC": 14, "OH": 15, "TN": 9, "TX": 38, "UT": 4}


def redrawn_120() -> bytes:
    """The shipped table for the 120th map: each redrawn state's districts moved one along."""
    rows = zcta_bytes().decode("utf-8-sig").splitlines()
    out = ["state_fips,state_abbr,zcta,cd120"]
    for row in rows[1:]:
        fips, state, zcta, cd = row.split(",")
        if state in NEW_MAPS:
            cd = str(int(cd) % NEW_MAPS[state] + 1)
        out.append(",".join((fips, state, zcta, cd)))
    return ("\n".join(out) + "\n").encode()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot folder with the 119th reference table and a 120th table."""
    sources = tmp_path_factory.mktemp("sources")
    (sources / "legislators-current.json").write_bytes(legislators_bytes())
    (sources / "zccd.csv").write_bytes(zcta_bytes())
    (sources / "zcta-120.csv").write_bytes(redrawn_120())
    out = tmp_path_factory.mktemp("snapshot")
    made = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "make_snapshot.py"),
            str(sources),
            "--taken",
            "2026-12-20",
            "--zip-table",
            str(sources / "zcta-120.csv"),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert "ZIP table for the 120th: " in made.stdout
    return out


@pytest.fixture
def clock() -> list[datetime]:
    return [BEFORE_NOON]


@pytest.fixture
def app(make_app: Any, snapshot: Path, clock: list[datetime]) -> Flask:
    flask_app: Flask = make_app(SNAPSHOT_PATH=str(snapshot), CLOCK=lambda: clock[0])
    return flask_app


def by_zip(app: Flask, zip5: str) -> dict[str, Any]:
    response = app.test_client().get("/api/v1/representatives", query_string={"zip": zip5})
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def test_the_snapshot_describes_each_table_and_its_congress(snapshot: Path) -> None:
    files = json.loads((snapshot / "snapshot.json").read_text("utf-8"))["files"]
    assert files["zcta"]["congress"] == 119
    assert files["zcta-cd120"]["congress"] == 120
    assert files["zcta-cd120"]["file"] == "zcta-cd120.csv.gz"
    assert "Census block files" in files["zcta-cd120"]["license"]


def test_a_zip_code_answers_on_each_congress_s_map_from_the_day_it_sits(
    app: Flask, clock: list[datetime]
) -> None:
    before = by_zip(app, MEMPHIS)
    assert (before["congress"], before["district"], before["map_changed"]) == (119, 9, False)
    assert [m["district"] for m in before["legislators"] if m["chamber"] == "house"] == [9]

    clock[0] = NOON
    after = by_zip(app, MEMPHIS)
    # The 120th's table names the new district; the members file is still the 119th's, so
    # the House member is pending, never an old member on the new map.
    assert (after["congress"], after["district"], after["map_changed"]) == (120, 1, False)
    assert "house" in after["pending"]
    assert not [m for m in after["legislators"] if m["chamber"] == "house"]
    # A state whose map did not change answers as before.
    assert by_zip(app, "98105")["district"] == 7


def test_data_status_says_which_table_answers(app: Flask) -> None:
    runner = app.test_cli_runner()
    before = runner.invoke(args=["data", "status", "--at", "2027-01-03T16:59Z"])
    line = next(x for x in before.output.splitlines() if x.startswith("ZIP-to-district table"))
    assert "shipped snapshot dated 2026-12-20" in line
    assert "describes the 120th Congress, which sits from 2027-01-03 12:00 ET" in line
    assert (
        "the snapshot ships tables for the 119th and 120th Congresses: the 119th Congress's "
        "table answers ZIP codes now"
    ) in line
    assert before.exit_code == 0, before.output

    after = runner.invoke(args=["data", "status", "--at", "2027-01-03T17:00Z"])
    line = next(x for x in after.output.splitlines() if x.startswith("ZIP-to-district table"))
    assert "the 120th Congress's table answers ZIP codes now" in line
    assert "which ended" not in line
    # The members file is the 119th's until congress-legislators merges the 120th: behind.
    assert after.exit_code == 3

"""`advocacy data status` and `advocacy data refresh`, and a running app picking up new files."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from flask import Flask
from shared_data import LEGISLATORS_FILE, ZCTA_FILE

from advocacy.representatives import service
from advocacy.representatives.datafiles import LEGISLATORS_URL, ZCTA_URL

DAY = 24 * 3600


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the shared data files that the test may replace."""
    legislators = tmp_path / "data" / "legislators-current.json"
    zcta = tmp_path / "data" / "zccd.csv"
    legislators.parent.mkdir()
    shutil.copyfile(LEGISLATORS_FILE, legislators)
    shutil.copyfile(ZCTA_FILE, zcta)
    return legislators, zcta


@pytest.fixture
def data_app(make_app: Any, paths: tuple[Path, Path]) -> Flask:
    legislators, zcta = paths
    app: Flask = make_app(LEGISLATORS_PATH=str(legislators), ZCTA_PATH=str(zcta))
    return app


@pytest.fixture
def download() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def age(path: Path, days: int) -> None:
    moment = time.time() - days * DAY - 60
    os.utime(path, (moment, moment))


# Status.


def test_status_says_how_old_each_file_is(data_app: Flask, paths: tuple[Path, Path]) -> None:
    legislators, zcta = paths
    age(legislators, 3)
    age(zcta, 40)
    result = data_app.test_cli_runner().invoke(args=["data", "status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    (legislators_line,) = [line for line in lines if line.startswith("legislators:")]
    (zcta_line,) = [line for line in lines if line.startswith("zcta:")]
    assert str(legislators) in legislators_line
    assert "(3 days old)" in legislators_line
    assert "members" in legislators_line and "100 senators" in legislators_line
    assert str(zcta) in zcta_line
    assert "(40 days old)" in zcta_line
    assert "ZCTAs" in zcta_line


def test_status_of_a_missing_file_fails_and_says_what_to_do(
    make_app: Any, paths: tuple[Path, Path], tmp_path: Path
) -> None:
    legislators, _zcta = paths
    app = make_app(LEGISLATORS_PATH=str(legislators), ZCTA_PATH=str(tmp_path / "absent.csv"))
    result = app.test_cli_runner().invoke(args=["data", "status"])
    assert result.exit_code == 1
    assert "zcta: missing" in result.output
    assert "advocacy data refresh" in result.output
    assert "legislators:" in result.output and "old" in result.output


def test_status_of_a_broken_file_says_so(data_app: Flask, paths: tuple[Path, Path]) -> None:
    legislators, _zcta = paths
    legislators.write_text("[]", encoding="utf-8")
    result = data_app.test_cli_runner().invoke(args=["data", "status"])
    assert "cannot be used" in result.output
    assert "legislators file lists 0 members" in result.output


# Refresh.


def test_refresh_replaces_both_files(
    data_app: Flask, paths: tuple[Path, Path], download: responses.RequestsMock
) -> None:
    legislators, zcta = paths
    fresh_legislators = LEGISLATORS_FILE.read_bytes()
    fresh_zcta = ZCTA_FILE.read_bytes()
    legislators.write_text("old", encoding="utf-8")
    zcta.write_text("old", encoding="utf-8")
    download.get(LEGISLATORS_URL, body=fresh_legislators)
    download.get(ZCTA_URL, body=fresh_zcta)

    result = data_app.test_cli_runner().invoke(args=["data", "refresh"])

    assert result.exit_code == 0, result.output
    assert legislators.read_bytes() == fresh_legislators
    assert zcta.read_bytes() == fresh_zcta
    assert f"Updated {legislators}" in result.output
    assert f"Updated {zcta}" in result.output
    assert len(download.calls) == 2
    # Nothing half-written is left beside them.
    assert sorted(p.name for p in legislators.parent.iterdir()) == [
        "legislators-current.json",
        "zccd.csv",
    ]


@pytest.mark.parametrize(
    ("legislators_answer", "zcta_answer"),
    [
        ({"body": b'[{"id": {"bioguide": "X'}, {"status": 404}),
        ({"body": LEGISLATORS_FILE.read_bytes()}, {"body": b"state_fips,state_abbr,zcta,cd\n"}),
        ({"body": b"<html>Rate limited</html>"}, {"body": ZCTA_FILE.read_bytes()}),
    ],
    ids=["truncated-and-404", "tiny-zcta", "html-instead-of-json"],
)
def test_refresh_with_a_broken_download_keeps_the_old_copy(
    data_app: Flask,
    paths: tuple[Path, Path],
    download: responses.RequestsMock,
    legislators_answer: dict[str, Any],
    zcta_answer: dict[str, Any],
) -> None:
    legislators, zcta = paths
    before = (legislators.read_bytes(), zcta.read_bytes())
    download.add(responses.GET, LEGISLATORS_URL, **legislators_answer)
    download.add(responses.GET, ZCTA_URL, **zcta_answer)

    result = data_app.test_cli_runner().invoke(args=["data", "refresh"])

    assert result.exit_code != 0
    assert "old copies kept" in result.output
    # The files that failed are untouched, and the app still answers from them.
    failed = [name for name in ("legislators", "zcta") if f"{name}:" in result.output]
    assert failed
    if "legislators" in failed:
        assert legislators.read_bytes() == before[0]
    if "zcta" in failed:
        assert zcta.read_bytes() == before[1]
    response = data_app.test_client().get("/api/v1/representatives?zip=98105")
    assert response.status_code == 200
    assert len(response.get_json()["legislators"]) == 3


# A running app and its data files.


def test_a_running_app_picks_up_refreshed_files(
    data_app: Flask, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    legislators, _zcta = paths
    client = data_app.test_client()
    first = client.get("/api/v1/representatives?zip=98105").get_json()
    assert first["legislators"][0]["phone"] == "202-225-3106"

    data = json.loads(legislators.read_text(encoding="utf-8"))
    for record in data:
        if record["id"]["bioguide"] == "J000298":
            record["terms"][-1]["phone"] = "202-225-0000"
    legislators.write_text(json.dumps(data), encoding="utf-8")
    age(legislators, 0)  # a new modification time, as a refresh gives
    monkeypatch.setattr(service, "RELOAD_CHECK_SECONDS", 0.0)

    second = client.get("/api/v1/representatives?zip=98105").get_json()
    assert second["legislators"][0]["phone"] == "202-225-0000"


def test_a_broken_replacement_does_not_take_the_app_down(
    data_app: Flask, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    legislators, _zcta = paths
    client = data_app.test_client()
    assert client.get("/api/v1/representatives?zip=98105").status_code == 200

    legislators.write_text('[{"id": ', encoding="utf-8")  # copied in by hand, half-written
    age(legislators, 0)
    monkeypatch.setattr(service, "RELOAD_CHECK_SECONDS", 0.0)

    for _ in range(2):
        response = client.get("/api/v1/representatives?zip=98105")
        assert response.status_code == 200
        assert [m["name"] for m in response.get_json()["legislators"]] == [
            "Pramila Jayapal",
            "Maria Cantwell",
            "Patty Murray",
        ]


def test_missing_data_is_downloaded_on_first_need(
    make_app: Any, tmp_path: Path, download: responses.RequestsMock
) -> None:
    legislators = tmp_path / "fresh" / "legislators-current.json"
    zcta = tmp_path / "fresh" / "zccd.csv"
    download.get(LEGISLATORS_URL, body=LEGISLATORS_FILE.read_bytes())
    download.get(ZCTA_URL, body=ZCTA_FILE.read_bytes())
    app = make_app(LEGISLATORS_PATH=str(legislators), ZCTA_PATH=str(zcta), DATA_DOWNLOAD=True)
    response = app.test_client().get("/api/v1/representatives?zip=98105")
    assert response.status_code == 200
    assert legislators.exists() and zcta.exists()
    # Loaded once per process: a second look-up downloads nothing.
    app.test_client().get("/api/v1/representatives?zip=20001")
    assert len(download.calls) == 2


def test_missing_data_that_cannot_be_downloaded_still_records_the_pledge(
    make_app: Any, tmp_path: Path, download: responses.RequestsMock
) -> None:
    from pages import submit_pledge

    download.get(LEGISLATORS_URL, status=404)
    download.get(ZCTA_URL, status=404)
    app = make_app(
        LEGISLATORS_PATH=str(tmp_path / "none.json"),
        ZCTA_PATH=str(tmp_path / "none.csv"),
        DATA_DOWNLOAD=True,
    )
    client = app.test_client()
    response = submit_pledge(client, zip="98105", state="WA")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We could not look up your members of Congress just now" in html
    assert "Your pledge is recorded" in html

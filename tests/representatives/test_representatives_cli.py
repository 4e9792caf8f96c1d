"""`advocacy data status` and `advocacy data refresh`, which copy of the data the app serves
(shipped snapshot, downloaded copy, configured file), and a running app picking up new files.

Who sits for a seat is read from the raw snapshot (data_files), not written here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import responses
from data_files import (
    LEGISLATORS_FILE,
    SNAPSHOT_MOMENT,
    ZCTA_FILE,
    counts,
    delegation,
    holder_record,
    legislators_bytes,
    members,
    raw_legislators,
    snapshot_taken,
    write_plain_copies,
    zcta_bytes,
    zcta_named,
)
from flask import Flask

from advocacy.representatives import service
from advocacy.representatives.datafiles import LEGISLATORS_URL, ZCTA_URL
from advocacy.representatives.service import data_locations

DAY = 24 * 3600
LOOKUP = "/api/v1/representatives?zip=98105"  # 98105 lies wholly in WA-7
RENAMED = "Renamed Testmember"


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    """Plain copies of the data files at configured paths, which the test may replace."""
    return write_plain_copies(tmp_path / "data")


@pytest.fixture
def data_app(make_app: Any, paths: tuple[Path, Path]) -> Flask:
    legislators, zcta = paths
    app: Flask = make_app(LEGISLATORS_PATH=str(legislators), ZCTA_PATH=str(zcta))
    return app


@pytest.fixture
def download() -> Iterator[responses.RequestsMock]:
    """The web for `data refresh`; a request to anything not registered fails."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def age(path: Path, days: int) -> None:
    """Date a file `days` days (and a minute) before the moment the test app lives in."""
    moment = SNAPSHOT_MOMENT.timestamp() - days * DAY - 60
    os.utime(path, (moment, moment))


def wa7_holder() -> Any:
    member = holder_record("WA", 7)
    assert member is not None, "WA-7 is vacant in the snapshot"
    return member


def with_wa7_renamed() -> bytes:
    """The members file with WA-7's holder under another name: a copy that can be told apart."""
    data = raw_legislators()
    bioguide = wa7_holder().bioguide
    for record in data:
        if record["id"]["bioguide"] == bioguide:
            record["name"]["official_full"] = RENAMED
    return json.dumps(data).encode()


def served_names(app: Flask) -> list[str]:
    response = app.test_client().get(LOOKUP)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [member["name"] for member in response.get_json()["legislators"]]


def line_for(output: str, label: str) -> str:
    (line,) = [line for line in output.splitlines() if line.startswith(f"{label}:")]
    return line


def days_since_snapshot() -> set[str]:
    """The age `data status` prints for the snapshot, at the test app's clock."""
    taken = date.fromisoformat(snapshot_taken())
    n = (SNAPSHOT_MOMENT.date() - taken).days
    return {f"({n} day{'' if n == 1 else 's'} old)"}


def legislators_summary() -> str:
    c = counts()
    latest = max(m.start for m in members())  # the build's latest term start
    return (
        f"{c.members} members: {c.senators} senators, {c.representatives} House members "
        f"(latest term start {latest})"
    )


def zcta_summary() -> str:
    c = counts()
    return f"{c.zctas} ZCTAs in {c.zcta_states} states and territories ({c.zcta_rows} rows)"


# The shipped snapshot, with no download.


def test_lookups_answer_from_the_shipped_snapshot_with_no_download(
    make_app: Any, download: responses.RequestsMock
) -> None:
    # Default settings: no data paths, an empty instance folder, and no network (the
    # conftest guard refuses sockets; `download` refuses any HTTP request).
    app = make_app()
    assert app.config["LEGISLATORS_PATH"] is None and app.config["ZCTA_PATH"] is None
    response = app.test_client().get(LOOKUP)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["state"], body["district"]) == ("WA", 7)
    assert [m["name"] for m in body["legislators"]] == delegation("WA", 7)
    assert [m["chamber"] for m in body["legislators"]] == ["house", "senate", "senate"]
    assert len(download.calls) == 0
    assert [place.in_use() for place in data_locations(app)] == [
        (LEGISLATORS_FILE, "snapshot"),
        (ZCTA_FILE, "snapshot"),
    ]
    assert not any(Path(app.instance_path).glob("*.json")) and not any(
        Path(app.instance_path).glob("*.csv")
    )


def test_nothing_is_downloaded_at_request_time(
    make_app: Any, tmp_path: Path, download: responses.RequestsMock
) -> None:
    # Configured files that are missing make the data unavailable; the app does not go and
    # fetch them while a supporter waits, even when the download would work.
    download.get(LEGISLATORS_URL, body=legislators_bytes())
    download.get(ZCTA_URL, body=zcta_bytes())
    app = make_app(
        LEGISLATORS_PATH=str(tmp_path / "fresh" / "legislators-current.json"),
        ZCTA_PATH=str(tmp_path / "fresh" / "zccd.csv"),
    )
    assert app.test_client().get(LOOKUP).status_code == 503
    assert len(download.calls) == 0
    assert not (tmp_path / "fresh").exists()


def test_missing_configured_data_still_records_the_pledge(make_app: Any, tmp_path: Path) -> None:
    from pages import submit_pledge

    app = make_app(
        LEGISLATORS_PATH=str(tmp_path / "none.json"), ZCTA_PATH=str(tmp_path / "none.csv")
    )
    client = app.test_client()
    response = submit_pledge(client, zip="98105", state="WA")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We could not look up your members of Congress just now" in html
    assert "Your pledge is recorded" in html


# Status.


def test_status_of_the_shipped_snapshot(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["data", "status"])
    assert result.exit_code == 0, result.output
    legislators = line_for(result.output, "members of Congress")
    zcta = line_for(result.output, "ZIP-to-district table")
    for line in (legislators, zcta):
        assert f"shipped snapshot dated {snapshot_taken()}" in line
        assert any(age_text in line for age_text in days_since_snapshot()), line
        assert "downloaded copy" not in line and "configured file" not in line
    assert legislators_summary() in legislators and zcta_summary() in zcta
    for line in (legislators, zcta):
        assert "describes the 119th Congress" in line
    assert result.output.startswith("At 2026-11-23 15:00 UTC the 119th Congress sits; ")


def test_status_of_a_downloaded_copy_which_the_app_then_serves(app: Flask) -> None:
    instance = Path(app.instance_path)
    legislators, zcta = write_plain_copies(instance)
    legislators.write_bytes(with_wa7_renamed())
    age(legislators, 3)
    age(zcta, 40)

    result = app.test_cli_runner().invoke(args=["data", "status"])

    assert result.exit_code == 0, result.output
    legislators_line = line_for(result.output, "members of Congress")
    zcta_line = line_for(result.output, "ZIP-to-district table")
    assert f"downloaded copy {legislators}, written " in legislators_line
    assert "(3 days old)" in legislators_line
    assert legislators_summary() in legislators_line
    assert f"downloaded copy {zcta}, written " in zcta_line
    assert "(40 days old)" in zcta_line
    assert "snapshot" not in result.output
    # What status calls in use is what the look-ups answer from.
    assert served_names(app) == [RENAMED, *delegation("WA", 7)[1:]]


def test_status_of_configured_files(data_app: Flask, paths: tuple[Path, Path]) -> None:
    legislators, zcta = paths
    age(legislators, 3)
    age(zcta, 1)
    # A downloaded copy in the instance folder does not count: the setting wins.
    Path(data_app.instance_path).mkdir(parents=True, exist_ok=True)
    (Path(data_app.instance_path) / "legislators-current.json").write_bytes(with_wa7_renamed())
    result = data_app.test_cli_runner().invoke(args=["data", "status"])
    assert result.exit_code == 0, result.output
    legislators_line = line_for(result.output, "members of Congress")
    zcta_line = line_for(result.output, "ZIP-to-district table")
    assert f"configured file {legislators}, written " in legislators_line
    assert "(3 days old)" in legislators_line
    assert f"{counts().senators} senators" in legislators_line
    assert f"configured file {zcta}, written " in zcta_line
    assert "(1 day old)" in zcta_line
    assert "ZCTAs" in zcta_line
    assert served_names(data_app) == delegation("WA", 7)


def test_status_of_a_missing_configured_file_fails(
    make_app: Any, paths: tuple[Path, Path], tmp_path: Path
) -> None:
    legislators, _zcta = paths
    absent = tmp_path / "absent.csv"
    app = make_app(LEGISLATORS_PATH=str(legislators), ZCTA_PATH=str(absent))
    result = app.test_cli_runner().invoke(args=["data", "status"])
    assert result.exit_code == 1
    assert line_for(result.output, "ZIP-to-district table") == (
        f"ZIP-to-district table: {absent} (set by configuration) is missing; "
        "run `advocacy data refresh` to download it there, or fix the setting."
    )
    assert "old" in line_for(result.output, "members of Congress")


def test_status_of_a_broken_file_says_so_and_fails(
    data_app: Flask, paths: tuple[Path, Path]
) -> None:
    legislators, _zcta = paths
    legislators.write_text("[]", encoding="utf-8")
    result = data_app.test_cli_runner().invoke(args=["data", "status"])
    assert result.exit_code == 1
    line = line_for(result.output, "members of Congress")
    # The service reads the file as it is: status says so, and what is wrong with it.
    assert "is in use but fails a check: legislators file lists 0 members" in line
    legislators.write_text("[{", encoding="utf-8")
    result = data_app.test_cli_runner().invoke(args=["data", "status"])
    assert result.exit_code == 1
    assert "cannot be used: members of Congress is invalid" in line_for(
        result.output, "members of Congress"
    )


# Refresh.


def test_refresh_writes_the_instance_folder_and_the_app_serves_the_new_copy(
    app: Flask, download: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert served_names(app) == delegation("WA", 7)  # the snapshot, loaded
    download.get(LEGISLATORS_URL, body=with_wa7_renamed())
    download.get(ZCTA_URL, body=zcta_bytes())

    result = app.test_cli_runner().invoke(args=["data", "refresh"])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    instance = Path(app.instance_path)
    legislators, zcta = instance / "legislators-current.json", instance / "zccd.csv"
    assert legislators.read_bytes() == with_wa7_renamed()
    assert zcta.read_bytes() == zcta_named()
    assert line_for(result.output, "members of Congress").startswith(
        f"members of Congress: updated {legislators}; {legislators_summary()}; "
        "describes the 119th Congress"
    )
    assert line_for(result.output, "ZIP-to-district table").startswith(
        f"ZIP-to-district table: updated {zcta}; {zcta_summary()}; describes the 119th Congress"
    )
    assert len(download.calls) == 2
    # The running app notices the new copies at its next check.
    monkeypatch.setattr(service, "RELOAD_CHECK_SECONDS", 0.0)
    assert served_names(app) == [RENAMED, *delegation("WA", 7)[1:]]
    # ...and so does a new one, which `data status` agrees with.
    status = app.test_cli_runner().invoke(args=["data", "status"])
    assert f"downloaded copy {legislators}" in status.output


def test_refresh_downloads_from_the_configured_urls(
    make_app: Any, download: responses.RequestsMock
) -> None:
    download.get("http://mirror.test/members.json", body=legislators_bytes())
    download.get("http://mirror.test/zips.csv", body=zcta_bytes())
    app = make_app(
        LEGISLATORS_URL="http://mirror.test/members.json", ZCTA_URL="http://mirror.test/zips.csv"
    )
    # A mirror's ZIP table under a plain `cd` header: whose map it draws must be said.
    result = app.test_cli_runner().invoke(args=["data", "refresh", "--zcta-congress", "119"])
    assert result.exit_code == 0, result.output
    assert [call.request.url for call in download.calls] == [
        "http://mirror.test/members.json",
        "http://mirror.test/zips.csv",
    ]


@pytest.mark.parametrize(
    ("legislators_answer", "zcta_answer"),
    [
        ({"status": 404}, {"status": 500}),
        ({"status": 500}, {"status": 404}),
        ({"body": b"<html>Rate limited</html>"}, {"body": b"state_fips,state_abbr,zcta,cd\n"}),
    ],
    ids=["404-and-500", "500-and-404", "html-and-tiny"],
)
def test_refresh_that_fails_keeps_the_snapshot_in_use(
    app: Flask,
    download: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
    legislators_answer: dict[str, Any],
    zcta_answer: dict[str, Any],
) -> None:
    download.add(responses.GET, LEGISLATORS_URL, **legislators_answer)
    download.add(responses.GET, ZCTA_URL, **zcta_answer)

    result = app.test_cli_runner().invoke(args=["data", "refresh"])

    assert result.exit_code == 1
    still = f"the shipped snapshot dated {snapshot_taken()} (the 119th Congress) is still in use"
    for label in ("members of Congress", "ZIP-to-district table"):
        line = line_for(result.stderr, label)
        assert line.startswith(f"{label}: not updated (")
        assert line.endswith(still)
    # True about what is served: there were no old copies to keep.
    assert "old cop" not in result.output and "kept" not in result.output
    assert "earlier copy" not in result.output and "updated /" not in result.output
    instance = Path(app.instance_path)
    assert not (instance / "legislators-current.json").exists()
    assert not (instance / "zccd.csv").exists()
    monkeypatch.setattr(service, "RELOAD_CHECK_SECONDS", 0.0)
    assert served_names(app) == delegation("WA", 7)
    assert [place.in_use()[1] for place in data_locations(app)] == ["snapshot", "snapshot"]


def test_refresh_where_one_file_succeeds_reports_each_separately(
    app: Flask, download: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    download.get(LEGISLATORS_URL, body=with_wa7_renamed())
    download.get(ZCTA_URL, status=500)

    result = app.test_cli_runner().invoke(args=["data", "refresh"])

    assert result.exit_code == 1
    instance = Path(app.instance_path)
    legislators = instance / "legislators-current.json"
    assert line_for(result.stdout, "members of Congress").startswith(
        f"members of Congress: updated {legislators}; {legislators_summary()}"
    )
    zcta_line = line_for(result.stderr, "ZIP-to-district table")
    assert zcta_line.startswith("ZIP-to-district table: not updated (")
    assert "500" in zcta_line
    assert zcta_line.endswith(
        f"the shipped snapshot dated {snapshot_taken()} (the 119th Congress) is still in use"
    )
    assert "members of Congress" not in result.stderr
    assert not (instance / "zccd.csv").exists()
    # The app serves the new members with the snapshot's ZIP table.
    monkeypatch.setattr(service, "RELOAD_CHECK_SECONDS", 0.0)
    assert served_names(app) == [RENAMED, *delegation("WA", 7)[1:]]
    assert [place.in_use()[1] for place in data_locations(app)] == ["downloaded", "snapshot"]


@pytest.mark.parametrize(
    ("legislators_answer", "zcta_answer"),
    [
        ({"body": b'[{"id": {"bioguide": "X'}, {"status": 404}),
        ({"body": legislators_bytes()}, {"body": b"state_fips,state_abbr,zcta,cd\n"}),
        ({"body": b"<html>Rate limited</html>"}, {"body": zcta_bytes()}),
    ],
    ids=["truncated-and-404", "tiny-zcta", "html-instead-of-json"],
)
def test_refresh_with_a_broken_download_keeps_the_earlier_copy(
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

    assert result.exit_code == 1
    # Each file that failed says so, and that the earlier copy is still in use.
    failed = {"members of Congress": legislators, "ZIP-to-district table": zcta}
    failed = {k: v for k, v in failed.items() if f"{k}: not updated" in result.stderr}
    assert failed
    for label, path in failed.items():
        line = line_for(result.stderr, label)
        assert line.endswith(f"the earlier copy {path} (the 119th Congress) is still in use")
    # The files that failed are untouched, and the app still answers from them.
    if "members of Congress" in failed:
        assert legislators.read_bytes() == before[0]
    if "ZIP-to-district table" in failed:
        assert zcta.read_bytes() == before[1]
    assert served_names(data_app) == delegation("WA", 7)


# A running app and its data files.


def test_a_running_app_picks_up_refreshed_files(
    data_app: Flask, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    legislators, _zcta = paths
    house = wa7_holder()
    client = data_app.test_client()
    first = client.get(LOOKUP).get_json()
    assert first["legislators"][0]["phone"] == house.phone

    data = json.loads(legislators.read_text(encoding="utf-8"))
    for record in data:
        if record["id"]["bioguide"] == house.bioguide:
            record["terms"][-1]["phone"] = "202-225-0000"
    legislators.write_text(json.dumps(data), encoding="utf-8")
    age(legislators, 0)  # a new modification time, as a refresh gives
    monkeypatch.setattr(service, "RELOAD_CHECK_SECONDS", 0.0)

    second = client.get(LOOKUP).get_json()
    assert second["legislators"][0]["phone"] == "202-225-0000"


def test_a_broken_replacement_does_not_take_the_app_down(
    data_app: Flask, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    legislators, _zcta = paths
    client = data_app.test_client()
    assert client.get(LOOKUP).status_code == 200

    legislators.write_text('[{"id": ', encoding="utf-8")  # copied in by hand, half-written
    age(legislators, 0)
    monkeypatch.setattr(service, "RELOAD_CHECK_SECONDS", 0.0)

    for _ in range(2):
        assert served_names(data_app) == delegation("WA", 7)

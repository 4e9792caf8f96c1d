"""Downloading, validating and replacing the data files, with `responses` as the web."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import responses
from shared_data import LEGISLATORS_FILE, ZCTA_FILE

from advocacy.http import build_session
from advocacy.representatives.datafiles import (
    LEGISLATORS_URL,
    ZCTA_URL,
    DataFileError,
    LegislatorsSummary,
    ZctaSummary,
    ensure_present,
    refresh,
    status,
    validate_legislators,
    validate_zcta,
    write_atomically,
)
from advocacy.representatives.directory import Directory

LEGISLATORS = LEGISLATORS_FILE.read_bytes()
ZCTA = ZCTA_FILE.read_bytes()
OLD_LEGISLATORS = b"[]  old legislators copy"
OLD_ZCTA = b"old zcta copy"


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with build_session(retries=0) as s:
        yield s


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as rsps:
        yield rsps


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    legislators, zcta = tmp_path / "legislators-current.json", tmp_path / "zccd.csv"
    legislators.write_bytes(OLD_LEGISLATORS)
    zcta.write_bytes(OLD_ZCTA)
    return legislators, zcta


def _without_senator(state: str) -> bytes:
    data = json.loads(LEGISLATORS)
    for i, member in enumerate(data):
        if member["terms"][-1]["type"] == "sen" and member["terms"][-1]["state"] == state:
            del data[i]
            break
    return json.dumps(data).encode()


# Validation.


def test_validate_the_real_files() -> None:
    assert validate_legislators(LEGISLATORS) == LegislatorsSummary(537, 100, 437)
    assert validate_zcta(ZCTA) == ZctaSummary(rows=42033, zctas=33774, states=52)
    assert "100 senators" in validate_legislators(LEGISLATORS).describe()
    assert "33774 ZCTAs" in validate_zcta(ZCTA).describe()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>not json</html>", "invalid"),
        (b'{"members": []}', "JSON list"),
        (b"[]", "0 members"),
        (json.dumps(json.loads(LEGISLATORS)[:450]).encode(), "450 members"),
        (_without_senator("WA"), "WA 1"),
        (b"\xff\xfe", "invalid"),
    ],
)
def test_validate_legislators_rejects(content: bytes, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        validate_legislators(content)


def test_validate_legislators_rejects_senators_outside_the_fifty() -> None:
    data = json.loads(LEGISLATORS)
    senator = next(m for m in data if m["terms"][-1]["type"] == "sen")
    senator["terms"][-1]["state"] = "DC"
    with pytest.raises(DataFileError, match="DC 1"):
        validate_legislators(json.dumps(data).encode())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"zip,state,district\n98103,WA,7\n", "header"),
        (ZCTA.replace(b"98103", b"9810", 1), "malformed"),
        (b"\n".join(ZCTA.splitlines()[:1000]), "999 rows"),
        (b"\xff" + ZCTA, "invalid"),
    ],
)
def test_validate_zcta_rejects(content: bytes, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        validate_zcta(content)


# Refresh.


def test_refresh_replaces_both_files(
    session: requests.Session, mocked: responses.RequestsMock, paths: tuple[Path, Path]
) -> None:
    mocked.get(LEGISLATORS_URL, body=LEGISLATORS)
    mocked.get(ZCTA_URL, body=ZCTA)
    report = refresh(session, *paths, timeout=(1, 2))
    assert report.ok and report.failures == []
    assert [(o.name, o.updated) for o in report.outcomes] == [
        ("legislators", True),
        ("zcta", True),
    ]
    assert paths[0].read_bytes() == LEGISLATORS and paths[1].read_bytes() == ZCTA
    assert sorted(p.name for p in paths[0].parent.iterdir()) == [
        "legislators-current.json",
        "zccd.csv",
    ]
    assert len(Directory.from_files(*paths)) == 537


def test_refresh_creates_missing_directories(
    session: requests.Session, mocked: responses.RequestsMock, tmp_path: Path
) -> None:
    mocked.get(LEGISLATORS_URL, body=LEGISLATORS)
    mocked.get(ZCTA_URL, body=ZCTA)
    target = tmp_path / "instance" / "data"
    refresh(session, target / "legislators.json", target / "zccd.csv")
    assert (target / "zccd.csv").read_bytes() == ZCTA


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"body": b"[{"}, "legislators file is invalid"),
        ({"body": _without_senator("OH")}, "OH 1"),
        ({"status": 404}, "404"),
        ({"status": 503}, "503"),
        ({"body": requests.ReadTimeout("slow")}, "timed out"),
        ({"body": requests.ConnectionError("refused")}, "download of .* failed"),
    ],
)
def test_refresh_keeps_the_old_copy_when_one_file_fails(
    session: requests.Session,
    mocked: responses.RequestsMock,
    paths: tuple[Path, Path],
    answer: dict[str, object],
    reason: str,
) -> None:
    mocked.get(LEGISLATORS_URL, **answer)
    mocked.get(ZCTA_URL, body=ZCTA)
    with pytest.raises(DataFileError, match="old copies kept") as caught:
        refresh(session, *paths, timeout=(1, 2))
    report = caught.value.report
    assert report is not None and not report.ok
    (failure,) = report.failures
    assert failure.name == "legislators" and failure.error is not None
    assert re.search(reason, failure.error)
    # The failed file is untouched; the good one was still replaced.
    assert paths[0].read_bytes() == OLD_LEGISLATORS
    assert paths[1].read_bytes() == ZCTA
    assert sorted(p.name for p in paths[0].parent.iterdir()) == [
        "legislators-current.json",
        "zccd.csv",
    ]


def test_refresh_reports_both_failures(
    session: requests.Session, mocked: responses.RequestsMock, paths: tuple[Path, Path]
) -> None:
    mocked.get(LEGISLATORS_URL, status=500)
    mocked.get(ZCTA_URL, body=b"state_fips,state_abbr,zcta,cd\n53,WA,98103,7\n")
    with pytest.raises(DataFileError, match="legislators: .*500.*zcta: .*1 rows"):
        refresh(session, *paths)
    assert paths[0].read_bytes() == OLD_LEGISLATORS
    assert paths[1].read_bytes() == OLD_ZCTA


def test_refresh_uses_the_given_urls(
    session: requests.Session, mocked: responses.RequestsMock, paths: tuple[Path, Path]
) -> None:
    mocked.get("http://mirror.test/l.json", body=LEGISLATORS)
    mocked.get("http://mirror.test/z.csv", body=ZCTA)
    report = refresh(
        session,
        *paths,
        legislators_url="http://mirror.test/l.json",
        zcta_url="http://mirror.test/z.csv",
    )
    assert report.ok


def test_write_atomically_leaves_no_temporary_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "zccd.csv"
    target.write_bytes(OLD_ZCTA)

    def disk_full(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new")
    assert target.read_bytes() == OLD_ZCTA
    assert os.listdir(tmp_path) == ["zccd.csv"]


def test_write_atomically_makes_a_readable_file(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    write_atomically(target, b"[]")
    assert target.read_bytes() == b"[]"
    assert target.stat().st_mode & 0o644 == 0o644


# First use and status.


def test_ensure_present_downloads_only_missing_files(
    session: requests.Session, mocked: responses.RequestsMock, tmp_path: Path
) -> None:
    legislators, zcta = tmp_path / "legislators.json", tmp_path / "zccd.csv"
    legislators.write_bytes(OLD_LEGISLATORS)
    mocked.get(ZCTA_URL, body=ZCTA)
    report = ensure_present(session, legislators, zcta, timeout=(1, 2))
    assert [(o.name, o.updated, o.ok) for o in report.outcomes] == [
        ("legislators", False, True),
        ("zcta", True, True),
    ]
    assert legislators.read_bytes() == OLD_LEGISLATORS
    assert len(mocked.calls) == 1
    # Everything present: no request at all.
    ensure_present(session, legislators, zcta)
    assert len(mocked.calls) == 1


def test_ensure_present_raises_when_a_missing_file_cannot_be_had(
    session: requests.Session, mocked: responses.RequestsMock, tmp_path: Path
) -> None:
    mocked.get(LEGISLATORS_URL, status=404)
    mocked.get(ZCTA_URL, body=ZCTA)
    with pytest.raises(DataFileError, match="legislators"):
        ensure_present(session, tmp_path / "l.json", tmp_path / "z.csv")
    assert not (tmp_path / "l.json").exists()
    assert (tmp_path / "z.csv").exists()


def test_status_describes_age_and_content(tmp_path: Path) -> None:
    legislators, zcta = tmp_path / "legislators.json", tmp_path / "zccd.csv"
    legislators.write_bytes(LEGISLATORS)
    written = datetime(2026, 11, 1, tzinfo=UTC)
    os.utime(legislators, (written.timestamp(), written.timestamp()))
    now = written + timedelta(days=3)
    leg, zc = status(legislators, zcta, now=now)
    assert (leg.name, leg.exists, leg.modified, leg.age) == (
        "legislators",
        True,
        written,
        timedelta(days=3),
    )
    assert leg.summary == LegislatorsSummary(537, 100, 437) and leg.error is None
    assert (zc.name, zc.exists, zc.modified, zc.summary) == ("zcta", False, None, None)


def test_status_reports_an_invalid_file(tmp_path: Path) -> None:
    legislators, zcta = tmp_path / "legislators.json", tmp_path / "zccd.csv"
    legislators.write_bytes(b"[")
    zcta.write_bytes(ZCTA)
    leg, zc = status(legislators, zcta)
    assert leg.exists and leg.summary is None and leg.error is not None
    assert leg.age is not None and leg.age >= timedelta(0)
    assert zc.summary == ZctaSummary(rows=42033, zctas=33774, states=52)


def test_refresh_reports_a_file_it_cannot_write(
    session: requests.Session, mocked: responses.RequestsMock, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"")
    mocked.get(LEGISLATORS_URL, body=LEGISLATORS)
    mocked.get(ZCTA_URL, body=ZCTA)
    with pytest.raises(DataFileError, match="cannot write") as caught:
        refresh(session, blocker / "legislators.json", tmp_path / "zccd.csv")
    assert caught.value.report is not None
    assert [o.ok for o in caught.value.report.outcomes] == [False, True]

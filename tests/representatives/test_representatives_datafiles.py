"""Which copy of the data files is in use, and downloading, validating and replacing them,
with `responses` as the web."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest.mock import ANY

import pytest
import requests
import responses
from data_files import (
    LEGISLATORS_FILE,
    SNAPSHOT_METADATA,
    SNAPSHOT_MOMENT,
    ZCTA_FILE,
    counts,
    delegation,
    legislators_bytes,
    members,
    snapshot_taken,
    zcta_bytes,
)

from advocacy.congress.calendar import ordinal
from advocacy.http import build_session
from advocacy.i18n.catalogues import compile_all
from advocacy.representatives.datafiles import (
    LEGISLATORS_URL,
    SNAPSHOT_DIR,
    ZCTA_URL,
    DataFileError,
    DataLocation,
    LegislatorsSummary,
    ZctaSummary,
    file_status,
    locations,
    refresh,
    snapshot_date,
    status,
    validate_legislators,
    validate_zcta,
    write_atomically,
    zip_table_congress,
)
from advocacy.representatives.directory import Directory

LEGISLATORS = legislators_bytes()
ZCTA = zcta_bytes()
OLD_LEGISLATORS = b"[]  old legislators copy"
OLD_ZCTA = b"old zcta copy"
FILE_NAMES = ["legislators-current.json", "zccd.csv"]
# What a refresh leaves in the instance folder: both files, and which Congress the ZIP
# table draws beside it.
WRITTEN = [*FILE_NAMES, "zccd.csv.meta.json"]
# When the tests judge the snapshot: the moment every test app lives in.
NOW = SNAPSHOT_MOMENT
REPO = Path(__file__).resolve().parents[2]
# What the app needs from a checkout, when git cannot list the files.
APP_PATHS = ("advocacy", "migrations", "templates", "static", "pyproject.toml", "wsgi.py")


def snapshot_members_congress() -> int:
    """The Congress most House members' last terms in the snapshot start in."""
    years = Counter(int(m.start[:4]) for m in members() if m.kind == "rep")
    year = years.most_common(1)[0][0]
    return (year - 1789) // 2 + 1


def legislators_summary() -> LegislatorsSummary:
    """What the snapshot's members file holds, counted from the raw file (its gaps aside)."""
    c = counts()
    return LegislatorsSummary(
        c.members,
        c.senators,
        c.representatives,
        congress=snapshot_members_congress(),
        sitting=ANY,
        warnings=ANY,
        as_of=max(date.fromisoformat(m.start) for m in members()),
    )


def zcta_summary() -> ZctaSummary:
    """What the snapshot's ZIP table holds, counted from the raw file."""
    c = counts()
    congress = json.loads(SNAPSHOT_METADATA.read_text("utf-8"))["files"]["zcta"]["congress"]
    return ZctaSummary(
        rows=c.zcta_rows, zctas=c.zctas, states=c.zcta_states, congress=congress, sitting=ANY
    )


@pytest.fixture
def http_session() -> Iterator[requests.Session]:
    with build_session(retries=0) as s:
        yield s


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as rsps:
        yield rsps


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    return tmp_path / "instance"


@pytest.fixture
def places(instance: Path) -> list[DataLocation]:
    """The default locations: nothing configured, nothing downloaded yet."""
    return locations(instance)


@pytest.fixture
def downloaded(instance: Path) -> tuple[Path, Path]:
    """Earlier copies that `data refresh` wrote into the instance folder."""
    instance.mkdir(parents=True, exist_ok=True)
    legislators, zcta = instance / FILE_NAMES[0], instance / FILE_NAMES[1]
    legislators.write_bytes(OLD_LEGISLATORS)
    zcta.write_bytes(OLD_ZCTA)
    return legislators, zcta


def _without_senator(*states: str) -> bytes:
    data = json.loads(LEGISLATORS)
    for state in states:
        for i, member in enumerate(data):
            if member["terms"][-1]["type"] == "sen" and member["terms"][-1]["state"] == state:
                del data[i]
                break
    return json.dumps(data).encode()


def _with_extra_senator(state: str) -> bytes:
    """The members file with another state's senator moved to `state`: three there."""
    data = json.loads(LEGISLATORS)
    other = next(
        m for m in data if m["terms"][-1]["type"] == "sen" and m["terms"][-1]["state"] != state
    )
    other["terms"][-1]["state"] = state
    return json.dumps(data).encode()


# The shipped snapshot.


def test_the_snapshot_is_shipped_in_the_package_and_dated() -> None:
    metadata = json.loads(SNAPSHOT_METADATA.read_text("utf-8"))
    assert snapshot_date() == date.fromisoformat(metadata["taken"])
    for name in ("legislators", "zcta"):
        assert (SNAPSHOT_DIR / metadata["files"][name]["file"]).is_file()
    assert LEGISLATORS_FILE.parent == ZCTA_FILE.parent == SNAPSHOT_DIR
    # Both are gzip files of the real data, and valid.
    assert gzip.decompress(LEGISLATORS_FILE.read_bytes()) == LEGISLATORS
    assert validate_legislators(LEGISLATORS, NOW) == legislators_summary()
    assert validate_zcta(ZCTA, 119, now=NOW) == zcta_summary()
    # The ZIP table says which Congress's map it draws.
    assert metadata["files"]["zcta"]["congress"] == validate_zcta(ZCTA, 119).congress


def repository_files() -> list[Path]:
    """Return the checkout's files as a clone would have them: tracked or to be committed."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        found: list[Path] = []
        for name in APP_PATHS:
            path = REPO / name
            found += [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        return [p.relative_to(REPO) for p in found if "__pycache__" not in p.parts]
    names = [Path(name) for name in listed.decode().split("\0") if name]
    # A file deleted in the work tree but not yet in a commit is not in the clone either.
    return [name for name in names if (REPO / name).is_file()]


CHECKOUT_ALONE = """
import json, socket, sys
from pathlib import Path

def no_network(self, address):
    raise OSError(f"this check must not reach the network ({address})")

socket.socket.connect = no_network

import advocacy
from advocacy import create_app
from advocacy.migrate import upgrade
from advocacy.representatives import service
from advocacy.representatives.datafiles import SNAPSHOT_DIR
from advocacy.representatives.directory import Directory

# Development defaults: SQLite in the instance folder (ADVOCACY_INSTANCE_PATH), no data paths.
app = create_app({"GEOCODER_URL": "http://127.0.0.1:9/geocoder"})
assert app.config["DATABASE_URL"].startswith("sqlite:///" + sys.argv[1]), app.config
upgrade(app)
with app.app_context():
    lookup = service.get_finder().find(zip5="98105")
    in_use = [[str(p), origin] for p, origin in (x.in_use() for x in service.data_locations(app))]
directory = Directory.from_files(
    SNAPSHOT_DIR / "legislators-current.json.gz", SNAPSHOT_DIR / "zccd.csv.gz"
)
print(json.dumps({
    "advocacy": advocacy.__file__,
    "snapshot": str(SNAPSHOT_DIR),
    "in_use": in_use,
    "seat": [lookup.state, lookup.district],
    "names": [m.name for m in lookup.legislators],
    "members": len(directory),
    "zip_98105": directory.seats_by_table("98105")[directory.zip_congress],
}))
"""


def test_a_checkout_with_nothing_beside_it_loads_the_data(tmp_path: Path) -> None:
    # A clone from a code host has no folder beside it: copy the repository's files where
    # nothing is, and load the data there from the snapshot alone.
    repo = tmp_path / "alone" / "repo"
    files = repository_files()
    assert Path("advocacy/representatives/snapshot/zccd.csv.gz") in files
    for name in files:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, repo / name)
    assert [p.name for p in repo.parent.iterdir()] == ["repo"]  # nothing beside it
    # What scripts/bootstrap does after installing: the message catalogues, compiled.
    assert compile_all(repo / "advocacy" / "translations")
    instance = tmp_path / "alone-instance"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")}
    env.update(PYTHONPATH=str(repo), ADVOCACY_INSTANCE_PATH=str(instance))

    result = subprocess.run(
        [sys.executable, "-c", CHECKOUT_ALONE, str(instance)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(found["advocacy"]).is_relative_to(repo), found["advocacy"]
    assert Path(found["snapshot"]) == repo / "advocacy" / "representatives" / "snapshot"
    assert found["in_use"] == [
        [str(Path(found["snapshot"]) / "legislators-current.json.gz"), "snapshot"],
        [str(Path(found["snapshot"]) / "zccd.csv.gz"), "snapshot"],
    ]
    assert found["seat"] == ["WA", 7]
    assert found["names"] == delegation("WA", 7)
    assert found["members"] == counts().members
    assert found["zip_98105"] == [["WA", 7]]


# Validation.


def test_validate_the_real_files() -> None:
    c = counts()
    assert validate_legislators(LEGISLATORS, NOW) == legislators_summary()
    assert validate_zcta(ZCTA, 119, now=NOW) == zcta_summary()
    assert c.senators == 100  # two for each of the fifty states, whoever they are
    described = validate_legislators(LEGISLATORS, NOW).describe()
    assert f"{c.senators} senators" in described
    assert f"describes the {ordinal(snapshot_members_congress())} Congress" in described
    zcta = validate_zcta(ZCTA, 119, now=NOW).describe()
    assert f"{c.zctas} ZCTAs" in zcta and "describes the 119th Congress" in zcta


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>not json</html>", "invalid"),
        (b'{"members": []}', "JSON list"),
        (b"[]", "0 members"),
        (json.dumps(json.loads(LEGISLATORS)[:450]).encode(), "450 members"),
        (_with_extra_senator("WA"), "WA 3"),
        (_without_senator(*"AL AK AZ AR CA CO CT DE FL GA HI".split()), "11 states"),
        (b"\xff\xfe", "invalid"),
    ],
)
def test_validate_legislators_rejects(content: bytes, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        validate_legislators(content, NOW)


def test_a_state_short_of_a_senator_is_a_warning() -> None:
    # After a changeover a new senator can be missing for days (West Virginia, 2025).
    summary = validate_legislators(_without_senator("WA", "WV", "WV"), NOW)
    assert summary.senators == counts().senators - 3
    assert "Washington has one senator" in summary.warnings
    assert "West Virginia has no senator" in summary.warnings
    assert "warning: Washington has one senator" in summary.describe()


def test_validate_legislators_rejects_senators_outside_the_fifty() -> None:
    data = json.loads(LEGISLATORS)
    senator = next(m for m in data if m["terms"][-1]["type"] == "sen")
    senator["terms"][-1]["state"] = "DC"
    with pytest.raises(DataFileError, match="DC 1"):
        validate_legislators(json.dumps(data).encode(), NOW)


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
        validate_zcta(content, 119)


def test_a_zip_table_whose_congress_nothing_names_is_refused() -> None:
    with pytest.raises(DataFileError, match="does not say which Congress's map it draws"):
        validate_zcta(ZCTA)


# Which copy is in use.


def test_with_nothing_downloaded_the_snapshot_is_in_use(
    places: list[DataLocation], instance: Path
) -> None:
    legislators, zcta = places
    assert (legislators.name, zcta.name) == ("legislators", "zcta")
    assert legislators.in_use() == (LEGISLATORS_FILE, "snapshot")
    assert zcta.in_use() == (ZCTA_FILE, "snapshot")
    # A refresh would write into the instance folder.
    assert [place.target for place in places] == [instance / name for name in FILE_NAMES]
    assert [place.url for place in places] == [LEGISLATORS_URL, ZCTA_URL]


def test_a_downloaded_copy_takes_over_from_the_snapshot(
    places: list[DataLocation], downloaded: tuple[Path, Path]
) -> None:
    assert [place.in_use() for place in places] == [
        (downloaded[0], "downloaded"),
        (downloaded[1], "downloaded"),
    ]


def test_a_configured_path_overrides_both_even_when_missing(
    instance: Path, downloaded: tuple[Path, Path], tmp_path: Path
) -> None:
    legislators, zcta = locations(instance, tmp_path / "mine.json", str(tmp_path / "mine.csv"))
    assert legislators.in_use() == (tmp_path / "mine.json", "configured")
    assert zcta.in_use() == (tmp_path / "mine.csv", "configured")
    assert (legislators.target, zcta.target) == (tmp_path / "mine.json", tmp_path / "mine.csv")


def test_the_directory_loads_from_the_copies_in_use(places: list[DataLocation]) -> None:
    directory = Directory.from_files(*(place.in_use()[0] for place in places))
    assert len(directory) == counts().members
    assert directory.seats_by_table("10001")[directory.zip_congress] == (("NY", 10), ("NY", 12))


# Refresh.


def test_refresh_writes_both_files_into_the_instance_folder(
    http_session: requests.Session,
    mocked: responses.RequestsMock,
    places: list[DataLocation],
    instance: Path,
) -> None:
    mocked.get(LEGISLATORS_URL, body=LEGISLATORS)
    mocked.get(ZCTA_URL, body=ZCTA)
    outcomes = refresh(http_session, places, timeout=(1, 2), now=NOW)
    assert [(o.name, o.updated, o.ok) for o in outcomes] == [
        ("legislators", True, True),
        ("zcta", True, True),
    ]
    assert [o.summary for o in outcomes] == [legislators_summary(), zcta_summary()]
    assert (instance / FILE_NAMES[0]).read_bytes() == LEGISLATORS
    # The table is written with a header naming the map it draws.
    assert (instance / FILE_NAMES[1]).read_bytes() == ZCTA.replace(b",cd\r\n", b",cd119\r\n", 1)
    # Nothing half-written is left beside them, and they are now the copies in use.
    assert sorted(p.name for p in instance.iterdir()) == WRITTEN
    assert [place.in_use()[1] for place in places] == ["downloaded", "downloaded"]
    assert outcomes[0].summary is not None
    assert outcomes[0].describe() == (
        f"members of Congress: updated {instance / FILE_NAMES[0]}; "
        f"{outcomes[0].summary.describe()}"
    )
    assert "describes the 119th Congress" in outcomes[1].describe()
    # Beside the table: which Congress's map it draws, where it came from, and when.
    sidecar = json.loads((instance / WRITTEN[2]).read_text("utf-8"))
    assert (sidecar["congress"], sidecar["url"]) == (119, ZCTA_URL)
    assert datetime.fromisoformat(sidecar["downloaded"]).tzinfo is not None
    assert zip_table_congress(places[1]) == 119
    assert len(Directory.from_files(*(p.in_use()[0] for p in places))) == counts().members


def test_refresh_uses_the_given_urls(
    http_session: requests.Session, mocked: responses.RequestsMock, instance: Path
) -> None:
    mocked.get("http://mirror.test/l.json", body=LEGISLATORS)
    mocked.get("http://mirror.test/z.csv", body=ZCTA)
    places = locations(
        instance,
        legislators_url="http://mirror.test/l.json",
        zcta_url="http://mirror.test/z.csv",
        zcta_congress=119,  # a mirror's map is not known: the setting says
    )
    assert all(outcome.ok for outcome in refresh(http_session, places))


def test_refresh_writes_a_configured_path(
    http_session: requests.Session, mocked: responses.RequestsMock, tmp_path: Path, instance: Path
) -> None:
    mocked.get(LEGISLATORS_URL, body=LEGISLATORS)
    mocked.get(ZCTA_URL, body=ZCTA)
    target = tmp_path / "etc" / "data"
    places = locations(instance, target / "members.json", target / "zips.csv")
    assert all(outcome.ok for outcome in refresh(http_session, places))
    assert (target / "zips.csv").read_bytes() == ZCTA.replace(b",cd\r\n", b",cd119\r\n", 1)
    assert not instance.exists()


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"body": b"[{"}, "legislators file is invalid"),
        ({"body": _with_extra_senator("OH")}, "OH 3"),
        ({"status": 404}, "404"),
        ({"status": 503}, "503"),
        ({"body": requests.ReadTimeout("slow")}, "timed out"),
        ({"body": requests.ConnectionError("refused")}, "could not connect"),
    ],
)
def test_a_failed_file_leaves_the_snapshot_in_use(
    http_session: requests.Session,
    mocked: responses.RequestsMock,
    places: list[DataLocation],
    instance: Path,
    answer: dict[str, object],
    reason: str,
) -> None:
    mocked.get(LEGISLATORS_URL, **answer)
    mocked.get(ZCTA_URL, body=ZCTA)
    failure, success = refresh(http_session, places, timeout=(1, 2), now=NOW)
    assert (failure.name, failure.ok, failure.updated) == ("legislators", False, False)
    assert failure.error is not None and re.search(reason, failure.error)
    assert failure.serving is not None and failure.serving.origin == "snapshot"
    assert failure.describe() == (
        f"members of Congress: not updated ({failure.error}); "
        f"the shipped snapshot dated {snapshot_taken()} "
        f"(the {ordinal(snapshot_members_congress())} Congress) is still in use"
    )
    # The good file was still written; nothing was written for the failed one.
    assert success.ok and success.updated
    assert sorted(p.name for p in instance.iterdir()) == WRITTEN[1:]
    assert places[0].in_use() == (LEGISLATORS_FILE, "snapshot")


def test_a_failed_file_leaves_the_earlier_download_in_use(
    http_session: requests.Session,
    mocked: responses.RequestsMock,
    places: list[DataLocation],
    downloaded: tuple[Path, Path],
) -> None:
    downloaded[0].write_bytes(LEGISLATORS)
    mocked.get(LEGISLATORS_URL, status=500)
    mocked.get(ZCTA_URL, body=ZCTA)
    failure, success = refresh(http_session, places)
    assert not failure.ok and success.ok
    assert downloaded[0].read_bytes() == LEGISLATORS
    assert failure.describe().endswith(
        f"the earlier copy {downloaded[0]} "
        f"(the {ordinal(snapshot_members_congress())} Congress) is still in use"
    )
    assert sorted(p.name for p in downloaded[0].parent.iterdir()) == WRITTEN


def test_refresh_reports_both_failures_and_raises_nothing(
    http_session: requests.Session,
    mocked: responses.RequestsMock,
    places: list[DataLocation],
    instance: Path,
) -> None:
    mocked.get(LEGISLATORS_URL, status=500)
    mocked.get(ZCTA_URL, body=b"state_fips,state_abbr,zcta,cd\n53,WA,98103,7\n")
    legislators, zcta = refresh(http_session, places)
    assert not legislators.ok and legislators.error is not None and "500" in legislators.error
    assert not zcta.ok and zcta.error is not None and "1 rows" in zcta.error
    for outcome in (legislators, zcta):
        assert "the shipped snapshot dated" in outcome.describe()
        assert "still in use" in outcome.describe()
    assert not instance.exists() or list(instance.iterdir()) == []


def test_refresh_reports_a_file_it_cannot_write(
    http_session: requests.Session, mocked: responses.RequestsMock, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"")
    mocked.get(LEGISLATORS_URL, body=LEGISLATORS)
    mocked.get(ZCTA_URL, body=ZCTA)
    places = locations(tmp_path / "instance", blocker / "legislators.json", tmp_path / "zccd.csv")
    legislators, zcta = refresh(http_session, places)
    assert [legislators.ok, zcta.ok] == [False, True]
    assert legislators.error is not None and "cannot write" in legislators.error
    # A configured file that is missing leaves no usable copy, and the line says so.
    assert legislators.describe().endswith("no usable copy is in place")


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


# Status.


def test_status_of_the_snapshot(places: list[DataLocation]) -> None:
    taken = snapshot_date()
    midnight = datetime(taken.year, taken.month, taken.day, tzinfo=UTC)
    now = midnight + timedelta(days=5, hours=3)
    legislators, zcta = status(places, now=now)
    assert (legislators.path, legislators.origin, legislators.exists) == (
        LEGISLATORS_FILE,
        "snapshot",
        True,
    )
    assert (legislators.dated, legislators.age) == (midnight, timedelta(days=5, hours=3))
    assert legislators.summary == legislators_summary() and legislators.error is None
    assert zcta.summary == zcta_summary() and zcta.origin == "snapshot"
    assert legislators.describe() == (
        f"members of Congress: shipped snapshot dated {snapshot_taken()} (5 days old); "
        f"{validate_legislators(LEGISLATORS, now).describe()}"
    )
    assert zcta.describe() == (
        f"ZIP-to-district table: shipped snapshot dated {snapshot_taken()} (5 days old); "
        f"{validate_zcta(ZCTA, 119, now=now).describe()}"
    )
    assert "describes the 119th Congress" in zcta.describe()


def test_status_of_a_downloaded_copy_describes_age_and_content(
    places: list[DataLocation], downloaded: tuple[Path, Path]
) -> None:
    legislators_path, _zcta_path = downloaded
    legislators_path.write_bytes(LEGISLATORS)
    written = datetime(2026, 11, 1, tzinfo=UTC)
    os.utime(legislators_path, (written.timestamp(), written.timestamp()))
    legislators = file_status(places[0], now=written + timedelta(days=3))
    assert (legislators.name, legislators.origin, legislators.exists) == (
        "legislators",
        "downloaded",
        True,
    )
    assert (legislators.dated, legislators.age) == (written, timedelta(days=3))
    assert legislators.summary == legislators_summary() and legislators.error is None
    summary = validate_legislators(LEGISLATORS, written + timedelta(days=3))
    assert legislators.describe() == (
        f"members of Congress: downloaded copy {legislators_path}, written 2026-11-01 00:00 UTC"
        f" (3 days old); {summary.describe()}"
    )


def test_status_reports_an_invalid_copy(
    places: list[DataLocation], downloaded: tuple[Path, Path]
) -> None:
    legislators, zcta = status(places)
    assert legislators.exists and legislators.summary is None and legislators.error is not None
    assert legislators.age is not None and legislators.age >= timedelta(0)
    assert "cannot be used" in legislators.describe()
    assert zcta.error is not None and "cannot be used" in zcta.describe()


def test_status_of_a_missing_configured_file(instance: Path, tmp_path: Path) -> None:
    places = locations(instance, zcta_path=tmp_path / "absent.csv")
    legislators, zcta = status(places)
    assert legislators.origin == "snapshot" and legislators.error is None
    assert (zcta.origin, zcta.exists, zcta.summary) == ("configured", False, None)
    assert zcta.describe() == (
        f"ZIP-to-district table: {tmp_path / 'absent.csv'} (set by configuration) is missing; "
        "run `advocacy data refresh` to download it there, or fix the setting."
    )


def test_status_of_a_broken_gzip_file(instance: Path, tmp_path: Path) -> None:
    broken = tmp_path / "legislators.json.gz"
    broken.write_bytes(b"not gzip at all")
    legislators, _zcta = status(locations(instance, legislators_path=broken))
    assert legislators.exists and legislators.error is not None
    assert "gzip" in legislators.error
    assert "cannot be used" in legislators.describe()

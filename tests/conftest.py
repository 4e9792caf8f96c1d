"""Fixtures: an app on a migrated database (SQLite, or PostgreSQL via ADVOCACY_DATABASE_URL;
one per pytest-xdist worker), clients, a database session, and a guard that keeps tests off
the network except for this machine. What tests import lives in modules beside this file
(apps.py, databases.py, pages.py, ...), never here."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from functools import wraps
from pathlib import Path
from typing import Any

import pytest
from apps import (
    CHEAP_HASHER,
    COMPILED_TEMPLATES,
    ZipTablesParsedOnce,
    base_config,
    redis_settings,
    replace_everywhere,
)
from argon2 import PasswordHasher
from databases import (
    close_engines,
    create_database,
    drop_database,
    empty_database,
    memory_folder,
    on_postgres,
    reset_database,
    scratch_database,
    worker_database_url,
)
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from advocacy import create_app
from advocacy.campaigns.service import install_shipped_campaigns
from advocacy.db import get_session
from advocacy.migrate import upgrade
from advocacy.organizers import accounts
from advocacy.representatives import datafiles
from advocacy.representatives.datafiles.snapshot import by_state
from advocacy.representatives.directory import parse_zcta


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse connections to anywhere but this machine."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("::1", "localhost") or host.startswith("/")
        ):
            raise OSError(f"tests must not reach the network ({host})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


# --- test-only shortcuts, for the whole run (see apps.py) ------------------------------------


@pytest.fixture(scope="session")
def production_password_hasher() -> PasswordHasher:
    """The hasher the app uses outside tests (test_password_cost.py pins its cost)."""
    return accounts._hasher


@pytest.fixture(scope="session", autouse=True)
def quick_test_process(production_password_hasher: PasswordHasher) -> Iterator[None]:
    """Compile each template once per process; hash passwords at argon2's lowest cost; read
    the shipped snapshot's data status once per clock reading; parse each ZIP table's text
    (and split it by state) once per process.

    None of these changes what a test checks: a template is compiled anew when its source
    changes, a hash at any cost verifies the same way, the snapshot is read-only, and
    parsing is a pure function of the text.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            Flask, "jinja_options", {**Flask.jinja_options, "bytecode_cache": COMPILED_TEMPLATES}
        )
        patch.setattr(accounts, "_hasher", CHEAP_HASHER)
        patch.setattr(datafiles, "status", _snapshot_status_once(datafiles.status))
        zip_tables = ZipTablesParsedOnce(parse_zcta, by_state)
        replace_everywhere(patch, parse_zcta, zip_tables.parse_zcta)
        replace_everywhere(patch, by_state, zip_tables.by_state)
        yield


def _snapshot_status_once(status: Any) -> Any:
    """Wrap datafiles.status: the shipped snapshot's (0.6 s to validate both files, on each
    dashboard of each test's app) is computed once per moment; any other copy every time."""
    known: dict[tuple[Any, ...], list[datafiles.FileStatus]] = {}

    @wraps(status)
    def once(places: list[datafiles.DataLocation], now: Any = None) -> Any:
        shipped = now is not None and all(
            place.snapshot == datafiles.SNAPSHOT_DIR and place.in_use()[1] == "snapshot"
            for place in places
        )
        if not shipped:
            return status(places, now)
        key = (tuple(places), now)
        if key not in known:
            known[key] = status(places, now)
        return list(known[key])

    return once


# --- the database and the app -----------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return this worker's database URL, migrated from empty once for the whole run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "master")
    with memory_folder(tmp_path_factory.mktemp("db")) as tmp_dir:
        url = worker_database_url(tmp_dir, worker)
        made_here = on_postgres() and worker != "master"
        if made_here:
            create_database(url)
        else:
            reset_database(url)
        app = create_app(base_config(tmp_dir, url))
        upgrade(app)
        app.extensions["advocacy.engine"].dispose()
        yield url
        close_engines()
        if made_here:
            drop_database(url)


@pytest.fixture
def scratch_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of this test's own (not migrated), dropped after it."""
    with scratch_database(tmp_path) as url:
        yield url


@pytest.fixture
def make_app(migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Return a factory of apps on the migrated database, emptied for this test."""
    monkeypatch.setenv("ADVOCACY_INSTANCE_PATH", str(tmp_path / "instance"))
    empty_database(migrated_url)
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = create_app({**base_config(tmp_path, migrated_url), **overrides})
        app.config["TESTING"] = True
        with app.app_context():
            install_shipped_campaigns(get_session())
            get_session().commit()
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["advocacy.engine"].dispose()


@pytest.fixture
def app(make_app: Any) -> Flask:
    flask_app: Flask = make_app()
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A session on the app's database, for a test that reads or writes rows by hand
    (tests/factories.py makes them): commit what the app should see. It holds no app
    context, so the app's requests keep sessions of their own."""
    session: Session = app.extensions["advocacy.sessionmaker"]()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@pytest.fixture
def redis_config() -> dict[str, Any]:
    """Settings for rate limits shared through Redis, under a prefix of this test's own."""
    return redis_settings()

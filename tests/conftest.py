"""Fixtures: an app on a migrated database (SQLite, or PostgreSQL via ADVOCACY_DATABASE_URL),
clients, and a guard that keeps tests off the network except for this machine."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from data_files import snapshot_clock
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from advocacy import create_app
from advocacy.campaigns.service import install_shipped_campaigns
from advocacy.db import Base, create_db_engine, get_session
from advocacy.migrate import upgrade

# An address nothing listens on: a test that forgets to fake the geocoder fails fast.
UNREACHABLE_GEOCODER = "http://127.0.0.1:9/geocoder"


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("ADVOCACY_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.sqlite3'}"


def reset_database(url: str) -> None:
    """Drop every table, including Alembic's own, so upgrade starts from empty."""
    engine = create_db_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


def base_config(tmp_dir: Path, url: str) -> dict[str, Any]:
    """Settings for a test app. No data paths: with the instance folder a fresh tmp folder
    (make_app sets ADVOCACY_INSTANCE_PATH), the app reads the snapshot shipped in the package."""
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "GEOCODER_URL": UNREACHABLE_GEOCODER,
        "RATELIMIT_ENABLED": False,
        "MIN_FILL_SECONDS": 0,
        "CLOCK": snapshot_clock,
        # Mail stays in the outbox unless a test sends it (tests/inbox.py): no thread
        # of an earlier test's app writes to a database the next test has emptied.
        "MAIL_SEND_IN_APP": False,
    }


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


@pytest.fixture(scope="session")
def migrated_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return a database URL migrated from empty once for the whole run."""
    tmp_dir = tmp_path_factory.mktemp("db")
    url = database_url(tmp_dir)
    reset_database(url)
    app = create_app(base_config(tmp_dir, url))
    upgrade(app)
    return url


@pytest.fixture
def make_app(migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Return a factory of apps on the migrated database, emptied for this test."""
    monkeypatch.setenv("ADVOCACY_INSTANCE_PATH", str(tmp_path / "instance"))
    engine = create_db_engine(migrated_url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = create_app({**base_config(tmp_path, migrated_url), **overrides})
        app.config["TESTING"] = True
        with app.app_context():
            install_shipped_campaigns(get_session())
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


REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_config() -> dict[str, Any]:
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis must be running in CI (see .ci/run)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        # A fresh prefix per test: counts from earlier runs never leak in.
        "RATELIMIT_KEY_PREFIX": f"advocacy-test-{uuid.uuid4().hex}",
        "RATELIMIT_WRITE": "3 per minute",
    }

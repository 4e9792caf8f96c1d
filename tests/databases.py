"""The test databases: one per pytest-xdist worker, and throw-away ones for tests that need
a database of their own (migrations from empty, a server that refuses or freezes).

SQLite files live in pytest's temporary folders, which are per worker already. On
PostgreSQL (ADVOCACY_DATABASE_URL names a database on a server) each worker gets a database
named after the given one (`advocacy_ci` -> `advocacy_ci_gw0`), created and dropped by the
session's fixture, and each throw-away database a name of its own, so two workers never
share one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from advocacy.db import Base, create_db_engine


def given_url() -> str:
    """Return ADVOCACY_DATABASE_URL, or "" when the suite runs on SQLite."""
    return os.environ.get("ADVOCACY_DATABASE_URL", "")


def on_postgres() -> bool:
    return given_url().startswith("postgresql")


def sqlite_url(tmp_dir: Path, name: str = "test") -> str:
    return f"sqlite:///{tmp_dir / f'{name}.sqlite3'}"


SHARED_MEMORY = Path("/dev/shm")


@contextmanager
def memory_folder(fallback: Path) -> Iterator[Path]:
    """Yield a folder in shared memory (tmpfs, Linux), removed after; or fallback elsewhere."""
    if not (SHARED_MEMORY.is_dir() and os.access(SHARED_MEMORY, os.W_OK)):
        yield fallback
        return
    folder = Path(tempfile.mkdtemp(prefix="advocacy-tests-", dir=SHARED_MEMORY))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def named_database(url: str, name: str) -> str:
    """Return the URL of another database on the same server."""
    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


def database_name(url: str) -> str:
    return sa.make_url(url).database or ""


def _admin(url: str) -> sa.Engine:
    """An engine on the server's `postgres` database, for CREATE and DROP DATABASE."""
    return create_db_engine(named_database(url, "postgres"))


def create_database(url: str) -> None:
    """Create the PostgreSQL database the URL names, dropping any left by a killed run."""
    name = f'"{database_name(url)}"'
    admin = _admin(url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    """Drop the PostgreSQL database the URL names, closing whatever still uses it."""
    name = f'"{database_name(url)}"'
    admin = _admin(url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


def worker_database_url(tmp_dir: Path, worker: str) -> str:
    """Return the database URL for one worker ("gw0", or "master" without xdist).

    Without xdist the given PostgreSQL database is used as it is (the README's
    `createdb advocacy_test`); with it, each worker's name is derived from the given one.
    A SQLite file goes in tmp_dir, which the caller puts in memory where it can (see
    memory_folder): the suite commits thousands of times, and each commit waits for the
    disk otherwise.
    """
    url = given_url()
    if not url:
        return sqlite_url(tmp_dir)
    if worker == "master":
        return url
    return named_database(url, f"{database_name(url)}_{worker}")


@contextmanager
def scratch_database(tmp_dir: Path, label: str = "scratch") -> Iterator[str]:
    """Yield the URL of an empty database of its own: a SQLite file in tmp_dir, or a
    PostgreSQL database created for the block and dropped after it."""
    url = given_url()
    if not url.startswith("postgresql"):
        yield sqlite_url(tmp_dir, label)
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = "_".join(
        part for part in (database_name(url), worker, label, uuid.uuid4().hex[:8]) if part
    )
    scratch = named_database(url, name)
    create_database(scratch)
    try:
        yield scratch
    finally:
        drop_database(scratch)


def reset_database(url: str) -> None:
    """Drop every table, including Alembic's own, so upgrade starts from empty."""
    engine = create_db_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


_engines: dict[str, sa.Engine] = {}


def empty_database(url: str) -> None:
    """Delete every row from every table (the schema stays migrated).

    Before each test: one engine per database for the whole run, so its connection and its
    compiled statements are reused (a new engine each time cost 28 ms a test).
    """
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = create_db_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


def close_engines() -> None:
    """Close the connections empty_database kept."""
    while _engines:
        _engines.popitem()[1].dispose()


def table_names(url: str) -> set[str]:
    """Return the names of the tables in the database at url (for migration tests)."""
    engine = create_db_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def query(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    """Return the rows of one statement on the database at url (for migration tests)."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def insert_campaign(connection: sa.Connection, at: str, slug: str = "c") -> int:
    """Add a live campaign as every release since 0011 stores one, in raw SQL (a migration
    test runs before the models' tables exist); return its id."""
    connection.execute(
        sa.text(
            "INSERT INTO campaigns (slug, title, goal, is_default, content, created_at,"
            " updated_at, status) VALUES (:slug, 'C', 10, false, :content, :t, :t, 'live')"
        ),
        {"slug": slug, "content": json.dumps({}), "t": at},
    )
    return int(
        connection.execute(
            sa.text("SELECT id FROM campaigns WHERE slug = :slug"), {"slug": slug}
        ).scalar_one()
    )

"""A throw-away database for the benchmark: made, migrated, seeded, then dropped.

SQLite: a file in the run's temporary folder. PostgreSQL: a database of its own, created
on the server that --database-url names and dropped at the end; the database the URL
names is only connected to, to create and drop that one, and its data is never read.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from advocacy.db import create_db_engine
from advocacy.models import Campaign, Pledge
from advocacy.pledges import tallies

LOOPBACK = ("127.0.0.1", "localhost", "::1")
UPGRADE_TIMEOUT = 300  # seconds for `advocacy db upgrade`
# Seeded pledges: 20 states, 8 districts each, 60 cities, 6 partner refs, a third
# consented, spread over the 60 days before the run.
STATES = "WACAVANYTXFLILPAOHGANCMIAZMAMNORCOMDWIUT"
SPREAD_SECONDS = 60 * 86400
CONGRESS = 119

# Seeded pledges were confirmed as they were made: counted supporters.
# (No contact is sealed: the seeded rows stand in for counts, and each has a hash of its own.)
_COLUMNS = """campaign_id, email_hash, zip, city, state, district,
                     congress, consent, ref, created_at, confirmed_at"""
_VALUES = """:campaign, 'seed-' || i, '98105', 'City ' || (i % 60),
       substr(:states, (i % 20) * 2 + 1, 2), (i % 8) + 1, :congress, i % 3 = 0,
       CASE i % 6 WHEN 0 THEN '' ELSE 'partner' || (i % 6) END"""
SQLITE_SEED = f"""
INSERT INTO pledges ({_COLUMNS})
WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i < :last)
SELECT {_VALUES},
       strftime('%Y-%m-%d %H:%M:%f', :start, '+' || (i % {SPREAD_SECONDS}) || ' seconds'),
       strftime('%Y-%m-%d %H:%M:%f', :start, '+' || (i % {SPREAD_SECONDS}) || ' seconds')
FROM n
"""
POSTGRES_SEED = f"""
INSERT INTO pledges ({_COLUMNS})
SELECT {_VALUES},
       CAST(:start AS timestamptz) + make_interval(secs => i % {SPREAD_SECONDS}),
       CAST(:start AS timestamptz) + make_interval(secs => i % {SPREAD_SECONDS})
FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS i
"""


class BenchDatabaseError(RuntimeError):
    """The benchmark's database cannot be made, migrated or seeded."""


@dataclass(frozen=True)
class BenchDatabase:
    """The throw-away database: the app's URL for it, its kind and its server's version."""

    url: str
    kind: str  # "sqlite" or "postgresql"
    version: str

    def describe(self) -> str:
        return f"{'SQLite' if self.kind == 'sqlite' else 'PostgreSQL'} {self.version}"


def postgres_server_url(database_url: str) -> URL:
    """Check a --database-url and return it with the driver the app uses."""
    try:
        url = make_url(database_url)
    except sa.exc.ArgumentError as error:
        raise BenchDatabaseError(f"--database-url is not a database URL: {error}") from error
    if not url.drivername.startswith("postgresql"):
        raise BenchDatabaseError(
            "--database-url must name a PostgreSQL server; without it the benchmark uses "
            "a throw-away SQLite file."
        )
    host = url.host or str(url.query.get("host", ""))
    if host and host not in LOOPBACK and not host.startswith("/"):
        raise BenchDatabaseError(
            "--database-url must name a PostgreSQL server on this machine (127.0.0.1, "
            "localhost or a Unix socket): the benchmark measures one machine."
        )
    return url.set(drivername="postgresql+psycopg")


@contextmanager
def throwaway_database(database_url: str | None, folder: Path) -> Iterator[BenchDatabase]:
    """Yield a new, empty database; remove it afterwards, also after an error."""
    if database_url is None:
        path = folder / "bench.sqlite3"
        yield BenchDatabase(f"sqlite:///{path}", "sqlite", sqlite3.sqlite_version)
        return
    import psycopg
    from psycopg import sql

    server = postgres_server_url(database_url)
    admin = server.set(drivername="postgresql", database=server.database or "postgres")
    conninfo = admin.render_as_string(hide_password=False)
    name = f"advocacy_bench_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            version = str(row[0]).split()[0] if row else "?"
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise BenchDatabaseError(f"cannot create a database on that server: {error}") from error
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        yield BenchDatabase(url, "postgresql", version)
    finally:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def migrate(env: dict[str, str], cwd: Path) -> None:
    """Run `advocacy db upgrade` (the app's Alembic migrations, then the shipped campaigns)."""
    done = subprocess.run(
        [sys.executable, "-m", "advocacy.cli", "db", "upgrade"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=UPGRADE_TIMEOUT,
    )
    if done.returncode != 0:
        raise BenchDatabaseError(f"`advocacy db upgrade` failed:\n{done.stdout}{done.stderr}")


class Seeder:
    """Adds pledges to the default campaign in bulk, one INSERT … SELECT per call."""

    def __init__(self, url: str) -> None:
        # No statement deadline: a bulk load of a million pledges takes longer than any
        # request may (ADVOCACY_DATABASE_TIMEOUT).
        self.engine = create_db_engine(url, timeout=None)
        self.postgres = self.engine.dialect.name == "postgresql"
        self.seeded = 0
        start = datetime.now(UTC) - timedelta(seconds=SPREAD_SECONDS)
        self._start = (
            start.isoformat() if self.postgres else start.strftime("%Y-%m-%d %H:%M:%S.%f")
        )
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.text("SELECT id, slug FROM campaigns ORDER BY is_default DESC, id LIMIT 1")
            ).first()
        if row is None:
            raise BenchDatabaseError("the migrated database has no campaign to pledge to")
        self.campaign_id = int(row[0])
        self.slug = str(row[1])

    def grow_to(self, count: int) -> float:
        """Seed pledges until this many have been seeded; return the seconds it took."""
        began = time.perf_counter()
        if count > self.seeded:
            params = {
                "campaign": self.campaign_id,
                "first": self.seeded + 1,
                "last": count,
                "states": STATES,
                "congress": CONGRESS,
                "start": self._start,
            }
            with self.engine.begin() as connection:
                connection.execute(
                    sa.text(POSTGRES_SEED if self.postgres else SQLITE_SEED), params
                )
                # The counter the stats API reads and the dashboard's tallies, counted
                # as after any bulk load.
                with Session(bind=connection) as session:
                    tallies.recount(session, self.campaign_id)
            with self.engine.connect() as connection:
                connection.execute(sa.text("ANALYZE"))
                connection.commit()
            self.seeded = count
        return time.perf_counter() - began

    def pledge_count(self) -> int:
        """Return the campaign's counter: the seeded pledges (those the benchmark posts count
        once confirmed from their mailbox, which nobody does here)."""
        with self.engine.connect() as connection:
            count = connection.execute(
                sa.select(Campaign.pledge_count).where(Campaign.id == self.campaign_id)
            ).scalar_one()
        return int(count)

    def pledges_recorded(self) -> int:
        """Return the campaign's pledges stored, confirmed or not (the benchmark's are not)."""
        with self.engine.connect() as connection:
            count = connection.execute(
                sa.select(sa.func.count())
                .select_from(Pledge)
                .where(Pledge.campaign_id == self.campaign_id)
            ).scalar_one()
        return int(count)

    def close(self) -> None:
        self.engine.dispose()

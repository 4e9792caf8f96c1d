"""The database: declarative base, one engine per app, one session per app context."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Stable constraint names, so Alembic migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


# Deadlines, in seconds: a frozen or unreachable database fails a request fast (503)
# instead of holding it, and every worker with it.
CONNECT_TIMEOUT = 3
POOL_TIMEOUT = 5
STATEMENT_TIMEOUT_MS = 10_000
SQLITE_BUSY_TIMEOUT = 10


def create_db_engine(url: str, pool_size: int = 5) -> Engine:
    """Build an engine with the settings each backend needs under concurrent requests."""
    # Bound values are supporters' names and emails: keep them out of error messages and logs.
    options: dict[str, Any] = {"hide_parameters": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {
            "connect_timeout": CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        }
    if not url.startswith("sqlite"):
        options.update(pool_size=pool_size, max_overflow=pool_size, pool_timeout=POOL_TIMEOUT)
    else:
        # Threads share the pool; wait for the write lock, within a deadline.
        options["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT}
    engine = sa.create_engine(url, **options)
    if url.startswith("sqlite"):
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        sa.event.listen(engine, "checkin", _note_checkin)
        sa.event.listen(engine, "checkout", _ping_if_idle(engine.dialect))
    return engine


# A pooled connection that sat unused this long is checked with a round trip before use,
# so the first request after a database restart or a dropped connection gets a fresh
# one. A busy connection is not checked: SQLAlchemy's pool_pre_ping would cost every
# request a round trip (a sixth of a pledge's time). A busy connection that dies fails
# its request with a 503, and that failure makes the pool replace every connection.
PING_AFTER_IDLE_SECONDS = 1.0
CHECKED_IN_AT = "advocacy_checked_in_at"


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info[CHECKED_IN_AT] = time.monotonic()


def _ping_if_idle(dialect: sa.Dialect) -> Callable[[Any, Any, Any], None]:
    def ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get(CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
            return  # new, or in use a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool drops this connection and checks out another (a new one if needed).
            raise sa.exc.DisconnectionError(str(error)) from error

    return ping


# An execution option naming a transaction that will write (see begin_write).
WRITE_OPTION = "advocacy_write"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own implicit BEGIN breaks savepoints (a RELEASE would commit the whole
    # transaction); _sqlite_begin emits BEGIN instead, as SQLAlchemy's docs recommend.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers carry on while a pledge is being written.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT * 1000}")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    # A transaction that will write takes the write lock at once: SQLite cannot upgrade a
    # read transaction to a write once another connection has committed since it began.
    immediate = connection.get_execution_options().get(WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session: Session) -> None:
    """Make the session's transaction one that may write, after any slow work is done.

    On SQLite the write lock is taken now (BEGIN IMMEDIATE), ending a read-only
    transaction first: SQLite cannot upgrade a read transaction to a write once another
    connection has committed since it began. Other databases need nothing here.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() called with unsaved changes in the session")
        # Nothing to write yet: this only ends the read transaction (objects stay loaded).
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})


def init_app(app: Flask) -> None:
    """Create the app's engine and close each request's session at teardown."""
    engine = create_db_engine(app.config["DATABASE_URL"], int(app.config["DATABASE_POOL_SIZE"]))
    app.extensions["advocacy.engine"] = engine
    app.extensions["advocacy.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    engine: Engine = current_app.extensions["advocacy.engine"]
    return engine


def get_session() -> Session:
    """Return the session of the current app context, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["advocacy.sessionmaker"]()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()

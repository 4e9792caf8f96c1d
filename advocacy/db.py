"""The database: declarative base, one engine per app, one session per app context."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

log = logging.getLogger(__name__)

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


# Deadlines, in seconds: a database that is down, unreachable or frozen fails a request
# fast (503) instead of holding it, and every worker with it.
CONNECT_TIMEOUT = 3
POOL_TIMEOUT = 5
# ADVOCACY_DATABASE_TIMEOUT's default: how long one statement may take. PostgreSQL
# enforces it as statement_timeout, SQLite as the time a write waits for the lock.
DATABASE_TIMEOUT = 5.0
# A server that stops answering (a stopped process, a hung machine) enforces no
# statement_timeout, and the kernel keeps acknowledging what is sent to it, so TCP
# keepalives do not fire either: the app stops waiting this long after the server's own
# deadline (advocacy/db_postgres.py), which a slow but working server meets first.
ANSWER_GRACE = 1.0
# After the database failed to answer in time, requests that need it fail at once for
# this long instead of each holding a server thread for the whole deadline.
PAUSE_SECONDS = 5.0


def create_db_engine(
    url: str, pool_size: int = 5, timeout: float | None = DATABASE_TIMEOUT
) -> Engine:
    """Build an engine with the settings each backend needs under concurrent requests.

    timeout is the statement deadline (ADVOCACY_DATABASE_TIMEOUT); None, for bulk loads,
    sets none on PostgreSQL (SQLite still waits the default for the write lock).
    """
    # Bound values are supporters' names and emails: keep them out of error messages and logs.
    options: dict[str, Any] = {"hide_parameters": True}
    if url.startswith("sqlite"):
        # Threads share the pool; a write waits for the lock, within the deadline.
        busy = DATABASE_TIMEOUT if timeout is None else timeout
        options["connect_args"] = {"check_same_thread": False, "timeout": busy}
        engine = sa.create_engine(url, **options)
        sa.event.listen(engine, "connect", _sqlite_on_connect(busy))
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine

    options.update(pool_size=pool_size, max_overflow=pool_size, pool_timeout=POOL_TIMEOUT)
    postgres = url.startswith("postgresql")
    if postgres:
        connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT}
        if timeout is not None:
            connect_args["options"] = f"-c statement_timeout={max(1, round(timeout * 1000))}"
        options["connect_args"] = connect_args
    engine = sa.create_engine(url, **options)
    pause = DatabasePause(PAUSE_SECONDS)
    if postgres and timeout is not None:
        from advocacy.db_postgres import answer_within

        answer_within(engine, timeout + ANSWER_GRACE, pause)
    sa.event.listen(engine, "checkin", _note_checkin)
    sa.event.listen(engine, "checkout", _checkout(engine.dialect, pause))
    return engine


class DatabasePausedError(sa.exc.TimeoutError):
    """The database did not answer a moment ago: fail now rather than wait for it again."""


class DatabasePause:
    """After the database failed to answer within its deadline, fail fast for a while.

    Waiting costs a server thread per request: while the database is frozen, every request
    that needs it would hold a thread for the whole deadline, and the pages that need none
    (static files, the health check) would queue behind them. Paused, such a request fails
    at once (503); when the pause is over, one request at a time finds out whether the
    database answers again, and the first answer ends the pause. One per process.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.tripped = False
        self._until = 0.0
        self._lock = threading.Lock()
        self._clock = clock

    def check(self) -> None:
        """Raise DatabasePausedError while paused; let one request through when it is over."""
        if not self.tripped:  # the usual case: no lock
            return
        with self._lock:
            now = self._clock()
            if not self.tripped:
                return
            if now < self._until:
                raise DatabasePausedError(
                    f"the database did not answer; asking again in {self._until - now:.1f} s"
                )
            # This request asks; the others keep failing fast meanwhile (for one more pause
            # at most, should its answer take longer).
            self._until = now + self.seconds

    def trip(self) -> None:
        """Start (or extend) the pause: the database did not answer within its deadline."""
        with self._lock:
            if not self.tripped:
                log.error(
                    "database did not answer within its deadline: requests that need it "
                    "fail at once, asking again every %g s",
                    self.seconds,
                )
            self.tripped = True
            self._until = self._clock() + self.seconds

    def clear(self) -> None:
        """End the pause: the database answered."""
        with self._lock:
            if self.tripped:
                log.warning("database answers again")
            self.tripped = False


# A deadline for every wait on the database in a block (the health check's), on top of
# each statement's own; see deadline().
_DEADLINE: ContextVar[float | None] = ContextVar("advocacy_db_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Give every wait for PostgreSQL in the block (connecting included) `seconds` in all."""
    until = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(until if outer is None else min(outer, until))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Return the seconds left before the enclosing deadline(), or None outside one."""
    until = _DEADLINE.get()
    return None if until is None else until - time.monotonic()


# A pooled connection that sat unused this long is checked with a round trip before use,
# so the first request after a database restart or a dropped connection gets a fresh
# one. A busy connection is not checked: SQLAlchemy's pool_pre_ping would cost every
# request a round trip (a sixth of a pledge's time). A busy connection that dies fails
# its request with a 503, and that failure makes the pool replace every connection.
PING_AFTER_IDLE_SECONDS = 1.0
CHECKED_IN_AT = "advocacy_checked_in_at"


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info[CHECKED_IN_AT] = time.monotonic()


def _checkout(dialect: sa.Dialect, pause: DatabasePause) -> Callable[[Any, Any, Any], None]:
    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        pause.check()
        checked_in_at = record.info.get(CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < PING_AFTER_IDLE_SECONDS:
            return  # new, or in use a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool drops this connection and checks out another (a new one if needed).
            raise sa.exc.DisconnectionError(str(error)) from error

    return checkout


# An execution option naming a transaction that will write (see begin_write).
WRITE_OPTION = "advocacy_write"


def _sqlite_on_connect(busy_seconds: float) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own implicit BEGIN breaks savepoints (a RELEASE would commit the whole
        # transaction); _sqlite_begin emits BEGIN instead, as SQLAlchemy's docs recommend.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL lets readers carry on while a pledge is being written.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted rows (a sent email's recipient and codes) are overwritten with zeros,
        # not left readable in the file's free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        # A write waits this long for the lock (another writer, a stuck process holding
        # the file), then fails with "database is locked": a 503, not a hung thread.
        cursor.execute(f"PRAGMA busy_timeout={max(1, round(busy_seconds * 1000))}")
        cursor.close()

    return on_connect


def _sqlite_begin(connection: sa.Connection) -> None:
    # A transaction that will write takes the write lock at once: SQLite cannot upgrade a
    # read transaction to a write once another connection has committed since it began.
    immediate = connection.get_execution_options().get(WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session: Session) -> None:
    """Make the session's transaction one that may write, after any slow work is done.

    On SQLite the write lock is taken now (BEGIN IMMEDIATE), ending a read-only
    transaction first: SQLite cannot upgrade a read transaction to a write once another
    connection has committed since it began. A transaction that writes already goes on:
    two services a view calls one after the other write in the view's one transaction.
    Other databases need nothing here.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.connection().get_execution_options().get(WRITE_OPTION):
            return
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() called with unsaved changes in the session")
        # Nothing to write yet: this only ends the read transaction (objects stay loaded).
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})


def init_app(app: Flask) -> None:
    """Create the app's engine and close each request's session at teardown."""
    engine = create_db_engine(
        app.config["DATABASE_URL"],
        int(app.config["DATABASE_POOL_SIZE"]),
        float(app.config["DATABASE_TIMEOUT"]),
    )
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

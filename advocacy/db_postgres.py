"""PostgreSQL connections that stop waiting for a server that does not answer.

statement_timeout is the server's own deadline: a server that stops answering (a stopped
process, a hung machine or disk) never enforces it, and its kernel keeps acknowledging
what is sent to it, so TCP keepalives and tcp_user_timeout do not fire either. psycopg
waits for the server in one place, Connection.wait; here every such wait (a statement, a
fetch, a commit, a ping) has a deadline. Past it the connection is closed, since nobody
knows what the server did with what it was sent, and the statement raises
OperationalError on a closed connection, which SQLAlchemy takes for a disconnection: it
drops the connection, and the request answers 503 (advocacy/web/errors.py).

Imported only for PostgreSQL engines (advocacy.db.create_db_engine).
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

import psycopg
import sqlalchemy as sa
from psycopg.abc import PQGen
from psycopg.rows import TupleRow

from advocacy.db import CONNECT_TIMEOUT, DatabasePause, time_left

RV = TypeVar("RV")

# psycopg's own interval between checks for an interrupt (Ctrl-C) while it waits.
WAIT_INTERVAL = 0.1
# libpq's shortest connect_timeout.
MIN_CONNECT_TIMEOUT = 2


class DeadlineConnection(psycopg.Connection[TupleRow]):
    """A connection whose every wait for the server ends within `answer_within` seconds."""

    answer_within: float | None = None  # set on each new connection by answer_within()
    pause: DatabasePause | None = None

    def wait(
        self, gen: PQGen[RV], interval: float = WAIT_INTERVAL, timeout: float | None = None
    ) -> RV:
        if timeout is not None or self.answer_within is None:
            # psycopg's own bounded waits (cancelling, notifications) handle their expiry.
            return super().wait(gen, interval, timeout)
        limit = self.answer_within
        left = time_left()
        shortened = left is not None and left < limit
        if left is not None and left < limit:
            limit = max(left, 0.0)
        try:
            result = super().wait(gen, interval, limit)
        except psycopg.errors._WaitTimeout:
            self.pgconn.finish()  # closed: SQLAlchemy sees a disconnection and drops it
            # A caller's shorter deadline (the health check's) is no sign of a frozen server.
            if self.pause is not None and not shortened:
                self.pause.trip()
            raise psycopg.OperationalError(
                f"the database did not answer within {limit:g} s"
            ) from None
        if self.pause is not None and self.pause.tripped:
            self.pause.clear()
        return result


def answer_within(engine: sa.Engine, seconds: float, pause: DatabasePause) -> None:
    """Make the engine's connections DeadlineConnections; connecting pauses with them."""

    def connect(_dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        pause.check()
        left = time_left()
        if left is not None:
            if left <= 0:
                raise psycopg.OperationalError("no time left to connect to the database")
            connect_timeout = int(cparams.get("connect_timeout", CONNECT_TIMEOUT))
            budget = max(MIN_CONNECT_TIMEOUT, min(connect_timeout, math.ceil(left)))
            cparams = {**cparams, "connect_timeout": budget}
        try:
            connection = DeadlineConnection.connect(*cargs, **cparams)
        except psycopg.errors.ConnectionTimeout:
            # Nothing answered: a frozen server, or a host that drops packets. (A server
            # that is down refuses at once, and costs nobody a wait.)
            if left is None:
                pause.trip()
            raise
        connection.answer_within = seconds
        connection.pause = pause
        if pause.tripped:
            pause.clear()
        return connection

    sa.event.listen(engine, "do_connect", connect)

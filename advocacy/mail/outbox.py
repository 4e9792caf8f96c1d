"""Delivering the outbox: mail written to the database with the change it is about.

A request never waits on the mail server: it adds a row to `mail_outbox` in its own
transaction (so a message exists exactly when what it tells of was committed), and a
sender delivers it later: the app process's background thread, or `advocacy mail send`
(mail.sender, which commits each step: these functions only write and flush).
Several senders may run at once. Each claims a batch by moving its rows' next attempt a
lease ahead in a short transaction, sends outside any transaction, then deletes what was
sent (the row was the last copy of the message and of its codes) and puts off what was
not, with a growing delay. A sender that dies mid-batch leaves its rows to be claimed
again when the lease ends: a message is sent at least once, rarely twice, never lost.
Messages refused for good (no such recipient) and messages older than `give_up_after`
(their codes have expired) are deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.db import begin_write
from advocacy.mail.transport import MailError
from advocacy.models import OutboxMail, as_utc

log = logging.getLogger(__name__)

OUTBOX: sa.Table = OutboxMail.__table__  # type: ignore[assignment]

BATCH = 50
# Long enough for a batch to be sent over a slow connection.
LEASE = timedelta(minutes=5)
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=1)

# Builds the messages of a batch; a row it leaves out has nothing left to send.
Compose = Callable[[Session, Sequence[OutboxMail]], dict[int, EmailMessage]]


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0  # failed this time; tried again later
    dropped: int = 0  # refused for good, expired, or about nothing that is left

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.sent + other.sent,
            self.retrying + other.retrying,
            self.dropped + other.dropped,
        )


def retry_delay(attempts: int) -> timedelta:
    """Return the wait after a message's attempts-th failure: 1, 2, 4… minutes, then hourly."""
    delay: timedelta = FIRST_DELAY * 2 ** min(max(attempts - 1, 0), 16)
    return min(delay, LONGEST_DELAY)


@dataclass(frozen=True)
class Claim:
    """The messages a sender took for a lease, and how many expired ones went first."""

    rows: list[OutboxMail]
    expired: int = 0


def claim_due(
    session: Session, *, now: datetime, give_up_after: timedelta, batch: int = BATCH
) -> Claim:
    """Drop expired mail and take up to batch due messages for a lease; the caller commits.

    The caller commits at once, so that other senders see the claim, and before it
    composes or sends: no write lock is kept meanwhile.
    """
    begin_write(session)
    expired = _rowcount(
        session.execute(sa.delete(OUTBOX).where(OUTBOX.c.created_at < now - give_up_after))
    )
    if expired:
        log.warning("dropped %d email(s) undelivered after %s", expired, give_up_after)
    return Claim(_claim(session, now, batch), expired)


def settle(
    session: Session,
    claim: Claim,
    messages: Mapping[int, EmailMessage],
    results: Sequence[MailError | None],
    *,
    now: datetime,
) -> DeliveryReport:
    """Record what became of a claimed batch; the caller commits.

    messages are the claimed rows' composed messages (a row left out had nothing to
    send); results, one per message sent, in the claim's order. What went, what was
    refused for good and what had nothing to send is deleted; what failed is put off.
    """
    ready = [row for row in claim.rows if row.id in messages]
    sent = [row.id for row, error in zip(ready, results, strict=True) if error is None]
    refused = [
        row.id
        for row, error in zip(ready, results, strict=True)
        if error is not None and error.permanent
    ]
    failed = [
        (row, error)
        for row, error in zip(ready, results, strict=True)
        if error is not None and not error.permanent
    ]
    nothing = [row.id for row in claim.rows if row.id not in messages]

    begin_write(session)
    done = sent + refused + nothing
    if done:
        session.execute(sa.delete(OUTBOX).where(OUTBOX.c.id.in_(done)))
    for row, error in failed:
        session.execute(
            sa.update(OUTBOX)
            .where(OUTBOX.c.id == row.id)
            .values(next_attempt_at=now + retry_delay(row.attempts), last_error=error.reason[:200])
        )
    if refused:
        log.warning("%d email(s) refused for good by the mail server, dropped", len(refused))
    if failed:
        log.warning(
            "%d email(s) not sent (%s); trying again later", len(failed), failed[0][1].reason
        )
    return DeliveryReport(len(sent), len(failed), claim.expired + len(refused) + len(nothing))


@dataclass(frozen=True)
class OutboxStatus:
    waiting: int
    oldest: datetime | None  # when the oldest waiting message was written
    last_error: str


def status(session: Session) -> OutboxStatus:
    """Say how much mail waits, since when, and why the last failure failed."""
    waiting, oldest = session.execute(
        sa.select(sa.func.count(), sa.func.min(OUTBOX.c.created_at))
    ).one()
    last_error = session.scalar(
        sa.select(OUTBOX.c.last_error)
        .where(OUTBOX.c.last_error != "")
        .order_by(OUTBOX.c.next_attempt_at.desc())
        .limit(1)
    )
    return OutboxStatus(int(waiting), as_utc(oldest) if oldest else None, last_error or "")


def _claim(session: Session, now: datetime, batch: int) -> list[OutboxMail]:
    """Take up to batch due messages for this sender, for the length of a lease."""
    due = (
        sa.select(OUTBOX.c.id)
        .where(OUTBOX.c.next_attempt_at <= now)
        .order_by(OUTBOX.c.next_attempt_at, OUTBOX.c.id)
        .limit(batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.scalars(due))
    if not ids:
        return []
    # Checked again in the UPDATE: a sender that claimed a row meanwhile moved it on.
    claimed = list(
        session.scalars(
            sa.update(OUTBOX)
            .where(OUTBOX.c.id.in_(ids), OUTBOX.c.next_attempt_at <= now)
            .values(next_attempt_at=now + LEASE, attempts=OUTBOX.c.attempts + 1)
            .returning(OUTBOX.c.id)
        )
    )
    return list(
        session.scalars(
            sa.select(OutboxMail)
            .where(OutboxMail.id.in_(claimed))
            .order_by(OutboxMail.id)
            .execution_options(populate_existing=True)
        )
    )


def _rowcount(result: sa.Result[object]) -> int:
    return int(getattr(result, "rowcount", 0) or 0)

"""A campaign's counts, kept with every pledge: its counter, and its tallies by day, seat
and partner.

They count confirmed pledges only (advocacy/pledges/confirmation.py): a pledge nobody has
confirmed from its mailbox is in no number anyone sees. The public count reads a handful
of rows and the organizers' dashboard a few hundred, however many pledges there are. They
are kept in the same transaction as every change to what they count: a confirmation
(`add`), a withdrawal of a confirmed pledge (`add` with -1), a district found later for a
confirmed pledge (`move_seat`). `recount` rebuilds them from the pledges themselves.

Every row is kept in shares (slots) summed when read: on PostgreSQL each connection adds
to the slot of its server process, so concurrent pledges do not queue on one row's lock
while each waits for its commit to reach the disk. SQLite has one writer at a time and
uses slot 0.

Rows are updated in one order, the counter, then day, seat and partner, so that two
transactions never wait on each other's rows in a circle; and a transaction that changes a
pledge locks the pledge's row before any of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from advocacy.models import (
    DayTally,
    Pledge,
    PledgeCounter,
    RefTally,
    SeatTally,
    as_utc,
    pledge_counted,
    utcnow,
)

# "Not known", as the tallies store it: their keys cannot be NULL (see advocacy/models/pledges.py).
NO_STATE = ""
NO_DISTRICT = -1
NO_CONGRESS = 0

# Shares per row: more than the connections that write at once (two workers' pools).
SLOTS = 16
# The slot of the connection running a statement, on PostgreSQL.
POSTGRESQL_SLOT = f"pg_backend_pid() % {SLOTS}"

COUNTERS: sa.Table = PledgeCounter.__table__  # type: ignore[assignment]
DAYS: sa.Table = DayTally.__table__  # type: ignore[assignment]
SEATS: sa.Table = SeatTally.__table__  # type: ignore[assignment]
REFS: sa.Table = RefTally.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Seat:
    """Where a pledge counts: its state and district, on the map of its Congress."""

    state: str | None
    district: int | None
    congress: int | None

    def stored(self) -> tuple[str, int, int]:
        """The seat as the tallies keep it, with "not known" spelled as they spell it."""
        district = NO_DISTRICT if self.district is None else self.district
        return (self.state or NO_STATE, district, self.congress or NO_CONGRESS)

    def key(self) -> dict[str, object]:
        return dict(zip(("state", "district", "congress"), self.stored(), strict=True))


@dataclass(frozen=True)
class Counted:
    """What the counts count of one pledge."""

    campaign_id: int
    counted_at: datetime  # when it was confirmed: the day it counts on
    consent: bool
    seat: Seat
    ref: str

    @property
    def day(self) -> date:
        return as_utc(self.counted_at).date()


def add(session: Session, pledge: Counted, change: int = 1) -> None:
    """Count a pledge in (change 1) or out (change -1): the counter, its day, seat, partner."""
    campaign = {"campaign_id": pledge.campaign_id}
    _bump(session, COUNTERS, campaign, {"pledges": change}, latest={"updated_at": utcnow()})
    day = {"pledges": change, "consented": change if pledge.consent else 0}
    _bump(session, DAYS, {**campaign, "day": pledge.day}, day)
    _bump(session, SEATS, {**campaign, **pledge.seat.key()}, {"pledges": change})
    _bump(session, REFS, {**campaign, "ref": pledge.ref}, {"pledges": change})


def move_seat(session: Session, campaign_id: int, old: Seat, new: Seat) -> None:
    """Count a pledge under its new seat rather than its old one."""
    if old.stored() == new.stored():
        return
    # Rows in key order: two supporters moving between the same two seats in opposite
    # directions at once must not each hold the row the other waits for.
    for seat, change in sorted([(old, -1), (new, 1)], key=lambda item: item[0].stored()):
        _bump(session, SEATS, {"campaign_id": campaign_id, **seat.key()}, {"pledges": change})


def _bump(
    session: Session,
    table: sa.Table,
    key: Mapping[str, object],
    counts: Mapping[str, int],
    latest: Mapping[str, object] | None = None,
) -> None:
    """Add counts to this connection's slot of the row with key, making the row if new.

    latest (the counter's updated_at) is set rather than added.
    """
    latest = latest or {}
    slot: sa.ColumnElement[int]
    if session.get_bind().dialect.name == "postgresql":
        slot = sa.literal_column(POSTGRESQL_SLOT)
        statement: postgresql.Insert | sqlite.Insert = postgresql.insert(table)
    else:
        slot = sa.literal_column("0")
        statement = sqlite.insert(table)
    statement = statement.values(**key, slot=slot, **counts, **latest)
    updates: dict[str, object] = {name: table.c[name] + change for name, change in counts.items()}
    updates.update({name: statement.excluded[name] for name in latest})
    session.execute(statement.on_conflict_do_update(index_elements=[*key, "slot"], set_=updates))


def utc_day(session: Session) -> sa.ColumnElement[object]:
    """The UTC calendar day a pledge counts on (its confirmation), as each database spells it."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("UTC", Pledge.confirmed_at), sa.Date)
    # SQLite keeps the UTC time as text ("2026-11-23 21:30:00.000000").
    return sa.func.substr(Pledge.confirmed_at, 1, 10)


def recount(session: Session, campaign_id: int) -> int:
    """Rebuild the campaign's counter and tallies from its confirmed pledges; return the count.

    For a bulk load, or after pledges were changed outside the app. Call inside a
    writing transaction; the caller commits.
    """
    mine = sa.and_(Pledge.campaign_id == campaign_id, pledge_counted())
    for table in (COUNTERS, DAYS, SEATS, REFS):
        session.execute(sa.delete(table).where(table.c.campaign_id == campaign_id))
    total = session.execute(
        sa.select(sa.func.count()).select_from(Pledge).where(mine)
    ).scalar_one()
    session.execute(
        sa.insert(COUNTERS).values(
            campaign_id=campaign_id, slot=0, pledges=total, updated_at=utcnow()
        )
    )
    day = utc_day(session)
    consented = sa.func.sum(sa.case((Pledge.consent.is_(True), 1), else_=0))
    # Each tally's key columns, then its counts after the number of pledges.
    counts: dict[sa.Table, tuple[list[Any], list[Any]]] = {
        DAYS: ([day], [consented]),
        SEATS: (
            [
                sa.func.coalesce(Pledge.state, NO_STATE),
                sa.func.coalesce(Pledge.district, NO_DISTRICT),
                sa.func.coalesce(Pledge.congress, NO_CONGRESS),
            ],
            [],
        ),
        REFS: ([Pledge.ref], []),
    }
    for table, (keys, more) in counts.items():
        names = [column.name for column in table.columns]
        session.execute(
            sa.insert(table).from_select(
                names,
                sa.select(Pledge.campaign_id, *keys, sa.literal(0), sa.func.count(), *more)
                .where(mine)
                .group_by(Pledge.campaign_id, *keys),
            )
        )
    return int(total)

"""The pledge tallies: a campaign's pledges counted by day, by seat and by partner.

The organizers' dashboard reads these few hundred rows instead of counting a campaign's
pledges, so it costs the same at a thousand pledges as at a million. They are kept in
the same transaction as every change to what they count: a new pledge (`add`), a
withdrawal (`add` with -1), a district found later (`move_seat`). `recount` rebuilds
them, and the campaign's counter, from the pledges themselves.

Rows are updated in one order, day, then seat, then partner, after the campaign's
counter row, so that two transactions never wait on each other's rows in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from advocacy.models import Campaign, DayTally, Pledge, RefTally, SeatTally, as_utc

# "Not known", as the tallies store it: their keys cannot be NULL (see models.py).
NO_STATE = ""
NO_DISTRICT = -1
NO_CONGRESS = 0

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
    """What the tallies count of one pledge."""

    campaign_id: int
    created_at: datetime
    consent: bool
    seat: Seat
    ref: str

    @property
    def day(self) -> date:
        return as_utc(self.created_at).date()


def add(session: Session, pledge: Counted, change: int = 1) -> None:
    """Count a pledge in (change 1) or out (change -1) of its day, seat and partner."""
    campaign = {"campaign_id": pledge.campaign_id}
    consented = change if pledge.consent else 0
    _bump(session, DAYS, {**campaign, "day": pledge.day}, change, consented=consented)
    _bump(session, SEATS, {**campaign, **pledge.seat.key()}, change)
    _bump(session, REFS, {**campaign, "ref": pledge.ref}, change)


def move_seat(session: Session, campaign_id: int, old: Seat, new: Seat) -> None:
    """Count a pledge under its new seat rather than its old one."""
    if old.stored() == new.stored():
        return
    # Rows in key order: two supporters moving between the same two seats in opposite
    # directions at once must not each hold the row the other waits for.
    for seat, change in sorted([(old, -1), (new, 1)], key=lambda item: item[0].stored()):
        _bump(session, SEATS, {"campaign_id": campaign_id, **seat.key()}, change)


def _bump(
    session: Session, table: sa.Table, key: dict[str, object], change: int, **more: int
) -> None:
    """Add change to the row's pledges (and any other counts given), making the row if new."""
    counts = {"pledges": change, **more}
    insert = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = insert(table).values(**key, **counts)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=list(key),
            set_={name: table.c[name] + statement.excluded[name] for name in counts},
        )
    )


def utc_day(session: Session) -> sa.ColumnElement[object]:
    """The UTC calendar day of a pledge, as each database spells it."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("UTC", Pledge.created_at), sa.Date)
    # SQLite keeps the UTC time as text ("2026-11-23 21:30:00.000000").
    return sa.func.substr(Pledge.created_at, 1, 10)


def recount(session: Session, campaign_id: int) -> int:
    """Rebuild the campaign's tallies and its counter from its pledges; return the count.

    For a bulk load, or after pledges were changed outside the app. Call inside a
    writing transaction; the caller commits.
    """
    mine = Pledge.campaign_id == campaign_id
    for table in (DAYS, SEATS, REFS):
        session.execute(sa.delete(table).where(table.c.campaign_id == campaign_id))
    day = utc_day(session)
    consented = sa.func.sum(sa.case((Pledge.consent.is_(True), 1), else_=0))
    session.execute(
        sa.insert(DAYS).from_select(
            ["campaign_id", "day", "pledges", "consented"],
            sa.select(Pledge.campaign_id, day, sa.func.count(), consented)
            .where(mine)
            .group_by(Pledge.campaign_id, day),
        )
    )
    state = sa.func.coalesce(Pledge.state, NO_STATE)
    district = sa.func.coalesce(Pledge.district, NO_DISTRICT)
    congress = sa.func.coalesce(Pledge.congress, NO_CONGRESS)
    session.execute(
        sa.insert(SEATS).from_select(
            ["campaign_id", "state", "district", "congress", "pledges"],
            sa.select(Pledge.campaign_id, state, district, congress, sa.func.count())
            .where(mine)
            .group_by(Pledge.campaign_id, state, district, congress),
        )
    )
    session.execute(
        sa.insert(REFS).from_select(
            ["campaign_id", "ref", "pledges"],
            sa.select(Pledge.campaign_id, Pledge.ref, sa.func.count())
            .where(mine)
            .group_by(Pledge.campaign_id, Pledge.ref),
        )
    )
    total = session.execute(
        sa.select(sa.func.count()).select_from(Pledge).where(mine)
    ).scalar_one()
    session.execute(
        sa.update(Campaign).where(Campaign.id == campaign_id).values(pledge_count=total)
    )
    return int(total)

"""A campaign's numbers for its organizers.

The counts come from the pledge tallies (advocacy/pledges/tallies.py): a few hundred rows
per campaign, however many pledges it has, and only confirmed pledges in them. Only the
cities of a state or district, for the lobby packets, read its pledges, the confirmed
ones; their quotes come from the words supporters agreed to have quoted (pledge_quotes,
kept apart from the pledges). Days are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.congress.maps import MapTable
from advocacy.models import DayTally, Pledge, PledgeQuote, RefTally, SeatTally, pledge_counted
from advocacy.pledges.tallies import NO_CONGRESS, NO_DISTRICT, NO_STATE

# How many Congresses back a pledge's district is still matched to the sitting map.
MAP_GENERATIONS = 3


@dataclass(frozen=True)
class Totals:
    total: int
    consented: int
    today: int
    last_7_days: int


def totals(session: Session, campaign_id: int, today: date | None = None) -> Totals:
    """Count all pledges, those that agreed to be contacted, today's and the last 7 days'."""
    today = today or datetime.now(UTC).date()
    week = today - timedelta(days=6)

    def pledges_since(day: date) -> sa.ColumnElement[int]:
        return sa.func.coalesce(
            sa.func.sum(sa.case((DayTally.day >= day, DayTally.pledges), else_=0)), 0
        )

    row = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(DayTally.pledges), 0),
            sa.func.coalesce(sa.func.sum(DayTally.consented), 0),
            pledges_since(today),
            pledges_since(week),
        ).where(DayTally.campaign_id == campaign_id)
    ).one()
    return Totals(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def per_day(session: Session, campaign_id: int) -> dict[date, int]:
    """Return the number of pledges on each UTC day that has any."""
    count = sa.func.sum(DayTally.pledges)
    rows = session.execute(
        sa.select(DayTally.day, count)
        .where(DayTally.campaign_id == campaign_id)
        .group_by(DayTally.day)
        .having(count > 0)
        .order_by(DayTally.day)
    )
    return {day: int(n) for day, n in rows}


def daily_series(counts: dict[date, int], start: date, end: date) -> list[tuple[date, int]]:
    """Every day from start to end inclusive, with zero for days without pledges."""
    # A clock set before the launch (a rehearsal) still gives at least one day.
    start = min(start, end)
    if counts:
        start = min(start, min(counts))
    days = (end - start).days
    return [(start + timedelta(d), counts.get(start + timedelta(d), 0)) for d in range(days + 1)]


def by_state(session: Session, campaign_id: int) -> list[tuple[str, int]]:
    """Return (state, count) by count, largest first; "" for pledges with no state known."""
    count = sa.func.sum(SeatTally.pledges).label("n")
    rows = session.execute(
        sa.select(SeatTally.state, count)
        .where(SeatTally.campaign_id == campaign_id)
        .group_by(SeatTally.state)
        .having(count > 0)
        .order_by(count.desc(), SeatTally.state)
    )
    return [(state, int(n)) for state, n in rows]


@dataclass(frozen=True)
class SittingMap:
    """Which recorded districts are districts of the sitting Congress's map.

    A district recorded under an earlier Congress still is, unless the state's map changed
    in between: "TX-37" of the 119th is not the 120th's TX-37. A pledge recorded before
    pledges kept their Congress (none) is taken to be on the sitting map.
    """

    sitting: int
    maps: MapTable

    def changed_since(self, congress: int) -> frozenset[str]:
        """The states whose map changed between that Congress and the sitting one."""
        return frozenset(
            c.state
            for c in self.maps.changes
            if self.maps.changed_between(c.state, congress, self.sitting)
        )

    def holds(self, state: str, congress: int | None) -> bool:
        """Tell whether a district of that state, recorded under that Congress, is on the map."""
        if congress is None or congress == self.sitting:
            return True
        if not self.sitting - MAP_GENERATIONS <= congress < self.sitting:
            return False
        return state not in self.changed_since(congress)

    def condition(
        self, table: type[Pledge] | type[PledgeQuote] = Pledge
    ) -> sa.ColumnElement[bool]:
        """The same rule as holds(), as a condition on pledges (or quotes)."""
        conditions: list[sa.ColumnElement[bool]] = [
            table.congress.is_(None),
            table.congress == self.sitting,
        ]
        for congress in range(self.sitting - MAP_GENERATIONS, self.sitting):
            changed = sorted(self.changed_since(congress))
            same_map = table.state.not_in(changed) if changed else sa.true()
            conditions.append(sa.and_(table.congress == congress, same_map))
        return sa.or_(*conditions)


def by_district(
    session: Session, campaign_id: int, on_map: SittingMap | None = None
) -> dict[tuple[str, int | None], int]:
    """Return the count per (state, district); district None when only the state is known.

    With on_map, a district that is not on the sitting map counts as not known.
    """
    count = sa.func.sum(SeatTally.pledges)
    rows = session.execute(
        sa.select(SeatTally.state, SeatTally.district, SeatTally.congress, count)
        .where(SeatTally.campaign_id == campaign_id, SeatTally.state != NO_STATE)
        .group_by(SeatTally.state, SeatTally.district, SeatTally.congress)
    )
    counts: dict[tuple[str, int | None], int] = {}
    for state, district, congress, n in rows:
        known = None if congress == NO_CONGRESS else congress
        on = district != NO_DISTRICT and (on_map is None or on_map.holds(state, known))
        key = (state, district if on else None)
        counts[key] = counts.get(key, 0) + int(n)
    return {key: n for key, n in counts.items() if n > 0}


def by_ref(session: Session, campaign_id: int) -> list[tuple[str, int]]:
    """Return (partner ref, count), largest first; "" for pledges that came directly."""
    count = sa.func.sum(RefTally.pledges).label("n")
    rows = session.execute(
        sa.select(RefTally.ref, count)
        .where(RefTally.campaign_id == campaign_id)
        .group_by(RefTally.ref)
        .having(count > 0)
        .order_by(count.desc(), RefTally.ref)
    )
    return [(ref, int(n)) for ref, n in rows]


def district_cities(
    session: Session,
    campaign_id: int,
    state: str,
    district: int,
    on_map: SittingMap | None = None,
) -> list[tuple[str, int]]:
    """Return the distinct cities the district's supporters gave, with counts."""
    count = sa.func.count().label("n")
    rows = session.execute(
        sa.select(Pledge.city, count)
        .where(
            Pledge.campaign_id == campaign_id,
            pledge_counted(),  # only confirmed pledges are supporters
            Pledge.state == state,
            Pledge.district == district,
            Pledge.city != "",
            _condition(on_map),
        )
        .group_by(Pledge.city)
        .order_by(count.desc(), Pledge.city)
    )
    return [(city, int(n)) for city, n in rows]


def _condition(on_map: SittingMap | None) -> sa.ColumnElement[bool]:
    return sa.true() if on_map is None else on_map.condition()


def state_cities(session: Session, campaign_id: int, state: str) -> list[tuple[str, int]]:
    """Return the distinct cities the state's supporters gave, with counts, any district."""
    count = sa.func.count().label("n")
    rows = session.execute(
        sa.select(Pledge.city, count)
        .where(
            Pledge.campaign_id == campaign_id,
            pledge_counted(),  # only confirmed pledges are supporters
            Pledge.state == state,
            Pledge.city != "",
        )
        .group_by(Pledge.city)
        .order_by(count.desc(), Pledge.city)
    )
    return [(city, int(n)) for city, n in rows]


@dataclass(frozen=True)
class Note:
    """A supporter's own words, which they agreed to have quoted, with the places they
    count in."""

    text: str
    city: str
    district: int | None  # on the sitting map; None when not known there


def consented_notes(
    session: Session,
    campaign_id: int,
    state: str,
    on_map: SittingMap,
    district: int | None = None,
    limit: int = 200,
) -> list[Note]:
    """Return the latest words the state's (or one district's) supporters agreed to have
    quoted (the pledge form's `quote`)."""
    conditions = [PledgeQuote.campaign_id == campaign_id, PledgeQuote.state == state]
    if district is not None:
        conditions += [PledgeQuote.district == district, on_map.condition(PledgeQuote)]
    rows = session.execute(
        sa.select(PledgeQuote.text, PledgeQuote.city, PledgeQuote.district, PledgeQuote.congress)
        .where(*conditions)
        .order_by(PledgeQuote.created_on.desc(), PledgeQuote.id.desc())
        .limit(limit)
    )
    return [
        Note(note, city, seat if seat is not None and on_map.holds(state, congress) else None)
        for note, city, seat, congress in rows
    ]

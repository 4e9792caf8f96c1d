"""A campaign's numbers for its organizers: GROUP BY queries on the pledges' indexes.

Each function takes a session and a campaign id and returns plain values. Days are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.models import Pledge
from advocacy.representatives.maps import MapTable

# How many Congresses back a pledge's district is still matched to the sitting map.
MAP_GENERATIONS = 3
# No condition on the map a pledge's district is on.
ANY_MAP: sa.ColumnElement[bool] = sa.true()


@dataclass(frozen=True)
class Totals:
    total: int
    consented: int
    today: int
    last_7_days: int


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def totals(session: Session, campaign_id: int, today: date | None = None) -> Totals:
    """Count all pledges, those that agreed to be contacted, today's and the last 7 days'."""
    today = today or datetime.now(UTC).date()
    start_today = _day_start(today)
    start_week = _day_start(today - timedelta(days=6))
    row = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((Pledge.consent.is_(True), 1), else_=0)), 0),
            sa.func.coalesce(
                sa.func.sum(sa.case((Pledge.created_at >= start_today, 1), else_=0)), 0
            ),
            sa.func.coalesce(
                sa.func.sum(sa.case((Pledge.created_at >= start_week, 1), else_=0)), 0
            ),
        ).where(Pledge.campaign_id == campaign_id)
    ).one()
    return Totals(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def _utc_day(session: Session) -> sa.ColumnElement[object]:
    """The UTC calendar day of a pledge, as each database spells it."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("UTC", Pledge.created_at), sa.Date)
    # SQLite keeps the UTC time as text ("2026-11-23 21:30:00.000000").
    return sa.func.substr(Pledge.created_at, 1, 10)


def per_day(session: Session, campaign_id: int) -> dict[date, int]:
    """Return the number of pledges on each UTC day that has any."""
    day = _utc_day(session).label("day")
    rows = session.execute(
        sa.select(day, sa.func.count())
        .where(Pledge.campaign_id == campaign_id)
        .group_by(day)
        .order_by(day)
    )
    counts: dict[date, int] = {}
    for value, count in rows:
        key = value if isinstance(value, date) else date.fromisoformat(str(value))
        counts[key] = int(count)
    return counts


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
    count = sa.func.count().label("n")
    rows = session.execute(
        sa.select(Pledge.state, count)
        .where(Pledge.campaign_id == campaign_id)
        .group_by(Pledge.state)
        .order_by(count.desc(), Pledge.state)
    )
    return [(state or "", int(n)) for state, n in rows]


def on_sitting_map(sitting: int, maps: MapTable) -> sa.ColumnElement[bool]:
    """Tell whether a pledge's district is a district of the sitting Congress's map.

    A district recorded under an earlier Congress still is, unless the state's map changed
    in between: "TX-37" of the 119th is not the 120th's TX-37.
    """
    conditions: list[sa.ColumnElement[bool]] = [
        Pledge.congress.is_(None),
        Pledge.congress == sitting,
    ]
    for congress in range(sitting - MAP_GENERATIONS, sitting):
        changed = sorted(
            {c.state for c in maps.changes if maps.changed_between(c.state, congress, sitting)}
        )
        same_map = Pledge.state.not_in(changed) if changed else sa.true()
        conditions.append(sa.and_(Pledge.congress == congress, same_map))
    return sa.or_(*conditions)


def by_district(
    session: Session, campaign_id: int, on_map: sa.ColumnElement[bool] | None = None
) -> dict[tuple[str, int | None], int]:
    """Return the count per (state, district); district None when only the state is known.

    With on_map, a district that is not on the sitting map counts as not known.
    """
    district = (
        Pledge.district if on_map is None else sa.case((on_map, Pledge.district), else_=None)
    ).label("district")
    rows = session.execute(
        sa.select(Pledge.state, district, sa.func.count())
        .where(Pledge.campaign_id == campaign_id, Pledge.state.is_not(None))
        .group_by(Pledge.state, district)
    )
    return {(str(state), district): int(n) for state, district, n in rows}


def by_ref(session: Session, campaign_id: int) -> list[tuple[str, int]]:
    """Return (partner ref, count), largest first; "" for pledges that came directly."""
    count = sa.func.count().label("n")
    rows = session.execute(
        sa.select(Pledge.ref, count)
        .where(Pledge.campaign_id == campaign_id)
        .group_by(Pledge.ref)
        .order_by(count.desc(), Pledge.ref)
    )
    return [(ref, int(n)) for ref, n in rows]


def district_cities(
    session: Session,
    campaign_id: int,
    state: str,
    district: int,
    on_map: sa.ColumnElement[bool] = ANY_MAP,
) -> list[tuple[str, int]]:
    """Return the distinct cities the district's supporters gave, with counts."""
    count = sa.func.count().label("n")
    rows = session.execute(
        sa.select(Pledge.city, count)
        .where(
            Pledge.campaign_id == campaign_id,
            Pledge.state == state,
            Pledge.district == district,
            Pledge.city != "",
            on_map,
        )
        .group_by(Pledge.city)
        .order_by(count.desc(), Pledge.city)
    )
    return [(city, int(n)) for city, n in rows]


def district_notes(
    session: Session,
    campaign_id: int,
    state: str,
    district: int,
    limit: int = 5,
    on_map: sa.ColumnElement[bool] = ANY_MAP,
) -> list[str]:
    """Return the latest notes of the district's supporters who agreed to be contacted."""
    rows = session.scalars(
        sa.select(Pledge.note)
        .where(
            Pledge.campaign_id == campaign_id,
            Pledge.state == state,
            Pledge.district == district,
            Pledge.consent.is_(True),
            Pledge.note != "",
            on_map,
        )
        .order_by(Pledge.created_at.desc(), Pledge.id.desc())
        .limit(limit)
    )
    return list(rows)


def shorten(text: str, limit: int = 280) -> str:
    """Return text cut at a word boundary to at most limit characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # do not end in the middle of a word
    return cut.rstrip(" ,.;:") + "…"

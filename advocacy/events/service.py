"""Storing and finding events, and counting their pledges.

A service in the app's sense (docs/architecture.md, *Transactions*): it adds and flushes;
the caller commits. An event's pledges are those with its ref, "event-<code>", counted
(once confirmed) by the ref tallies like a partner's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.db import begin_write
from advocacy.events.schedule import event_ref, new_code, normalize_code
from advocacy.models import Event, RefTally

# Tries at a code not yet taken; with 729 million codes, a second try is already rare.
CODE_TRIES = 20


@dataclass(frozen=True)
class NewEvent:
    """An event as an organizer described it, times already in UTC."""

    name: str
    place: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str


def create_event(
    session: Session, campaign_id: int, new: NewEvent, organizer_id: int | None
) -> Event:
    """Add the event with a fresh short code; not committed."""
    begin_write(session)
    for _ in range(CODE_TRIES):
        code = new_code()
        if session.scalar(sa.select(Event.id).where(Event.code == code)) is None:
            break
    else:  # pragma: no cover - 20 collisions in a row do not happen
        raise RuntimeError("no free event code")
    event = Event(
        campaign_id=campaign_id,
        code=code,
        name=new.name,
        place=new.place,
        starts_at=new.starts_at,
        ends_at=new.ends_at,
        time_zone=new.time_zone,
        created_by=organizer_id,
    )
    session.add(event)
    session.flush()
    return event


def find_event(session: Session, text: str) -> Event | None:
    """Return the event whose code this is (typed in any case), or None."""
    code = normalize_code(text)
    if code is None:
        return None
    return session.scalar(sa.select(Event).where(Event.code == code))


def events_of(session: Session, campaign_id: int) -> list[Event]:
    """Return a campaign's events, the latest to start first."""
    return list(
        session.scalars(
            sa.select(Event)
            .where(Event.campaign_id == campaign_id)
            .order_by(Event.starts_at.desc(), Event.id.desc())
        )
    )


def pledge_counts(session: Session, campaign_id: int, events: Iterable[Event]) -> dict[str, int]:
    """Return each event's confirmed pledges by its code (0 for none yet)."""
    refs = {event_ref(event.code): event.code for event in events}
    counts = dict.fromkeys(refs.values(), 0)
    if not refs:
        return counts
    rows = session.execute(
        sa.select(RefTally.ref, sa.func.sum(RefTally.pledges))
        .where(RefTally.campaign_id == campaign_id, RefTally.ref.in_(list(refs)))
        .group_by(RefTally.ref)
    )
    for ref, pledges in rows:
        counts[refs[ref]] = int(pledges or 0)
    return counts

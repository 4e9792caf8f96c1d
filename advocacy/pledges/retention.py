"""Keeping as little personal data as the work needs: clear what the counts do not use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.models import GeocodeCacheEntry, Pledge, SupporterVisit


@dataclass(frozen=True)
class PurgeReport:
    pledges_cleared: int
    visits_deleted: int
    addresses_forgotten: int


def purge(session: Session, older_than: timedelta, now: datetime) -> PurgeReport:
    """Clear the city, ZIP code and note of pledges older than the retention period.

    The pledge itself, its state and district (what the counts and the lobby reports
    use), its consent and its partner stay. Expired results-page visits and geocoded
    addresses go too. The caller commits.
    """
    cutoff = now - older_than
    cleared = _count(
        session,
        sa.update(Pledge)
        .where(Pledge.created_at < cutoff)
        .where(sa.or_(Pledge.city != "", Pledge.zip != "", Pledge.note != ""))
        .values(city="", zip="", note=""),
    )
    visits = _count(session, sa.delete(SupporterVisit).where(SupporterVisit.expires_at < now))
    geocodes = _count(
        session, sa.delete(GeocodeCacheEntry).where(GeocodeCacheEntry.expires_at < now)
    )
    return PurgeReport(cleared, visits, geocodes)


def _count(session: Session, statement: sa.Update | sa.Delete) -> int:
    """Run an UPDATE or DELETE and return how many rows it touched."""
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)

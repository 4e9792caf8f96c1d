"""Keeping as little personal data as the work needs: clear what the counts do not use,
and delete pledges nobody confirmed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.models import MailBudget, Pledge, PledgeKey, PledgeQuote, SupporterVisit


@dataclass(frozen=True)
class PurgeReport:
    pledges_cleared: int
    visits_deleted: int
    unconfirmed_deleted: int = 0
    quotes_deleted: int = 0


def purge(
    session: Session, older_than: timedelta, now: datetime, unconfirmed_for: timedelta
) -> PurgeReport:
    """Clear the city and ZIP code of pledges older than the retention period, delete the
    quotes kept that long, and delete the pledges nobody confirmed in time.

    A confirmed pledge itself, its state and district (what the counts and the lobby
    reports use), its consent and its partner stay. An unconfirmed pledge goes, with its
    codes and unsent mail, once it and its latest confirmation code are older than
    unconfirmed_for (a repeat of the form mails a new code). Expired results-page
    visits and past days' mail budgets go too. The caller commits.
    """
    expired = now - unconfirmed_for
    fresh_code = (
        sa.select(PledgeKey.pledge_id)
        .where(
            PledgeKey.pledge_id == Pledge.id,
            PledgeKey.purpose == "confirm",
            PledgeKey.created_at >= expired,
        )
        .exists()
    )
    unconfirmed = _count(
        session,
        sa.delete(Pledge)
        .where(Pledge.confirmed_at.is_(None), Pledge.created_at < expired, ~fresh_code)
        .execution_options(synchronize_session=False),
    )
    cutoff = now - older_than
    cleared = _count(
        session,
        sa.update(Pledge)
        .where(Pledge.created_at < cutoff)
        .where(sa.or_(Pledge.city != "", Pledge.zip != ""))
        .values(city="", zip=""),
    )
    # A quote keeps only its day: it goes the day after its pledge's city would have.
    quotes = _count(session, sa.delete(PledgeQuote).where(PledgeQuote.created_on < cutoff.date()))
    visits = _count(session, sa.delete(SupporterVisit).where(SupporterVisit.expires_at < now))
    _count(session, sa.delete(MailBudget).where(MailBudget.day < now.date()))
    return PurgeReport(cleared, visits, unconfirmed, quotes)


def _count(session: Session, statement: sa.Update | sa.Delete) -> int:
    """Run an UPDATE or DELETE and return how many rows it touched."""
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)

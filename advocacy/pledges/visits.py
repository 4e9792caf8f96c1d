"""The supporter's results page state, kept in the database for a few days."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.letters.drafting import Supporter
from advocacy.models import Campaign, SupporterVisit, as_utc
from advocacy.representatives.inputs import Address

# Long enough to come back to the letters the next day; short for personal data.
VISIT_LIFETIME = timedelta(days=3)


def start_visit(
    session: Session,
    campaign_id: int,
    *,
    pledge_id: int,
    pledge_created: bool,
    name: str,
    address: Address,
    state: str,
    note: str,
    lookup: dict[str, Any],
) -> str:
    """Add what the supporter typed (the caller commits); return the id for their session."""
    now = datetime.now(UTC)
    # Expired visits go as new ones arrive, so no separate clean-up job is needed.
    session.execute(sa.delete(SupporterVisit).where(SupporterVisit.expires_at < now))
    visit = SupporterVisit(
        id=secrets.token_urlsafe(32),
        campaign_id=campaign_id,
        pledge_id=pledge_id,
        pledge_created=pledge_created,
        name=name,
        street=address.street,
        city=address.city,
        state=state,
        zip=address.zip5,
        note=note,
        lookup=lookup,
        expires_at=now + VISIT_LIFETIME,
    )
    session.add(visit)
    return visit.id


def find_visit(session: Session, campaign: Campaign, visit_id: object) -> SupporterVisit | None:
    """Return the unexpired visit with this id for this campaign, if any."""
    if not isinstance(visit_id, str) or not visit_id:
        return None
    visit = session.get(SupporterVisit, visit_id)
    if visit is None or visit.campaign_id != campaign.id:
        return None
    return visit if as_utc(visit.expires_at) > datetime.now(UTC) else None


def supporter_of(visit: SupporterVisit) -> Supporter:
    """Return the person signing the visit's letters."""
    return Supporter(name=visit.name, city=visit.city, state=visit.state, note=visit.note)


def address_of(visit: SupporterVisit) -> Address:
    """Return the address the supporter typed, to look them up again."""
    return Address(street=visit.street, city=visit.city, state=visit.state, zip5=visit.zip)

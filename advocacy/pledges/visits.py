"""The supporter's results page state, kept in the database for a few days."""

from __future__ import annotations

import secrets
import string
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
    lifetime: timedelta = VISIT_LIFETIME,
) -> str:
    """Add what the supporter typed (the caller commits); return the id for their session.

    lifetime: how long the page is kept; a visit started in the partner widget is kept
    only until its handoff expires, unless handed over (pledges.handoff).
    """
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
        expires_at=now + lifetime,
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
    """Return the person signing the visit's letters, closing with their address.

    The city as typed, else the one the Census matched a typed street to. The ZIP code
    tables name no places, so a supporter who gave a ZIP code alone closes with their
    state and ZIP code ("WA 98101").
    """
    return Supporter(
        name=visit.name,
        city=visit.city or _matched_city(visit.lookup),
        state=visit.state,
        note=visit.note,
        zip=visit.zip,
        street=visit.street,
    )


def _matched_city(lookup: dict[str, Any]) -> str:
    # The Census writes "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500".
    parts = [part.strip() for part in str(lookup.get("matched_address") or "").split(",")]
    if len(parts) < 4 or not parts[-3]:
        return ""
    return string.capwords(parts[-3])


def address_of(visit: SupporterVisit) -> Address:
    """Return the address the supporter typed, to look them up again."""
    return Address(street=visit.street, city=visit.city, state=visit.state, zip5=visit.zip)

"""Recording a pledge: one per person per campaign, counted in the same transaction.

The functions add and flush; the view commits once, at the edge of the request.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from advocacy.models import Campaign, Pledge, utcnow
from advocacy.pledges.withdrawal import new_withdraw_token, withdraw_key
from advocacy.representatives.lookup import Address, Lookup

PLEDGES: sa.Table = Pledge.metadata.tables[Pledge.__tablename__]
CAMPAIGNS: sa.Table = Campaign.metadata.tables[Campaign.__tablename__]


@dataclass(frozen=True)
class PledgeInput:
    """A validated pledge, as typed by the supporter."""

    name: str
    email: str
    address: Address
    note: str = ""
    consent: bool = False
    ref: str = ""


@dataclass(frozen=True)
class PledgeOutcome:
    pledge_id: int
    created: bool  # False: this email had already pledged to this campaign
    pledge_count: int  # the campaign's count once this pledge is in
    # For the supporter's withdraw link. A repeat gets one too, which withdraws nothing:
    # the answer must look the same whether or not the email had pledged before.
    withdraw_token: str


def normalize_email(email: str) -> str:
    """Return the form of an address used to recognise the same person twice."""
    return email.strip().lower()


def record_pledge(
    session: Session, campaign_id: int, data: PledgeInput, lookup: Lookup
) -> PledgeOutcome:
    """Add the pledge and bump the campaign's counter, or find the earlier pledge.

    Call inside a writing transaction (db.begin_write); the caller commits.
    """
    normalized = normalize_email(data.email)
    token = new_withdraw_token()
    values = {
        "campaign_id": campaign_id,
        "name": data.name,
        "email": data.email.strip(),
        "email_normalized": normalized,
        "zip": data.address.zip5,
        "city": data.address.city,
        "state": lookup.state,
        "district": lookup.district,
        "congress": lookup.congress if lookup.district is not None else None,
        "note": data.note,
        "consent": data.consent,
        "ref": data.ref,
        "created_at": utcnow(),
        "withdraw_key": withdraw_key(token),
    }
    # A repeat email is absorbed by the database in the same statement (no error, so the
    # request's transaction stays usable without a savepoint's two extra round trips).
    # On PostgreSQL a concurrent twin waits on the unique index, then inserts nothing.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # The tables themselves, not the ORM classes: the ORM's bulk path costs more CPU than
    # the statement, and a pledge needs none of it.
    statement = (
        insert(PLEDGES)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["campaign_id", "email_normalized"])
        .returning(PLEDGES.c.id)
    )
    pledge_id = session.execute(statement).scalar_one_or_none()
    if pledge_id is None:
        existing = session.execute(
            sa.select(Pledge.id, Campaign.pledge_count)
            .join(Campaign, Campaign.id == Pledge.campaign_id)
            .where(Pledge.campaign_id == campaign_id, Pledge.email_normalized == normalized)
        ).one()
        return PledgeOutcome(existing.id, False, existing[1], withdraw_token=token)
    count = session.execute(
        sa.update(CAMPAIGNS)
        .where(CAMPAIGNS.c.id == campaign_id)
        .values(pledge_count=CAMPAIGNS.c.pledge_count + 1, updated_at=utcnow())
        .returning(CAMPAIGNS.c.pledge_count)
    ).scalar_one()
    return PledgeOutcome(pledge_id, True, count, withdraw_token=token)


def set_pledge_place(session: Session, pledge_id: int, lookup: Lookup) -> None:
    """Record the state and district found later (street address, or the supporter's choice)."""
    if lookup.state is None:
        return
    congress = lookup.congress if lookup.district is not None else None
    session.execute(
        sa.update(Pledge)
        .where(Pledge.id == pledge_id)
        .values(state=lookup.state, district=lookup.district, congress=congress)
    )

"""Recording a pledge: one per person per campaign, counted in the same transaction.

The functions add and flush; the view commits once, at the edge of the request.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from advocacy.models import Campaign, Pledge, utcnow
from advocacy.pledges import tallies
from advocacy.pledges.withdrawal import new_withdraw_token, withdraw_key
from advocacy.representatives.lookup import Address, Lookup

PLEDGES: sa.Table = Pledge.metadata.tables[Pledge.__tablename__]


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


def _seat_found(lookup: Lookup) -> tallies.Seat:
    """The seat a look-up found; its Congress is kept only with a district (it names the map)."""
    congress = lookup.congress if lookup.district is not None else None
    return tallies.Seat(lookup.state, lookup.district, congress)


def record_pledge(
    session: Session, campaign_id: int, data: PledgeInput, lookup: Lookup
) -> PledgeOutcome:
    """Add the pledge and count it (the campaign's counter, its tallies), or find the earlier one.

    Call inside a writing transaction (db.begin_write); the caller commits.
    """
    normalized = normalize_email(data.email)
    token = new_withdraw_token()
    created_at = utcnow()
    seat = _seat_found(lookup)
    values = {
        "campaign_id": campaign_id,
        "name": data.name,
        "email": data.email.strip(),
        "email_normalized": normalized,
        "zip": data.address.zip5,
        "city": data.address.city,
        "state": lookup.state,
        "district": lookup.district,
        "congress": seat.congress,
        "note": data.note,
        "consent": data.consent,
        "ref": data.ref,
        "created_at": created_at,
        "withdraw_key": withdraw_key(token),
    }
    counted = tallies.Counted(campaign_id, created_at, data.consent, seat, data.ref)
    # A repeat email is absorbed by the database in the same statement (no error, so the
    # request's transaction stays usable without a savepoint's two extra round trips).
    # On PostgreSQL a concurrent twin waits on the unique index, then inserts nothing.
    if session.get_bind().dialect.name == "postgresql":
        recorded = _record_on_postgresql(session, values, counted)
    else:
        recorded = _record_in_steps(session, values, counted)
    if recorded is None:
        existing = session.execute(
            sa.select(Pledge.id, Campaign.pledge_count)
            .join(Campaign, Campaign.id == Pledge.campaign_id)
            .where(Pledge.campaign_id == campaign_id, Pledge.email_normalized == normalized)
        ).one()
        return PledgeOutcome(existing.id, False, existing[1], withdraw_token=token)
    pledge_id, count = recorded
    return PledgeOutcome(pledge_id, True, count, withdraw_token=token)


def _record_in_steps(
    session: Session, values: dict[str, object], counted: tallies.Counted
) -> tuple[int, int] | None:
    """Insert the pledge, then count it; return its id and the new count, None for a repeat."""
    # The tables themselves, not the ORM classes: the ORM's bulk path costs more CPU than
    # the statement, and a pledge needs none of it.
    pledge_id = session.execute(
        sqlite.insert(PLEDGES)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["campaign_id", "email_normalized"])
        .returning(PLEDGES.c.id)
    ).scalar_one_or_none()
    if pledge_id is None:
        return None
    tallies.add(session, counted)
    count = session.execute(
        sa.select(Campaign.pledge_count).where(Campaign.id == counted.campaign_id)
    ).scalar_one()
    return pledge_id, count


# The same steps as _record_in_steps in one statement: one round trip to the server, and
# one statement for SQLAlchemy to run, where the steps are six. Each step reads the rows
# of the one before, which fixes the order rows are locked in (the pledge, the counter,
# then the day, seat and partner tallies: the order a withdrawal uses too), so two
# pledges never wait on each other in a circle. Every share written is the slot of this
# connection (see tallies.py). Nothing happens past the first step for a repeat, and the
# statement returns no row. The count returned is the shares as the statement found
# them, plus this pledge.
POSTGRESQL_PLEDGE = sa.text(
    f"""
    WITH pledge AS (
        INSERT INTO pledges (campaign_id, name, email, email_normalized, zip, city, state,
                             district, congress, note, consent, ref, created_at, withdraw_key)
        VALUES (:campaign_id, :name, :email, :email_normalized, :zip, :city, :state,
                :district, :congress, :note, :consent, :ref, :created_at, :withdraw_key)
        ON CONFLICT (campaign_id, email_normalized) DO NOTHING
        RETURNING id, campaign_id
    ), counter AS (
        INSERT INTO pledge_counters AS t (campaign_id, slot, pledges, updated_at)
        SELECT campaign_id, {tallies.POSTGRESQL_SLOT}, 1, :created_at FROM pledge
        ON CONFLICT (campaign_id, slot) DO UPDATE
            SET pledges = t.pledges + 1, updated_at = excluded.updated_at
        RETURNING t.campaign_id
    ), day_tally AS (
        INSERT INTO pledge_tallies_by_day AS t (campaign_id, day, slot, pledges, consented)
        SELECT campaign_id, :tally_day, {tallies.POSTGRESQL_SLOT}, 1, :tally_consented
        FROM counter
        ON CONFLICT (campaign_id, day, slot) DO UPDATE
            SET pledges = t.pledges + 1, consented = t.consented + excluded.consented
        RETURNING t.campaign_id
    ), seat_tally AS (
        INSERT INTO pledge_tallies_by_seat AS t
            (campaign_id, state, district, congress, slot, pledges)
        SELECT campaign_id, :tally_state, :tally_district, :tally_congress,
               {tallies.POSTGRESQL_SLOT}, 1
        FROM day_tally
        ON CONFLICT (campaign_id, state, district, congress, slot) DO UPDATE
            SET pledges = t.pledges + 1
        RETURNING t.campaign_id
    ), ref_tally AS (
        INSERT INTO pledge_tallies_by_ref AS t (campaign_id, ref, slot, pledges)
        SELECT campaign_id, :ref, {tallies.POSTGRESQL_SLOT}, 1 FROM seat_tally
        ON CONFLICT (campaign_id, ref, slot) DO UPDATE SET pledges = t.pledges + 1
        RETURNING t.campaign_id
    )
    SELECT pledge.id,
           (SELECT coalesce(sum(pledges), 0) FROM pledge_counters
            WHERE pledge_counters.campaign_id = pledge.campaign_id) + 1
    FROM pledge, ref_tally
    """
)


def _record_on_postgresql(
    session: Session, values: dict[str, object], counted: tallies.Counted
) -> tuple[int, int] | None:
    """Do what _record_in_steps does, in one statement."""
    seat = counted.seat.key()
    row = session.execute(
        POSTGRESQL_PLEDGE,
        {
            **values,
            "tally_day": counted.day,
            "tally_consented": 1 if counted.consent else 0,
            "tally_state": seat["state"],
            "tally_district": seat["district"],
            "tally_congress": seat["congress"],
        },
    ).one_or_none()
    return None if row is None else (int(row[0]), int(row[1]))


def set_pledge_place(session: Session, pledge_id: int, lookup: Lookup) -> None:
    """Record the state and district found later (street address, or the supporter's choice)."""
    if lookup.state is None:
        return
    new = _seat_found(lookup)
    # Read under a row lock, so a concurrent change cannot move the tally from the wrong seat.
    old = session.execute(
        sa.select(Pledge.campaign_id, Pledge.state, Pledge.district, Pledge.congress)
        .where(Pledge.id == pledge_id)
        .with_for_update()
    ).one_or_none()
    if old is None:  # withdrawn meanwhile
        return
    session.execute(
        sa.update(Pledge)
        .where(Pledge.id == pledge_id)
        .values(state=new.state, district=new.district, congress=new.congress)
    )
    tallies.move_seat(
        session, old.campaign_id, tallies.Seat(old.state, old.district, old.congress), new
    )

"""Recording a pledge: one per person per campaign, counted only once its owner confirms it.

A pledge is stored unconfirmed, with an email to its address queued in the same
transaction (advocacy/mail): "confirm your pledge" for a new or unconfirmed pledge,
"you have already signed; here is how to withdraw" for a confirmed one. The confirmation
(advocacy/pledges/confirmation.py) is what counts it. So nothing anyone can see moves
when a pledge is made, and a new email and a repeat take the same statements and get the
same answer: whether an address has pledged is never told to whoever typed it.

The functions add and flush; the view commits once, at the edge of the request.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from advocacy.models import (
    Campaign,
    MailBudget,
    OutboxMail,
    Pledge,
    PledgeKey,
    as_utc,
    utcnow,
)
from advocacy.pledges import codes, tallies
from advocacy.pledges.sealing import (
    Contact,
    Sealing,
    email_hash,
    normalize_email,
    seal_contact,
    seal_recipient,
)
from advocacy.representatives.inputs import Address
from advocacy.representatives.lookup import Lookup

PLEDGES: sa.Table = Pledge.__table__  # type: ignore[assignment]
KEYS: sa.Table = PledgeKey.__table__  # type: ignore[assignment]
OUTBOX: sa.Table = OutboxMail.__table__  # type: ignore[assignment]
BUDGETS: sa.Table = MailBudget.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class PledgeInput:
    """A validated pledge, as typed by the supporter."""

    name: str
    email: str
    address: Address
    note: str = ""
    consent: bool = False
    # May the note be quoted, without the name, to their members' offices (pledges.quotes).
    quote: bool = False
    ref: str = ""


@dataclass(frozen=True)
class MailPolicy:
    """How a pledge's email is limited: the app's secret (for the budget's key) and the
    limit; and the keys its row and its email are written with."""

    secret_key: str
    per_address_per_day: int
    sealing: Sealing
    # The tag of the page's language, to write the email in (None: English).
    language: str | None = None


@dataclass(frozen=True)
class PledgeOutcome:
    pledge_id: int
    created: bool  # False: this email had already pledged to this campaign
    # The campaign's count, which this pledge is not in until it is confirmed.
    pledge_count: int
    # Whether an email was queued (for tests and nothing else: every answer is the same).
    mailed: bool


def mailbox_key(secret_key: str, email: str) -> str:
    """Return the key of an address's mail budget: one per mailbox, not per spelling.

    A "+tag" reaches the same mailbox as the address without it, so it shares its budget.
    An HMAC under the app's secret, so that the table does not list who was mailed.
    """
    local, _, domain = normalize_email(email).rpartition("@")
    mailbox = f"{local.split('+', 1)[0]}@{domain}"
    return hmac.new(secret_key.encode(), mailbox.encode(), hashlib.sha256).hexdigest()


def _seat_found(lookup: Lookup) -> tallies.Seat:
    """The seat a look-up found; its Congress is kept only with a district (it names the map)."""
    congress = lookup.congress if lookup.district is not None else None
    return tallies.Seat(lookup.state, lookup.district, congress)


@dataclass(frozen=True)
class _Mailing:
    """The email a pledge request would queue, with fresh codes, if the budget allows."""

    address_key: str
    day: date
    limit: int
    confirm_code: str
    withdraw_code: str
    at: datetime
    recipient: bytes
    language: str | None

    def params(self) -> dict[str, object]:
        return {
            "address_key": self.address_key,
            "recipient": self.recipient,
            "language": self.language,
            "mail_day": self.day,
            "mail_limit": self.limit,
            "confirm_code": self.confirm_code,
            "withdraw_code": self.withdraw_code,
            "confirm_key": codes.key(self.confirm_code),
            "withdraw_key": codes.key(self.withdraw_code),
        }


def record_pledge(
    session: Session, campaign_id: int, data: PledgeInput, lookup: Lookup, mail: MailPolicy
) -> PledgeOutcome:
    """Store the pledge unconfirmed (or find the earlier one) and queue its email.

    Call inside a writing transaction (db.begin_write); the caller commits.
    """
    created_at = utcnow()
    seat = _seat_found(lookup)
    keys = mail.sealing
    contact = Contact(data.name, data.email.strip())
    # Without the organization's public key no contact is collected (the box is not shown).
    consent = data.consent and keys.contact_key is not None
    values = {
        "campaign_id": campaign_id,
        "email_hash": email_hash(keys.hash_key, data.email),
        "sealed_contact": seal_contact(keys.contact_key, contact)
        if consent and keys.contact_key is not None
        else None,
        "zip": data.address.zip5,
        "city": data.address.city,
        "state": lookup.state,
        "district": lookup.district,
        "congress": seat.congress,
        "consent": consent,
        "ref": data.ref,
        "created_at": created_at,
    }
    mailing = _Mailing(
        address_key=mailbox_key(mail.secret_key, data.email),
        day=created_at.date(),
        limit=mail.per_address_per_day,
        confirm_code=codes.new_code(),
        withdraw_code=codes.new_code(),
        at=created_at,
        recipient=seal_recipient(keys.outbox_key, contact),
        language=mail.language,
    )
    if session.get_bind().dialect.name == "postgresql":
        return _record_on_postgresql(session, values, mailing)
    return _record_in_steps(session, values, mailing)


def _record_in_steps(
    session: Session, values: dict[str, object], mailing: _Mailing
) -> PledgeOutcome:
    """Store or find the pledge, spend the address's budget, queue the email, read the count.

    The same statements for a new pledge and a repeat (SQLite: one writer at a time).
    """
    # A repeat email is absorbed by the database in the same statement (no error, so the
    # request's transaction stays usable), and the earlier pledge returned, unchanged.
    pledge = sqlite.insert(PLEDGES).values(**values)
    row = session.execute(
        pledge.on_conflict_do_update(
            index_elements=["campaign_id", "email_hash"],
            set_={"email_hash": pledge.excluded.email_hash},
        ).returning(PLEDGES.c.id, PLEDGES.c.confirmed_at, PLEDGES.c.created_at)
    ).one()
    created = as_utc(row.created_at) == mailing.at
    budget = sqlite.insert(BUDGETS).values(
        address_key=mailing.address_key, day=mailing.day, sent=1
    )
    sent = session.execute(
        budget.on_conflict_do_update(
            index_elements=["address_key"],
            set_={
                "sent": sa.case(
                    (BUDGETS.c.day == budget.excluded.day, BUDGETS.c.sent + 1), else_=1
                ),
                "day": budget.excluded.day,
            },
        ).returning(BUDGETS.c.sent)
    ).scalar_one()
    mailed = sent <= mailing.limit
    if mailed:
        confirmed = row.confirmed_at is not None
        keys = [{"key": codes.key(mailing.withdraw_code), "purpose": "withdraw"}]
        if not confirmed:
            keys.append({"key": codes.key(mailing.confirm_code), "purpose": "confirm"})
        session.execute(
            sa.insert(KEYS),
            [{**key, "pledge_id": row.id, "created_at": mailing.at} for key in keys],
        )
        session.execute(
            sa.insert(OUTBOX).values(
                pledge_id=row.id,
                kind="signed" if confirmed else "confirm",
                confirm_code=None if confirmed else mailing.confirm_code,
                withdraw_code=mailing.withdraw_code,
                recipient=mailing.recipient,
                language=mailing.language,
                created_at=mailing.at,
                next_attempt_at=mailing.at,
                attempts=0,
                last_error="",
            )
        )
    count = session.execute(
        sa.select(Campaign.pledge_count).where(Campaign.id == values["campaign_id"])
    ).scalar_one()
    return PledgeOutcome(row.id, created, int(count), mailed)


# The same steps as _record_in_steps in one statement: one round trip, and the same one
# for a new pledge and a repeat. The pledge's row comes first (a repeat locks the earlier
# pledge, as confirmations, withdrawals and changes of district do before anything else),
# then the address's budget; the codes and the email follow only within the budget. A
# confirmed pledge gets the "already signed" email and a withdraw code alone. Nothing is
# counted: the count returned is the campaign's confirmed pledges.
POSTGRESQL_PLEDGE = sa.text(
    """
    WITH pledge AS (
        INSERT INTO pledges (campaign_id, email_hash, sealed_contact, zip, city, state,
                             district, congress, consent, ref, created_at)
        VALUES (:campaign_id, :email_hash, :sealed_contact, :zip, :city, :state,
                :district, :congress, :consent, :ref, :created_at)
        ON CONFLICT (campaign_id, email_hash)
            DO UPDATE SET email_hash = excluded.email_hash
        RETURNING id, confirmed_at IS NULL AS unconfirmed, created_at = :created_at AS created
    ), budget AS (
        INSERT INTO mail_budgets AS b (address_key, day, sent)
        SELECT :address_key, :mail_day, 1 FROM pledge
        ON CONFLICT (address_key) DO UPDATE
            SET sent = CASE WHEN b.day = excluded.day THEN b.sent + 1 ELSE 1 END,
                day = excluded.day
        RETURNING sent
    ), mail AS (
        SELECT pledge.id, pledge.unconfirmed FROM pledge, budget
        WHERE budget.sent <= :mail_limit
    ), pledge_key AS (
        INSERT INTO pledge_keys (key, pledge_id, purpose, created_at)
        SELECT :withdraw_key, id, 'withdraw', :created_at FROM mail
        UNION ALL
        SELECT :confirm_key, id, 'confirm', :created_at FROM mail WHERE unconfirmed
    ), outbox AS (
        INSERT INTO mail_outbox (pledge_id, kind, confirm_code, withdraw_code, recipient,
                                 language, created_at, next_attempt_at, attempts, last_error)
        SELECT id, CASE WHEN unconfirmed THEN 'confirm' ELSE 'signed' END,
               CASE WHEN unconfirmed THEN :confirm_code END, :withdraw_code, :recipient,
               :language, :created_at, :created_at, 0, ''
        FROM mail
        RETURNING pledge_id
    )
    SELECT pledge.id, pledge.created,
           (SELECT coalesce(sum(pledges), 0) FROM pledge_counters
            WHERE pledge_counters.campaign_id = :campaign_id),
           EXISTS (SELECT 1 FROM outbox)
    FROM pledge
    """
)


def _record_on_postgresql(
    session: Session, values: dict[str, object], mailing: _Mailing
) -> PledgeOutcome:
    """Do what _record_in_steps does, in one statement."""
    row = session.execute(POSTGRESQL_PLEDGE, {**values, **mailing.params()}).one()
    return PledgeOutcome(int(row[0]), bool(row[1]), int(row[2]), bool(row[3]))


def set_pledge_place(session: Session, pledge_id: int, lookup: Lookup) -> bool:
    """Record the state and district found later (street address, or the supporter's choice).

    Returns False if the pledge is gone (withdrawn meanwhile). The pledge's row is locked
    first, as every change to a pledge does; a confirmed pledge's seat tallies follow.
    """
    new = _seat_found(lookup)
    # Read under a row lock, so a concurrent change cannot move the tally from the wrong seat.
    old = session.execute(
        sa.select(
            Pledge.campaign_id, Pledge.state, Pledge.district, Pledge.congress, Pledge.confirmed_at
        )
        .where(Pledge.id == pledge_id)
        .with_for_update()
    ).one_or_none()
    if old is None:
        return False
    if lookup.state is None:
        return True
    session.execute(
        sa.update(PLEDGES)
        .where(PLEDGES.c.id == pledge_id)
        .values(state=new.state, district=new.district, congress=new.congress)
    )
    if old.confirmed_at is not None:
        tallies.move_seat(
            session, old.campaign_id, tallies.Seat(old.state, old.district, old.congress), new
        )
    return True

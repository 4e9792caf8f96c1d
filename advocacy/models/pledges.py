"""A pledge and what is kept with it: its codes, its counter and tallies, the results page's
sealed visit, and the words agreed to be quoted (kept apart from it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.db import Base
from advocacy.models.common import (
    CITY_MAX,
    REF_MAX,
    utcnow,
)

if TYPE_CHECKING:
    from advocacy.models.campaigns import Campaign


class PledgeCounter(Base):
    """One share of a campaign's pledge count; the count is the sum of its shares.

    Every pledge adds one to a share in the same transaction. Each database connection
    writes to its own share (a slot), so concurrent pledges do not queue on one row's
    lock while each waits for its commit to reach the disk (advocacy/pledges/tallies.py).
    """

    __tablename__ = "pledge_counters"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    pledges: Mapped[int]
    # When this share last changed: the public stats' updated_at.
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


# A campaign's status: a draft has never been published and is shown to nobody but
# organizers; a live one is served; a closed one says it has ended and takes no pledges.


class Pledge(Base):
    __tablename__ = "pledges"
    # The database, not the application, guarantees one pledge per person per campaign,
    # so concurrent double submits cannot both land.
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "email_hash"),
        # The organizers' dashboard groups one campaign's pledges by day, seat and partner.
        sa.Index("ix_pledges_campaign_id_created_at", "campaign_id", "created_at"),
        sa.Index("ix_pledges_campaign_id_state_district", "campaign_id", "state", "district"),
        sa.Index("ix_pledges_campaign_id_ref", "campaign_id", "ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    # No name or email in clear (advocacy/pledges/sealing.py): the email's HMAC under the
    # hash key, for one pledge per person; and, only for a supporter who agreed to be
    # contacted, their name and email sealed to the organization's public key.
    email_hash: Mapped[str] = mapped_column(sa.String(64))
    sealed_contact: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    zip: Mapped[str] = mapped_column(sa.String(5))
    city: Mapped[str] = mapped_column(sa.String(CITY_MAX), default="")
    state: Mapped[str | None] = mapped_column(sa.String(2))
    district: Mapped[int | None]
    # The Congress whose map `district` is on: numbers change meaning when maps are redrawn.
    congress: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # No note: a supporter's words go into their letters, and are kept only when they
    # agreed to have them quoted, apart from the pledge (PledgeQuote).
    consent: Mapped[bool] = mapped_column(default=False)
    ref: Mapped[str] = mapped_column(sa.String(REF_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    # When the supporter confirmed the pledge from their mailbox; None until then. Only a
    # confirmed pledge is counted (the counter and tallies) or shown to organizers.
    confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship(back_populates="pledges")


def pledge_counted() -> sa.ColumnElement[bool]:
    """The condition on pledges that every count and list of supporters applies."""
    return Pledge.confirmed_at.is_not(None)


class PledgeKey(Base):
    """The SHA-256 of one code mailed to a supporter: to confirm their pledge, or withdraw it.

    Each email carries codes of its own, so every link a supporter has received keeps
    working (until used, for a confirmation); the codes themselves are not kept.
    """

    __tablename__ = "pledge_keys"
    __table_args__ = (sa.CheckConstraint("purpose IN ('confirm', 'withdraw')", name="purpose"),)

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pledges.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class DayTally(Base):
    """A campaign's pledges made on one UTC day."""

    __tablename__ = "pledge_tallies_by_day"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    pledges: Mapped[int]
    consented: Mapped[int]  # of which agreed to be contacted


class SeatTally(Base):
    """A campaign's pledges from one district, on the map of the Congress they were made in."""

    __tablename__ = "pledge_tallies_by_seat"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    district: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    congress: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    pledges: Mapped[int]


class RefTally(Base):
    """A campaign's pledges that came through one partner ("" for those that came directly)."""

    __tablename__ = "pledge_tallies_by_ref"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    ref: Mapped[str] = mapped_column(sa.String(REF_MAX), primary_key=True)
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    pledges: Mapped[int]


class SupporterVisit(Base):
    """What one supporter typed, sealed, kept server-side for their results page.

    `sealed` holds what they typed and the members found, encrypted under a key that
    only their browser holds (advocacy/pledges/visits.py): the server cannot open it
    alone. A long note in a non-Latin script would not fit in a cookie, and a repeat
    pledge must show what this person typed, never what the first pledge said.
    """

    __tablename__ = "supporter_visits"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    pledge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pledges.id", ondelete="SET NULL"))
    pledge_created: Mapped[bool]
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)


class PledgeQuote(Base):
    """A supporter's own words, kept because they agreed to have them quoted, without
    their name, to their members' offices (the pledge form's `quote`).

    Deliberately not linked to its pledge: no pledge id, no email, no time finer than
    the day. So it cannot name who wrote it, and a withdrawal cannot find it either
    (the form says so); `advocacy pledges purge` deletes it after RETENTION_DAYS.
    """

    __tablename__ = "pledge_quotes"
    __table_args__ = (sa.Index("ix_pledge_quotes_campaign_id_state", "campaign_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    state: Mapped[str | None] = mapped_column(sa.String(2))
    district: Mapped[int | None]
    # The Congress whose map `district` is on.
    congress: Mapped[int | None] = mapped_column(sa.SmallInteger)
    city: Mapped[str] = mapped_column(sa.String(CITY_MAX), default="")
    text: Mapped[str] = mapped_column(sa.Text)
    created_on: Mapped[date] = mapped_column(sa.Date)

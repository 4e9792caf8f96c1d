"""The outbox of emails to supporters, and the mail server's budget."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.db import Base
from advocacy.models.common import (
    utcnow,
)


class OutboxMail(Base):
    """An email to a supporter about their pledge, written with it and deleted once sent.

    It names the pledge, so a withdrawn or expired pledge takes its unsent mail with it,
    and carries its recipient encrypted under a key derived from the secret key (the
    pledge keeps no address). The codes are here, in clear, only until the mail is sent
    (the pledge keys keep their hashes).
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (sa.CheckConstraint("kind IN ('confirm', 'signed')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pledges.id", ondelete="CASCADE"), index=True
    )
    # "confirm": confirm (or withdraw) this pledge; "signed": it was already confirmed.
    kind: Mapped[str] = mapped_column(sa.String(8))
    confirm_code: Mapped[str | None] = mapped_column(sa.String(32))
    withdraw_code: Mapped[str] = mapped_column(sa.String(32))
    # The name and address to write to, as advocacy/pledges/sealing.py seal_recipient.
    recipient: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # The language tag of the page the pledge was made on ("ug"), to write the email in;
    # None: English (and every row from before languages).
    language: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # The sender takes mail due by then; a claim moves it forward while it sends.
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # Why the last attempt failed (an SMTP code or error class; never an address).
    last_error: Mapped[str] = mapped_column(sa.String(200), default="")


class MailBudget(Base):
    """How many emails went to one address today, so nobody can mail-bomb through us.

    Keyed by an HMAC of the address under the app's secret key, not the address.
    """

    __tablename__ = "mail_budgets"

    address_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    sent: Mapped[int]


# The tallies: a campaign's pledges counted by day, by seat and by partner, kept in the
# same transaction as each pledge (advocacy/pledges/tallies.py), so the organizers'
# dashboard reads a few hundred rows however many pledges there are. Their keys are
# NOT NULL (a unique key treats NULLs as all different): "not known" is stored as the
# values in tallies.py (NO_STATE, NO_DISTRICT, NO_CONGRESS). Like the counter, each is
# kept in shares (slots), one per database connection, summed when read.

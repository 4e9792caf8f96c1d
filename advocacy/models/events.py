"""Events: a campaign's meetings and community evenings, each with its short code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.db import Base
from advocacy.models.common import (
    utcnow,
)

EVENT_NAME_MAX = 120
EVENT_PLACE_MAX = 200
EVENT_CODE_MAX = 8
TIME_ZONE_MAX = 64


class Event(Base):
    """A gathering where a campaign is promoted: its link, poster and pledge budget.

    Its pledges carry the ref "event-<code>" (counted by the ref tallies like a partner's),
    and while it is on, posts through its page are limited per event and address rather
    than by the per-address pledge limit (advocacy/events/schedule.py).
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    # The short address (/e/<code>): upper case, from an alphabet with no look-alikes.
    code: Mapped[str] = mapped_column(sa.String(EVENT_CODE_MAX), unique=True)
    name: Mapped[str] = mapped_column(sa.String(EVENT_NAME_MAX))
    place: Mapped[str] = mapped_column(sa.String(EVENT_PLACE_MAX))
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # The zone the organizer gave the times in: they are shown in it.
    time_zone: Mapped[str] = mapped_column(sa.String(TIME_ZONE_MAX))
    created_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

"""A campaign, its published content and count, its saved versions and its old slugs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from advocacy.db import Base
from advocacy.models.common import (
    ORGANIZER_EMAIL_MAX,
    utcnow,
)
from advocacy.models.pledges import Pledge, PledgeCounter

CAMPAIGN_STATUSES = ("draft", "live", "closed")


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        sa.CheckConstraint("status IN ('draft', 'live', 'closed')", name="status"),
        # One campaign at most is the home page's ("/"): the database says so, not only the code.
        sa.Index(
            "uq_campaigns_one_home",
            "is_default",
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    goal: Mapped[int]
    is_default: Mapped[bool] = mapped_column(default=False)
    # The whole campaign file (story, ask, bill, letter material) as published: what the
    # public pages and the letters use. Drafts live in campaign_versions until published.
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # When the campaign's content was last published (loaded, or published in the editor).
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(8), default="live", server_default="live")
    # The number of the version `content` is (CampaignVersion.number); None for a draft.
    published_version: Mapped[int | None]

    # Read with the campaign: the sum of its counter's shares, kept with each pledge in
    # the same transaction, so counting never scans pledges.
    pledge_count: Mapped[int] = column_property(
        sa.select(sa.func.coalesce(sa.func.sum(PledgeCounter.pledges), 0))
        .where(PledgeCounter.campaign_id == id)
        .correlate_except(PledgeCounter)
        .scalar_subquery()
    )
    # When the count last changed; None before the first pledge.
    counted_at: Mapped[datetime | None] = column_property(
        sa.select(sa.func.max(PledgeCounter.updated_at))
        .where(PledgeCounter.campaign_id == id)
        .correlate_except(PledgeCounter)
        .scalar_subquery()
    )

    pledges: Mapped[list[Pledge]] = relationship(back_populates="campaign")


# A version's summary: a line on the history page.
VERSION_SUMMARY_MAX = 200


class CampaignVersion(Base):
    """One saved state of a campaign's content: every save, load and rollback adds one.

    Versions are never changed or deleted, only published: the campaign's live content is
    a copy of the version its `published_version` names. Only content the campaign rules
    accept is saved, so any version can be published.
    """

    __tablename__ = "campaign_versions"
    # Two editors saving at once both try the next number: the database lets one win.
    __table_args__ = (sa.UniqueConstraint("campaign_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    # 1, 2, 3... within the campaign.
    number: Mapped[int]
    # As Campaign.content stores it (dates as ISO text).
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    summary: Mapped[str] = mapped_column(sa.String(VERSION_SUMMARY_MAX), default="")
    # Who saved it: the organizer (None from the command line) and, as it read then, their
    # address or "the command line".
    organizer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="SET NULL")
    )
    author: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # When it was published and by whom; None while it never was.
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX), default="")


class CampaignSlug(Base):
    """A web address a campaign had before its slug changed: it keeps answering.

    The campaign page at an old slug redirects to the new one; the API, the widget and
    the pledge, confirm and withdraw pages serve the campaign itself. A slug is either a
    campaign's own or one campaign's old one, never both (campaigns.slugs checks it).
    """

    __tablename__ = "campaign_slugs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    # When the campaign stopped using it.
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


# An event's fields (advocacy/events): limits shared by the organizers' form and the columns.

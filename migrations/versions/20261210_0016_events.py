"""events: a gathering's short link, poster and pledge budget

An organizer creates an event for a campaign (a name, a place, when it starts and ends, in
a time zone they choose); its page at /e/<code> takes pledges attributed to it (the ref
"event-<code>", counted by the ref tallies) under a budget of its own while it is on.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_events_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["organizers.id"],
            name=op.f("fk_events_created_by_organizers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("code", name=op.f("uq_events_code")),
    )
    op.create_index(op.f("ix_events_campaign_id"), "events", ["campaign_id"], unique=False)


def downgrade() -> None:
    # The events go; their pledges stay, with their refs ("event-<code>") and tallies.
    op.drop_index(op.f("ix_events_campaign_id"), table_name="events")
    op.drop_table("events")

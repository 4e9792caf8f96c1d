"""organizers, their audit trail, and the indexes behind the dashboard

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organizers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_last_step", sa.BigInteger(), nullable=True),
        sa.Column("session_version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizers")),
        sa.UniqueConstraint("email", name=op.f("uq_organizers_email")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("campaign_slug", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["organizers.id"],
            name=op.f("fk_audit_events_organizer_id_organizers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.create_index(
            "ix_audit_events_campaign_slug_created_at", ["campaign_slug", "created_at"]
        )
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.create_index("ix_pledges_campaign_id_created_at", ["campaign_id", "created_at"])
        batch_op.create_index(
            "ix_pledges_campaign_id_state_district", ["campaign_id", "state", "district"]
        )
        batch_op.create_index("ix_pledges_campaign_id_ref", ["campaign_id", "ref"])


def downgrade() -> None:
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.drop_index("ix_pledges_campaign_id_ref")
        batch_op.drop_index("ix_pledges_campaign_id_state_district")
        batch_op.drop_index("ix_pledges_campaign_id_created_at")
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_index("ix_audit_events_campaign_slug_created_at")
    op.drop_table("audit_events")
    op.drop_table("organizers")

"""organizers' confirmations of the changed-states table's flagged rows

A row of advocacy/congress/map_changes.toml marked `verify = true` (Missouri for
the 120th Congress) is shown on the dashboard and in `advocacy data status` until an
organizer confirms it. A confirmation records the row's `lines` as confirmed, so an
edit of the table to a different value shows the row again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "map_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("congress", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("lines", sa.String(length=8), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("organizer_email", sa.String(length=254), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "lines IN ('new', 'previous')", name=op.f("ck_map_confirmations_lines")
        ),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["organizers.id"],
            name=op.f("fk_map_confirmations_organizer_id_organizers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_map_confirmations")),
    )


def downgrade() -> None:
    op.drop_table("map_confirmations")

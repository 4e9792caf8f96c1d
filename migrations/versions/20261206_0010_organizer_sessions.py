"""organizers' sessions that end at sign-out

An organizer's session was a signed cookie alone (the organizer's id, a per-account
session version and the time of sign-in): signing out cleared the browser's copy, and a
copy taken before still opened the dashboard and the exports until it expired. Each
signed-in browser now has a row in organizer_sessions (the SHA-256 of a random token
that its cookie holds), checked on every request: sign-out deletes the row, disabling an
account deletes all of its rows. The per-account session version is no longer needed.
Everyone signed in must sign in again after this upgrade.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organizer_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["organizers.id"],
            name=op.f("fk_organizer_sessions_organizer_id_organizers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizer_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_organizer_sessions_token_hash")),
    )
    with op.batch_alter_table("organizer_sessions") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organizer_sessions_organizer_id"), ["organizer_id"], unique=False
        )
    with op.batch_alter_table("organizers") as batch_op:
        batch_op.drop_column("session_version")


def downgrade() -> None:
    with op.batch_alter_table("organizers") as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("organizer_sessions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizer_sessions_organizer_id"))
    op.drop_table("organizer_sessions")

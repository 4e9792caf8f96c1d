"""organizer roles and invitations

Organizers get roles: an owner may do everything (accounts, the organization's identity,
every campaign); anyone else may touch only the campaigns a role gives them, as editor or
viewer. Every organizer already stored becomes an owner, so no install loses access on
upgrade. Owners invite new organizers with one-time links (organizer_invitations keeps
only each token's SHA-256).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organizers") as batch_op:
        batch_op.add_column(
            sa.Column("owner", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # Everyone who could do everything before still can.
    op.execute("UPDATE organizers SET owner = true")
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=254), nullable=True))

    op.create_table(
        "organizer_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.CheckConstraint("role IN ('editor', 'viewer')", name=op.f("ck_organizer_roles_role")),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_organizer_roles_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["organizers.id"],
            name=op.f("fk_organizer_roles_organizer_id_organizers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizer_roles")),
        sa.UniqueConstraint(
            "organizer_id", "campaign_id", name=op.f("uq_organizer_roles_organizer_id_campaign_id")
        ),
    )
    op.create_index(
        op.f("ix_organizer_roles_organizer_id"), "organizer_roles", ["organizer_id"], unique=False
    )

    op.create_table(
        "organizer_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("owner", sa.Boolean(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["organizers.id"],
            name=op.f("fk_organizer_invitations_invited_by_organizers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizer_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_organizer_invitations_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("organizer_invitations")
    op.drop_index(op.f("ix_organizer_roles_organizer_id"), table_name="organizer_roles")
    op.drop_table("organizer_roles")
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_column("subject")
    with op.batch_alter_table("organizers") as batch_op:
        batch_op.drop_column("owner")

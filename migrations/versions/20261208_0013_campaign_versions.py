"""campaign versions and status: edited in the browser, published by an editor

Every save of a campaign in the organizers' editor, every `advocacy campaigns load` and
every rollback adds a row to campaign_versions; the campaign's own content is the version
last published. Campaigns get a status (draft, live, closed) and the number of the
version they publish. The campaigns already stored were published from the command line,
so each becomes live with its content as version 1.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=8), server_default="live", nullable=False)
        )
        batch_op.add_column(sa.Column("published_version", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_campaigns_status"), "status IN ('draft', 'live', 'closed')"
        )

    op.create_table(
        "campaign_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_versions_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["organizers.id"],
            name=op.f("fk_campaign_versions_organizer_id_organizers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_versions")),
        sa.UniqueConstraint(
            "campaign_id", "number", name=op.f("uq_campaign_versions_campaign_id_number")
        ),
    )
    # Each stored campaign as it is: version 1, published, as `campaigns load` put it there.
    op.execute(
        "INSERT INTO campaign_versions (campaign_id, number, content, summary, organizer_id,"
        " author, created_at, published_at, published_by)"
        " SELECT id, 1, content, 'The campaign as it was when versions began', NULL,"
        " 'the command line', updated_at, updated_at, 'the command line' FROM campaigns"
    )
    op.execute("UPDATE campaigns SET published_version = 1")


def downgrade() -> None:
    # The live content stays in campaigns.content; drafts and history go, and drafts that
    # were never published with them (the earlier release would serve them to everyone).
    op.drop_table("campaign_versions")
    op.execute("DELETE FROM campaigns WHERE status = 'draft'")
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.drop_constraint(op.f("ck_campaigns_status"), type_="check")
        batch_op.drop_column("published_version")
        batch_op.drop_column("status")

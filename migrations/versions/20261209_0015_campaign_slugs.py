"""campaign slugs: an old web address keeps working, and one home campaign at most

A campaign's slug may change (an editor publishes a version with a new one): the slugs it
had before go in campaign_slugs, so the page at an old address redirects and the API, the
widget and the pledge pages keep answering there. Which campaign "/" shows is a setting
(campaigns.is_default), and a partial unique index lets at most one campaign hold it; if
several did, the one published last keeps it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_slugs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_slugs_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_slugs")),
        sa.UniqueConstraint("slug", name=op.f("uq_campaign_slugs_slug")),
    )
    op.create_index(
        op.f("ix_campaign_slugs_campaign_id"), "campaign_slugs", ["campaign_id"], unique=False
    )
    # At most one home campaign: keep the one published last (then the newest row).
    op.execute(
        "UPDATE campaigns SET is_default = false WHERE is_default AND id <> ("
        " SELECT id FROM campaigns WHERE is_default"
        " ORDER BY updated_at DESC, id DESC LIMIT 1)"
    )
    op.create_index(
        "uq_campaigns_one_home",
        "campaigns",
        ["is_default"],
        unique=True,
        sqlite_where=sa.text("is_default"),
        postgresql_where=sa.text("is_default"),
    )


def downgrade() -> None:
    # The old addresses stop answering; each campaign keeps its present one.
    op.drop_index("uq_campaigns_one_home", table_name="campaigns")
    op.drop_index(op.f("ix_campaign_slugs_campaign_id"), table_name="campaign_slugs")
    op.drop_table("campaign_slugs")

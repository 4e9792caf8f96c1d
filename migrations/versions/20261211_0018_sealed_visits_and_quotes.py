"""sealed results pages, and notes kept only to be quoted

A supporter's visit (their results page) keeps what they typed sealed under a key only
their browser holds (advocacy/pledges/visits.py): the plaintext columns go, and so do the
visits of the last few days, whose browsers hold no key (their supporters find their
members again from the campaign page). The pledges' notes go: they were given with the
consent to be contacted, never to be quoted, so none is moved to pledge_quotes, the new
table of words supporters agree to have quoted, kept apart from any pledge. Cannot be
undone: the downgrade restores the columns empty.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-11 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VISIT_COLUMNS = (
    ("name", sa.String(length=100)),
    ("street", sa.String(length=200)),
    ("city", sa.String(length=100)),
    ("state", sa.String(length=2)),
    ("zip", sa.String(length=5)),
    ("note", sa.Text()),
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Pages freed by the deletes and the tables' copies are overwritten, not left behind.
        bind.exec_driver_sql("PRAGMA secure_delete=ON")
    op.execute(sa.text("DELETE FROM supporter_visits"))
    with op.batch_alter_table("supporter_visits") as batch:
        for name, _type in VISIT_COLUMNS:
            batch.drop_column(name)
        batch.drop_column("lookup")
        batch.add_column(sa.Column("sealed", sa.LargeBinary(), nullable=False))
    op.execute(sa.text("UPDATE pledges SET note = ''"))
    with op.batch_alter_table("pledges") as batch:
        batch.drop_column("note")
    op.create_table(
        "pledge_quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("district", sa.Integer(), nullable=True),
        sa.Column("congress", sa.SmallInteger(), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_pledge_quotes_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_quotes")),
    )
    op.create_index(
        "ix_pledge_quotes_campaign_id_state", "pledge_quotes", ["campaign_id", "state"]
    )


def downgrade() -> None:
    op.drop_index("ix_pledge_quotes_campaign_id_state", table_name="pledge_quotes")
    op.drop_table("pledge_quotes")
    with op.batch_alter_table("pledges") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
    # Sealed visits cannot be opened here: they go, and the columns come back empty.
    op.execute(sa.text("DELETE FROM supporter_visits"))
    with op.batch_alter_table("supporter_visits") as batch:
        batch.drop_column("sealed")
        for name, column_type in VISIT_COLUMNS:
            batch.add_column(sa.Column(name, column_type, nullable=False, server_default=""))
        batch.add_column(sa.Column("lookup", sa.JSON(), nullable=False, server_default="{}"))

"""drop the geocode cache: no address kept between supporters

The cache told whether an address had been looked up in the last 30 days (a cached
answer came back in milliseconds, an uncached one in hundreds) and kept the Census's
matched street address in clear text, under a key anyone could compute from a guessed
address. The service no longer keeps geocoder answers between supporters (README:
Address look-ups), so the table and every address in it go.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("geocode_cache", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_geocode_cache_expires_at"))
    op.drop_table("geocode_cache")


def downgrade() -> None:
    # The table comes back empty: the addresses it held are not to be restored.
    op.create_table(
        "geocode_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("congress", sa.Integer(), nullable=False),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("district", sa.Integer(), nullable=True),
        sa.Column("matched_address", sa.String(length=300), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_geocode_cache")),
    )
    with op.batch_alter_table("geocode_cache", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_geocode_cache_expires_at"), ["expires_at"], unique=False
        )

"""keep the street typed with the supporter's visit

The results page's address form comes back with the street the supporter typed, so a
ZIP that spans districts can be settled without typing it again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("supporter_visits") as batch_op:
        batch_op.add_column(
            sa.Column("street", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("supporter_visits") as batch_op:
        batch_op.drop_column("street")

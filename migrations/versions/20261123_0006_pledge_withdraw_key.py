"""let a supporter withdraw their pledge through a link shown when they made it

The link carries a random token; the database keeps only its SHA-256, so the table alone
cannot be used to withdraw anyone's pledge.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.add_column(sa.Column("withdraw_key", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_pledges_withdraw_key", ["withdraw_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.drop_index("ix_pledges_withdraw_key")
        batch_op.drop_column("withdraw_key")

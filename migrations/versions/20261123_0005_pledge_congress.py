"""record the Congress whose map a pledge's district is on

District numbers change meaning when a state redraws its map (nine states did for the
120th Congress), so a pledge's district is kept with the Congress it belongs to.
Pledges made before this revision were all made under the 119th Congress.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.add_column(sa.Column("congress", sa.SmallInteger(), nullable=True))
    op.execute("UPDATE pledges SET congress = 119 WHERE district IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.drop_column("congress")

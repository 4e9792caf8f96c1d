"""count each campaign's pledges by day, by seat and by partner, as they are made

The organizers' dashboard counted a campaign's pledges on every view: 1.8 s at a million.
These tallies are kept with each pledge, so it reads a few hundred rows instead. Keys
cannot be NULL; "not known" is stored as "" (state), -1 (district) and 0 (Congress).
The tallies of existing pledges are counted here, and each campaign's counter is set
to its pledges (the two must agree from now on).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tally(name: str, *columns: sa.Column[object]) -> None:
    """Create a tally table: the campaign, its key columns, then the counts."""
    keys = ["campaign_id"] + [c.name for c in columns if c.name not in ("pledges", "consented")]
    op.create_table(
        name,
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f(f"fk_{name}_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    _tally(
        "pledge_tallies_by_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pledges", sa.Integer(), nullable=False),
        sa.Column("consented", sa.Integer(), nullable=False),
    )
    _tally(
        "pledge_tallies_by_seat",
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("district", sa.Integer(), nullable=False),
        sa.Column("congress", sa.SmallInteger(), nullable=False),
        sa.Column("pledges", sa.Integer(), nullable=False),
    )
    _tally(
        "pledge_tallies_by_ref",
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("pledges", sa.Integer(), nullable=False),
    )
    # Written out rather than imported from the app: a migration must keep meaning what
    # it meant when it was written, whatever the app's code becomes.
    if op.get_bind().dialect.name == "postgresql":
        day = "CAST(timezone('UTC', created_at) AS date)"
    else:
        day = "substr(created_at, 1, 10)"  # SQLite keeps UTC times as ISO text
    op.execute(
        f"""
        INSERT INTO pledge_tallies_by_day (campaign_id, day, pledges, consented)
        SELECT campaign_id, {day}, count(*), sum(CASE WHEN consent THEN 1 ELSE 0 END)
        FROM pledges GROUP BY campaign_id, {day}
        """
    )
    op.execute(
        """
        INSERT INTO pledge_tallies_by_seat (campaign_id, state, district, congress, pledges)
        SELECT campaign_id, coalesce(state, ''), coalesce(district, -1),
               coalesce(congress, 0), count(*)
        FROM pledges
        GROUP BY campaign_id, coalesce(state, ''), coalesce(district, -1), coalesce(congress, 0)
        """
    )
    op.execute(
        """
        INSERT INTO pledge_tallies_by_ref (campaign_id, ref, pledges)
        SELECT campaign_id, ref, count(*) FROM pledges GROUP BY campaign_id, ref
        """
    )
    op.execute(
        """
        UPDATE campaigns SET pledge_count =
            (SELECT count(*) FROM pledges WHERE pledges.campaign_id = campaigns.id)
        """
    )


def downgrade() -> None:
    op.drop_table("pledge_tallies_by_ref")
    op.drop_table("pledge_tallies_by_seat")
    op.drop_table("pledge_tallies_by_day")

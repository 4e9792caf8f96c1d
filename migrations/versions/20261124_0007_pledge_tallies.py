"""count each campaign's pledges by day, seat and partner, and in shares, as they are made

The organizers' dashboard counted a campaign's pledges on every view: 1.8 s at a million.
These tallies are kept with each pledge, so it reads a few hundred rows instead. Keys
cannot be NULL; "not known" is stored as "" (state), -1 (district) and 0 (Congress).

The campaign's counter moves out of the campaigns row into pledge_counters, where each
database connection adds to a share of its own (a slot): on one row, concurrent pledges
queued on its lock, each holding it until its commit reached the disk. The tallies are
kept in slots too. Existing pledges are counted here into slot 0.

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
    counts = ("pledges", "consented", "updated_at")
    keys = ["campaign_id"] + [c.name for c in columns if c.name not in counts]
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
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("pledges", sa.Integer(), nullable=False),
        sa.Column("consented", sa.Integer(), nullable=False),
    )
    _tally(
        "pledge_tallies_by_seat",
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("district", sa.Integer(), nullable=False),
        sa.Column("congress", sa.SmallInteger(), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("pledges", sa.Integer(), nullable=False),
    )
    _tally(
        "pledge_tallies_by_ref",
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("pledges", sa.Integer(), nullable=False),
    )
    _tally(
        "pledge_counters",
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("pledges", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Written out rather than imported from the app: a migration must keep meaning what
    # it meant when it was written, whatever the app's code becomes.
    if op.get_bind().dialect.name == "postgresql":
        day = "CAST(timezone('UTC', created_at) AS date)"
    else:
        day = "substr(created_at, 1, 10)"  # SQLite keeps UTC times as ISO text
    op.execute(
        f"""
        INSERT INTO pledge_tallies_by_day (campaign_id, day, slot, pledges, consented)
        SELECT campaign_id, {day}, 0, count(*), sum(CASE WHEN consent THEN 1 ELSE 0 END)
        FROM pledges GROUP BY campaign_id, {day}
        """
    )
    op.execute(
        """
        INSERT INTO pledge_tallies_by_seat
            (campaign_id, state, district, congress, slot, pledges)
        SELECT campaign_id, coalesce(state, ''), coalesce(district, -1),
               coalesce(congress, 0), 0, count(*)
        FROM pledges
        GROUP BY campaign_id, coalesce(state, ''), coalesce(district, -1), coalesce(congress, 0)
        """
    )
    op.execute(
        """
        INSERT INTO pledge_tallies_by_ref (campaign_id, ref, slot, pledges)
        SELECT campaign_id, ref, 0, count(*) FROM pledges GROUP BY campaign_id, ref
        """
    )
    # The count is the pledges themselves (the old counter could only agree with them),
    # as of the campaign's last change.
    op.execute(
        """
        INSERT INTO pledge_counters (campaign_id, slot, pledges, updated_at)
        SELECT campaign_id, 0, count(*), max(campaigns.updated_at)
        FROM pledges JOIN campaigns ON campaigns.id = pledges.campaign_id
        GROUP BY campaign_id
        """
    )
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.drop_column("pledge_count")


def downgrade() -> None:
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.add_column(
            sa.Column("pledge_count", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(
        """
        UPDATE campaigns SET pledge_count = coalesce(
            (SELECT sum(pledges) FROM pledge_counters
             WHERE pledge_counters.campaign_id = campaigns.id), 0)
        """
    )
    op.drop_table("pledge_counters")
    op.drop_table("pledge_tallies_by_ref")
    op.drop_table("pledge_tallies_by_seat")
    op.drop_table("pledge_tallies_by_day")

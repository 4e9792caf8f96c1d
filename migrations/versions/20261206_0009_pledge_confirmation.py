"""pledges counted once confirmed from the supporter's mailbox

A pledge is stored unconfirmed and counted (the counter, the tallies) only once its owner
confirms it with a code mailed to the address: `pledges.confirmed_at`. Every email about a
pledge carries codes of its own, kept as SHA-256 hashes in `pledge_keys` (to confirm, to
withdraw); the withdraw keys of `pledges.withdraw_key` move there, so the links shown by
the earlier release keep working. `mail_outbox` holds the emails until they are sent, and
`mail_budgets` how many went to each address today.

Existing pledges were counted when made: they count as confirmed at that moment, so the
tallies (kept by day) stay right as they are.

Downgrade deletes the pledges nobody confirmed (the earlier release would count them on a
recount and list them in exports) and keeps one withdraw key per pledge.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE pledges SET confirmed_at = created_at")

    op.create_table(
        "pledge_keys",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('confirm', 'withdraw')", name=op.f("ck_pledge_keys_purpose")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"],
            ["pledges.id"],
            name=op.f("fk_pledge_keys_pledge_id_pledges"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_pledge_keys")),
    )
    op.create_index(op.f("ix_pledge_keys_pledge_id"), "pledge_keys", ["pledge_id"])
    op.execute(
        "INSERT INTO pledge_keys (key, pledge_id, purpose, created_at) "
        "SELECT withdraw_key, id, 'withdraw', created_at FROM pledges "
        "WHERE withdraw_key IS NOT NULL"
    )
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.drop_index("ix_pledges_withdraw_key")
        batch_op.drop_column("withdraw_key")

    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("confirm_code", sa.String(length=32), nullable=True),
        sa.Column("withdraw_code", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.CheckConstraint("kind IN ('confirm', 'signed')", name=op.f("ck_mail_outbox_kind")),
        sa.ForeignKeyConstraint(
            ["pledge_id"],
            ["pledges.id"],
            name=op.f("fk_mail_outbox_pledge_id_pledges"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index(op.f("ix_mail_outbox_pledge_id"), "mail_outbox", ["pledge_id"])
    op.create_index(op.f("ix_mail_outbox_next_attempt_at"), "mail_outbox", ["next_attempt_at"])

    op.create_table(
        "mail_budgets",
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("address_key", name=op.f("pk_mail_budgets")),
    )


def downgrade() -> None:
    op.drop_table("mail_budgets")
    op.drop_index(op.f("ix_mail_outbox_next_attempt_at"), table_name="mail_outbox")
    op.drop_index(op.f("ix_mail_outbox_pledge_id"), table_name="mail_outbox")
    op.drop_table("mail_outbox")

    with op.batch_alter_table("pledges") as batch_op:
        batch_op.add_column(sa.Column("withdraw_key", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE pledges SET withdraw_key = (SELECT min(key) FROM pledge_keys "
        "WHERE pledge_keys.pledge_id = pledges.id AND purpose = 'withdraw')"
    )
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.create_index("ix_pledges_withdraw_key", ["withdraw_key"], unique=True)
    op.drop_index(op.f("ix_pledge_keys_pledge_id"), table_name="pledge_keys")
    op.drop_table("pledge_keys")

    # Never counted, and possibly made in someone else's name: not carried back.
    unconfirmed = "SELECT id FROM pledges WHERE confirmed_at IS NULL"
    op.execute(f"UPDATE supporter_visits SET pledge_id = NULL WHERE pledge_id IN ({unconfirmed})")
    op.execute("DELETE FROM pledges WHERE confirmed_at IS NULL")
    with op.batch_alter_table("pledges") as batch_op:
        batch_op.drop_column("confirmed_at")

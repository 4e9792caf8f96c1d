"""organizers' passkeys, single-use challenges, the password switch, step-up time

Organizers may sign in with passkeys (WebAuthn): organizer_passkeys keeps each one's
credential id and public key (nothing secret). webauthn_challenges holds the SHA-256 of
each challenge handed to a browser until its one use. sign_in_settings is one row with the
owners' switch for password sign-in (no row: passwords allowed, as before). A session's
stepped_up_at is when its browser last proved a passkey or code (exports ask for it).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-11 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organizer_passkeys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(length=1023), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("transports", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["organizers.id"],
            name=op.f("fk_organizer_passkeys_organizer_id_organizers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizer_passkeys")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_organizer_passkeys_credential_id")),
    )
    op.create_index(
        op.f("ix_organizer_passkeys_organizer_id"),
        "organizer_passkeys",
        ["organizer_id"],
        unique=False,
    )
    op.create_table(
        "webauthn_challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('register', 'sign-in', 'step-up')",
            name=op.f("ck_webauthn_challenges_purpose"),
        ),
        sa.ForeignKeyConstraint(
            ["organizer_id"],
            ["organizers.id"],
            name=op.f("fk_webauthn_challenges_organizer_id_organizers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webauthn_challenges")),
        sa.UniqueConstraint("challenge_hash", name=op.f("uq_webauthn_challenges_challenge_hash")),
    )
    op.create_index(
        op.f("ix_webauthn_challenges_expires_at"),
        "webauthn_challenges",
        ["expires_at"],
        unique=False,
    )
    op.create_table(
        "sign_in_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("passwords", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_sign_in_settings_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_settings")),
    )
    with op.batch_alter_table("organizer_sessions") as batch_op:
        batch_op.add_column(sa.Column("stepped_up_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Passkeys are forgotten; organizers sign in with their passwords (and codes) again.
    with op.batch_alter_table("organizer_sessions") as batch_op:
        batch_op.drop_column("stepped_up_at")
    op.drop_table("sign_in_settings")
    op.drop_index(op.f("ix_webauthn_challenges_expires_at"), table_name="webauthn_challenges")
    op.drop_table("webauthn_challenges")
    op.drop_index(op.f("ix_organizer_passkeys_organizer_id"), table_name="organizer_passkeys")
    op.drop_table("organizer_passkeys")

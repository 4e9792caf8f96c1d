"""sealed pledges: no supporter's name or email in clear

Each pledge's email becomes an HMAC under ADVOCACY_HASH_KEY (email_hash, unique per
campaign); a consenting supporter's name and email are sealed to the organization's public
key (sealed_contact); the plaintext columns go. Unsent emails carry their recipient
encrypted under a key derived from the secret key. Cannot be undone: the downgrade
restores the columns empty, and no key opens a hash.

The keys are the app's settings: `advocacy db upgrade` (advocacy/migrate.py) hands them
over. A database with pledges and no keys handed over (Alembic run by hand) is refused
before anything changes. On PostgreSQL the whole conversion is one transaction (a crash
leaves the database as it was, and the upgrade starts again); on SQLite the file is
vacuumed afterwards, with secure_delete on, so no plaintext stays in its free pages.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-11 12:00:00
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from nacl.public import PublicKey, SealedBox
from nacl.secret import SecretBox

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
# Where advocacy/migrate.py puts the app's keys for this migration.
KEYS_ATTRIBUTE = "advocacy.sealing"


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        bind.exec_driver_sql("PRAGMA secure_delete=ON")
    keys = _keys(bind)
    # Each step checks what is done already: an upgrade interrupted on SQLite (whose DDL
    # is not all in one transaction) is started again and carries on.
    columns = {column["name"] for column in sa.inspect(bind).get_columns("pledges")}
    if "email_hash" not in columns:
        with op.batch_alter_table("pledges") as batch:
            batch.add_column(sa.Column("email_hash", sa.String(length=64), nullable=True))
            batch.add_column(sa.Column("sealed_contact", sa.LargeBinary(), nullable=True))
    outbox = {column["name"] for column in sa.inspect(bind).get_columns("mail_outbox")}
    if "recipient" not in outbox:
        with op.batch_alter_table("mail_outbox") as batch:
            batch.add_column(sa.Column("recipient", sa.LargeBinary(), nullable=True))
    if keys is not None:
        _convert(bind, keys)
    with op.batch_alter_table("mail_outbox") as batch:
        batch.alter_column("recipient", existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table("pledges") as batch:
        batch.drop_constraint("uq_pledges_campaign_id_email_normalized", type_="unique")
        batch.drop_column("name")
        batch.drop_column("email")
        batch.drop_column("email_normalized")
        batch.alter_column("email_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(
            "uq_pledges_campaign_id_email_hash", ["campaign_id", "email_hash"]
        )
    if sqlite:
        # The old table's pages (names and emails) are free now: rewrite the file without them.
        with op.get_context().autocommit_block():
            bind.exec_driver_sql("VACUUM")


def _keys(bind: sa.Connection) -> dict[str, str | None] | None:
    """Return the app's keys, or None for a database with no pledge to convert."""
    keys: dict[str, str | None] | None = context.config.attributes.get(KEYS_ATTRIBUTE)
    pledges = bind.execute(sa.text("SELECT count(*) FROM pledges")).scalar_one()
    waiting = bind.execute(sa.text("SELECT count(*) FROM mail_outbox")).scalar_one()
    if not pledges and not waiting:
        return keys
    if keys is None:
        raise RuntimeError(
            "Migration 0017 hashes and seals the pledges with the app's keys: run it with "
            "`advocacy db upgrade` (see `advocacy pledges seal --dry-run`), not Alembic alone."
        )
    consenting = bind.execute(sa.text("SELECT count(*) FROM pledges WHERE consent")).scalar_one()
    if consenting and not keys.get("contact_public_key"):
        raise RuntimeError(
            f"{consenting} pledge(s) agreed to be contacted: set ADVOCACY_CONTACT_PUBLIC_KEY "
            "(`advocacy organizers keys new`) so their names and emails are sealed, not lost."
        )
    return keys


def _convert(bind: sa.Connection, keys: dict[str, str | None]) -> None:
    """Hash every pledge's email, seal consenting contacts, and seal unsent emails' recipients."""
    hash_key = str(keys["hash_key"]).encode()
    public = keys.get("contact_public_key")
    box = SealedBox(PublicKey(base64.b64decode(public))) if public else None
    outbox_key = hmac.new(
        str(keys["secret_key"]).encode(), b"advocacy outbox recipient", hashlib.sha256
    ).digest()
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, name, email, email_normalized, consent FROM pledges"
                " WHERE id > :last AND email_hash IS NULL ORDER BY id LIMIT :batch"
            ),
            {"last": last, "batch": BATCH},
        ).all()
        if not rows:
            break
        updates = []
        for row in rows:
            contact = json.dumps({"name": row.name, "email": row.email}, ensure_ascii=False)
            normalized = row.email_normalized.strip().lower()
            updates.append(
                {
                    "id": row.id,
                    "hash": hmac.new(hash_key, normalized.encode(), hashlib.sha256).hexdigest(),
                    "sealed": bytes(box.encrypt(contact.encode()))
                    if box is not None and row.consent
                    else None,
                }
            )
            recipient = bytes(SecretBox(outbox_key).encrypt(contact.encode()))
            bind.execute(
                sa.text("UPDATE mail_outbox SET recipient = :recipient WHERE pledge_id = :id"),
                {"id": row.id, "recipient": recipient},
            )
        bind.execute(
            sa.text(
                "UPDATE pledges SET email_hash = :hash, sealed_contact = :sealed WHERE id = :id"
            ),
            updates,
        )
        last = rows[-1].id


def downgrade() -> None:
    # The names and emails cannot come back: the columns return empty (each pledge's hash
    # stands in for its address, so the unique key still holds).
    with op.batch_alter_table("pledges") as batch:
        batch.drop_constraint("uq_pledges_campaign_id_email_hash", type_="unique")
        batch.add_column(
            sa.Column("name", sa.String(length=100), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("email", sa.String(length=254), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("email_normalized", sa.String(length=254), nullable=True))
    op.execute(sa.text("UPDATE pledges SET email_normalized = email_hash"))
    with op.batch_alter_table("pledges") as batch:
        batch.alter_column("name", server_default=None, existing_type=sa.String(length=100))
        batch.alter_column("email", server_default=None, existing_type=sa.String(length=254))
        batch.alter_column("email_normalized", existing_type=sa.String(length=254), nullable=False)
        batch.create_unique_constraint(
            "uq_pledges_campaign_id_email_normalized", ["campaign_id", "email_normalized"]
        )
        batch.drop_column("sealed_contact")
        batch.drop_column("email_hash")
    with op.batch_alter_table("mail_outbox") as batch:
        batch.drop_column("recipient")

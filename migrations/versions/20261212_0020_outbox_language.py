"""the language of an unsent email: mail_outbox.language

A pledge made on a page in another language (/ug/...) gets its emails in that language,
with links to pages in it. The email is composed when it is sent, from its outbox row, so
the row keeps the page's language tag; NULL is English, as every row written before.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-12 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mail_outbox") as batch:
        batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # Unsent mail stays queued, to be written in English.
    with op.batch_alter_table("mail_outbox") as batch:
        batch.drop_column("language")

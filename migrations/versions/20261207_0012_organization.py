"""the organization's identity: who runs the site, shown on every public page

One row (id 1) with the organization's name, short name, contact email, privacy contact,
postal address, website, its own words for the footer and the privacy page, and its logo
(a PNG the service re-encoded from an upload). No row means nothing is set yet: the pages
show a neutral name and the organizers' dashboard says what is missing.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organization",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("privacy_email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("footer", sa.Text(), nullable=False),
        sa.Column("privacy_text", sa.Text(), nullable=False),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("logo_sha256", sa.String(length=64), nullable=False),
        sa.Column("logo_width", sa.Integer(), nullable=False),
        sa.Column("logo_height", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_organization_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
    )


def downgrade() -> None:
    op.drop_table("organization")

"""Who runs the site: its identity, one row."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.db import Base
from advocacy.models.common import (
    EMAIL_MAX,
    ORGANIZER_EMAIL_MAX,
)

# The organization's identity (advocacy/organization): limits shared by its form, its
# command and its columns.
ORG_NAME_MAX = 120
ORG_SHORT_NAME_MAX = 30
ORG_ADDRESS_MAX = 300
ORG_WEBSITE_MAX = 200
ORG_FOOTER_MAX = 600
ORG_PRIVACY_TEXT_MAX = 5000


class Organization(Base):
    """Who runs this site: one row (id 1), shown on every public page and the privacy page.

    Empty strings mean "not set": a fresh install has no row at all, and reads as empty.
    The logo is a PNG this service made itself from an upload (advocacy/organization/
    logo.py), deferred so that reading the identity for a page does not load its bytes.
    """

    __tablename__ = "organization"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(ORG_NAME_MAX), default="")
    short_name: Mapped[str] = mapped_column(sa.String(ORG_SHORT_NAME_MAX), default="")
    email: Mapped[str] = mapped_column(sa.String(EMAIL_MAX), default="")
    # Where questions about supporters' data go; "": the contact email.
    privacy_email: Mapped[str] = mapped_column(sa.String(EMAIL_MAX), default="")
    # The postal address, one line per line.
    address: Mapped[str] = mapped_column(sa.String(ORG_ADDRESS_MAX), default="")
    website: Mapped[str] = mapped_column(sa.String(ORG_WEBSITE_MAX), default="")
    # The organization's own words: under every public page, and on the privacy page.
    footer: Mapped[str] = mapped_column(sa.Text, default="")
    privacy_text: Mapped[str] = mapped_column(sa.Text, default="")
    logo_png: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    # The PNG's SHA-256 ("" without a logo): its address carries it, so it can be cached.
    logo_sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    logo_width: Mapped[int] = mapped_column(default=0)
    logo_height: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Who last changed it: an organizer's address, or "the command line".
    updated_by: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX), default="")

"""Who runs the site, as every page shows it: read once per request at most, and kept a
few seconds per process.

`current_identity()` is the one way pages get it (the templates' `organization`, through
the context processor `organization.init_app` registers). It reads the database at most
once per IDENTITY_SECONDS per process, on a connection of its own, so that an error page
rendered after the request's own transaction failed can still show it; when the database
does not answer it falls back to the last identity it read (or the neutral one) rather
than fail the page. A save calls `changed()` after its commit: this process shows the new
identity at once, the others within IDENTITY_SECONDS.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app, g
from flask_babel import gettext
from sqlalchemy.orm import Session, sessionmaker

from advocacy.cache import Cache
from advocacy.models import Organization, as_utc
from advocacy.web.errors import DATABASE_DOWN_ERRORS

log = logging.getLogger(__name__)

# What pages call the site while the organization has not said who it is (in English;
# neutral_name() says it in the page's language).
NEUTRAL_NAME = "Campaign site"
# How stale another process's identity may be after a save (this process's is fresh).
IDENTITY_SECONDS = 5.0
HOLDER_EXTENSION = "advocacy.organization.identity"
# How much of the logo's SHA-256 its address carries (?v=): plenty to tell logos apart.
LOGO_VERSION_LENGTH = 16
# The columns a page needs: never the logo's bytes.
_COLUMNS = (
    Organization.name,
    Organization.short_name,
    Organization.email,
    Organization.privacy_email,
    Organization.address,
    Organization.website,
    Organization.footer,
    Organization.privacy_text,
    Organization.logo_sha256,
    Organization.logo_width,
    Organization.logo_height,
    Organization.updated_at,
    Organization.updated_by,
)


def neutral_name() -> str:
    """NEUTRAL_NAME in the page's language: it is our words, not the organization's."""
    return str(gettext("Campaign site"))


@dataclass(frozen=True, slots=True)
class Identity:
    """The organization as pages show it; "" for anything not set."""

    name: str = ""
    short_name: str = ""
    email: str = ""
    privacy_email: str = ""
    address: str = ""
    website: str = ""
    footer: str = ""
    privacy_text: str = ""
    logo_sha256: str = ""
    logo_width: int = 0
    logo_height: int = 0
    updated_at: datetime | None = None
    updated_by: str = ""

    @property
    def named(self) -> bool:
        """Whether the organization has said who it is."""
        return bool(self.name)

    @property
    def display_name(self) -> str:
        return self.name or neutral_name()

    @property
    def header_name(self) -> str:
        """The name where room is short (the header, page titles, the widget)."""
        return self.short_name or self.name or neutral_name()

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.address.split("\n") if line.strip()]

    @property
    def address_line(self) -> str:
        """The postal address on one line (a letter's footer note, say)."""
        return ", ".join(self.address_lines)

    @property
    def privacy_contact(self) -> str:
        """Where questions about supporters' data go: the privacy email, else the contact."""
        return self.privacy_email or self.email

    @property
    def website_label(self) -> str:
        """The website as people read it: without the scheme and a lone trailing slash."""
        label = self.website.split("://", 1)[-1]
        return label[:-1] if label.endswith("/") and label.count("/") == 1 else label

    @property
    def logo_version(self) -> str:
        """What the logo's address carries, so that a new logo is a new address."""
        return self.logo_sha256[:LOGO_VERSION_LENGTH]

    @property
    def footer_paragraphs(self) -> list[str]:
        return paragraphs(self.footer)

    @property
    def privacy_paragraphs(self) -> list[str]:
        return paragraphs(self.privacy_text)

    @property
    def missing(self) -> list[str]:
        """What the operator still has to set, in the words the dashboard shows."""
        items = []
        if not self.name:
            items.append("the organization's name, shown at the top and foot of every page")
        if not self.email:
            items.append("a contact email, for supporters to write to")
        if not self.address:
            items.append("a postal address, for supporters who cannot or would rather not email")
        if not self.privacy_contact:
            items.append(
                "a privacy contact, whom the privacy page names for questions about "
                "supporters' data (the contact email serves, unless you give another)"
            )
        return items


NEUTRAL = Identity()


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines (single line breaks stay in a paragraph)."""
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def load_identity(session: Session) -> Identity:
    """Read the identity from the database (the neutral one when nothing is stored)."""
    row = session.execute(sa.select(*_COLUMNS).where(Organization.id == 1)).one_or_none()
    if row is None:
        return NEUTRAL
    values = row._asdict()
    if values["updated_at"] is not None:
        values["updated_at"] = as_utc(values["updated_at"])
    return Identity(**values)


class IdentityHolder:
    """One app's identity: fresh for IDENTITY_SECONDS, and the last one read, for outages."""

    def __init__(self, maker: sessionmaker[Session], seconds: float = IDENTITY_SECONDS) -> None:
        self._maker = maker
        self._cache: Cache[str, Identity] = Cache(max_size=1, max_age=seconds)
        self._last = NEUTRAL
        self._lock = threading.Lock()

    def get(self) -> Identity:
        """Return the identity, reading it if the kept one is stale; never raise for a
        database that does not answer (or has no table yet: a fresh install)."""
        # An error page for a database that just failed: asking it again would only wait.
        if isinstance(sys.exception(), DATABASE_DOWN_ERRORS):
            return self._last
        try:
            return self._cache.get("identity", self._read)
        except sa.exc.SQLAlchemyError as error:
            log.warning("organization identity not read: %s", type(error).__name__)
            return self._last

    def _read(self) -> Identity:
        # A connection of its own: the request's transaction may be the one that failed.
        with self._maker() as session:
            identity = load_identity(session)
        with self._lock:
            self._last = identity
        return identity

    def forget(self) -> None:
        """Read the identity again on next use (after a save has committed)."""
        self._cache.clear()


def init_app(app: Flask) -> None:
    """Give the app its identity holder, on the app's own database."""
    app.extensions[HOLDER_EXTENSION] = IdentityHolder(app.extensions["advocacy.sessionmaker"])


def _holder() -> IdentityHolder:
    holder: IdentityHolder = current_app.extensions[HOLDER_EXTENSION]
    return holder


def current_identity() -> Identity:
    """Return the identity to show: once per request (or app context), however many templates."""
    identity: Identity | None = g.get("organization_identity")
    if identity is None:
        identity = _holder().get()
        g.organization_identity = identity
    return identity


def changed() -> None:
    """Show a saved identity at once: call after the save has committed."""
    _holder().forget()
    g.pop("organization_identity", None)

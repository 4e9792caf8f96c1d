"""Changing the organization's identity: plain functions on a session, for the settings
pages and the command line.

Each adds and flushes; its caller commits once, then calls `identity.changed()` so this
process shows the change at once (docs/architecture.md, *Transactions*). One that refuses
raises having written nothing. Every change made by an organizer is a line in the
organizers' audit trail (`audit_events`: who, which field, when; never the values).

Who may change it: an owner (`Organizer.owner`; advocacy/organizers/roles.py decides
everything else about roles), asked through `may_edit` by the settings pages before they
show or save anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from advocacy.db import begin_write
from advocacy.models import AUDIT_ACTION_MAX, AuditEvent, Organization, Organizer, utcnow
from advocacy.organization import rules
from advocacy.organization.logo import Logo

# What a change made from a shell, with no organizer named, says it was made by.
COMMAND_LINE = "the command line"
# The audit trail's actions: "organization name", "organization logo"...
ACTION_PREFIX = "organization "


def may_edit(organizer: Organizer | None) -> bool:
    """Tell whether this organizer may change the identity: an active owner."""
    return organizer is not None and organizer.active and organizer.owner


def _row(session: Session) -> Organization:
    """Return the identity's one row, locked for this transaction, creating it if need be."""
    begin_write(session)
    dialect = session.get_bind().dialect.name
    blank: dict[str, Any] = {name: "" for name in rules.FIELDS}
    blank.update(id=1, logo_sha256="", logo_width=0, logo_height=0, updated_by="")
    if dialect == "postgresql":
        session.execute(postgresql.insert(Organization).values(blank).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(Organization).values(blank).on_conflict_do_nothing())
    elif session.get(Organization, 1) is None:
        session.add(Organization(**blank))
        session.flush()
    # Read afresh under the lock: another save may have committed since this session
    # last loaded the row.
    return session.scalars(
        sa.select(Organization)
        .where(Organization.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _record(
    session: Session,
    row: Organization,
    changed: list[str],
    organizer: Organizer | None,
    now: datetime,
) -> None:
    """Say on the row who changed it last, and add a line per field to the audit trail."""
    organizer_id, by = (
        (None, COMMAND_LINE) if organizer is None else (organizer.id, organizer.email)
    )
    row.updated_at = now
    row.updated_by = by
    if organizer_id is None:
        return  # a shell with no organizer named: the row says so, the audit trail cannot
    for name in changed:
        action = (ACTION_PREFIX + name)[:AUDIT_ACTION_MAX]
        session.add(AuditEvent(organizer_id=organizer_id, action=action, created_at=now))


def update_identity(
    session: Session,
    values: Mapping[str, Any],
    *,
    organizer: Organizer | None = None,
) -> list[str]:
    """Set the given fields (others are kept); return the names of those that changed.

    Raises rules.IdentityError, naming every field that cannot be saved, having written
    nothing. organizer: who did it (recorded in the audit trail); None for the command
    line without --by. The caller commits, then calls identity.changed().
    """
    cleaned = rules.checked(values)
    row = _row(session)
    changed = [name for name, text in cleaned.items() if getattr(row, name) != text]
    for name in changed:
        setattr(row, name, cleaned[name])
    if changed:
        _record(session, row, changed, organizer, utcnow())
    session.flush()
    return changed


def set_logo(session: Session, logo: Logo | None, *, organizer: Organizer | None = None) -> bool:
    """Put in a new logo (processed by logo.process_logo), or remove it with None.

    Returns whether anything changed. The caller commits, then calls identity.changed().
    """
    row = _row(session)
    sha256 = logo.sha256 if logo is not None else ""
    if row.logo_sha256 == sha256:
        return False
    row.logo_png = logo.png if logo is not None else None
    row.logo_sha256 = sha256
    row.logo_width = logo.width if logo is not None else 0
    row.logo_height = logo.height if logo is not None else 0
    _record(session, row, ["logo"], organizer, utcnow())
    session.flush()
    return True


@dataclass(frozen=True)
class StoredLogo:
    png: bytes
    sha256: str


def stored_logo(session: Session) -> StoredLogo | None:
    """Return the logo's PNG and its hash, or None without a logo."""
    row = session.execute(
        sa.select(Organization.logo_png, Organization.logo_sha256).where(Organization.id == 1)
    ).one_or_none()
    if row is None or row.logo_png is None or not row.logo_sha256:
        return None
    return StoredLogo(bytes(row.logo_png), row.logo_sha256)


@dataclass(frozen=True)
class Change:
    """One line of the identity's history: who changed which field, when."""

    email: str
    field: str
    at: datetime


def recent_changes(session: Session, limit: int = 10) -> list[Change]:
    """Return the latest changes made by organizers, newest first (from the audit trail)."""
    rows = session.execute(
        sa.select(Organizer.email, AuditEvent.action, AuditEvent.created_at)
        .join(Organizer, Organizer.id == AuditEvent.organizer_id)
        .where(AuditEvent.action.startswith(ACTION_PREFIX))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [Change(email, action.removeprefix(ACTION_PREFIX), at) for email, action, at in rows]

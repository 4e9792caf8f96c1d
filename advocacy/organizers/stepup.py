"""Asking again before contacts leave: a passkey or code proved in the last few minutes.

Exporting supporters' contacts needs more than a session that may have been opened hours
ago on a shared machine: the browser must have proved a passkey or a one-time code within
FRESH_MINUTES, when signing in with one or when asked again. An account with neither (only
possible while ORGANIZERS_REQUIRE_2FA is off) is asked for its password again, and told to
add a passkey. The time is kept on the session's row, so it belongs to that browser alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.db import begin_write
from advocacy.models import Organizer, OrganizerSession, as_utc, utcnow
from advocacy.organizers import accounts
from advocacy.organizers.passkeys import passkeys_of, passwords_allowed

FRESH_MINUTES = 5

Method = Literal["passkey", "code", "password"]


def is_fresh(session: Session, token: str, now: datetime | None = None) -> bool:
    """Tell whether this session proved a passkey or code within FRESH_MINUTES."""
    when = session.scalar(
        sa.select(OrganizerSession.stepped_up_at).where(
            OrganizerSession.token_hash == accounts.token_hash(token)
        )
    )
    if when is None:
        return False
    return as_utc(when) > (now or utcnow()) - timedelta(minutes=FRESH_MINUTES)


def methods(session: Session, organizer: Organizer) -> list[Method]:
    """The ways this organizer may be asked again: passkey, code; password only if neither."""
    found: list[Method] = []
    if passkeys_of(session, organizer.id):
        found.append("passkey")
    if organizer.totp_secret is not None:
        found.append("code")
    if not found and passwords_allowed(session):
        found.append("password")
    return found


def mark(session: Session, organizer: Organizer, token: str, method: Method) -> None:
    """Record that this session has just been asked again, audited; the caller commits."""
    begin_write(session)
    session.execute(
        sa.update(OrganizerSession)
        .where(OrganizerSession.token_hash == accounts.token_hash(token))
        .values(stepped_up_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    accounts.record_event(session, organizer.id, f"step-up for export ({method})", None)


def confirm(session: Session, organizer: Organizer, token: str, answer: str) -> bool:
    """Check a code (or, for an account with neither factor, a password) and mark the
    session; False if wrong, having recorded nothing (the caller rolls back)."""
    allowed = methods(session, organizer)
    if "code" in allowed and accounts.confirm_code(session, organizer, answer):
        mark(session, organizer, token, "code")
        return True
    if "password" in allowed and accounts.confirm_password(organizer, answer):
        mark(session, organizer, token, "password")
        return True
    return False

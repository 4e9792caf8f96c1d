"""Organizer accounts: passwords (argon2), one-time codes (TOTP), sign-in, the audit trail.

Plain functions on a session; the views and the CLI call them, and so do the tests.
Functions that write flush or commit as they say; nothing here knows about requests.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Literal

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from advocacy.db import begin_write
from advocacy.models import ORGANIZER_EMAIL_MAX, AuditEvent, Organizer, utcnow

PASSWORD_MIN = 12
PASSWORD_MAX = 1024  # argon2 takes any length; this only bounds the work per attempt
TOTP_ISSUER = "Advocacy organizers"
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()
_dummy_hash: str | None = None


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def normalize_email(email: str) -> str:
    """Return the form an organizer's address is stored and looked up in."""
    return email.strip().lower()


def check_password(password: str) -> None:
    """Raise AccountError for a password that is too short or too long."""
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"The password must be at least {PASSWORD_MIN} characters long.")
    if len(password) > PASSWORD_MAX:
        raise AccountError(f"The password must be at most {PASSWORD_MAX} characters long.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy() -> str:
    """A hash to verify against when the email is unknown, so both take as long."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("no organizer has this password, ever")
    return _dummy_hash


def find_organizer(session: Session, email: str) -> Organizer | None:
    return session.scalar(sa.select(Organizer).where(Organizer.email == normalize_email(email)))


def create_organizer(session: Session, email: str, password: str) -> Organizer:
    """Add an active organizer and commit; AccountError for a bad address or password."""
    address = normalize_email(email)
    if not _EMAIL_SHAPE.match(address) or len(address) > ORGANIZER_EMAIL_MAX:
        raise AccountError(f"{email!r} is not an email address.")
    check_password(password)
    password_hash = hash_password(password)
    begin_write(session)
    if find_organizer(session, address) is not None:
        session.rollback()
        raise AccountError(f"An organizer with the address {address} already exists.")
    organizer = Organizer(email=address, password_hash=password_hash, active=True)
    session.add(organizer)
    session.commit()
    return organizer


def list_organizers(session: Session) -> list[Organizer]:
    return list(session.scalars(sa.select(Organizer).order_by(Organizer.email)))


def disable_organizer(session: Session, email: str) -> Organizer:
    """Disable the account and end its sessions at their next request; commit."""
    begin_write(session)
    organizer = find_organizer(session, email)
    if organizer is None:
        session.rollback()
        raise AccountError(f"No organizer has the address {normalize_email(email)}.")
    organizer.active = False
    organizer.session_version += 1
    session.commit()
    return organizer


def enroll_totp(session: Session, email: str) -> str:
    """Give the organizer a new TOTP secret (replacing any) and return its otpauth:// URI."""
    begin_write(session)
    organizer = find_organizer(session, email)
    if organizer is None:
        session.rollback()
        raise AccountError(f"No organizer has the address {normalize_email(email)}.")
    organizer.totp_secret = pyotp.random_base32()
    organizer.totp_last_step = None
    # Sessions opened before the second factor existed end too.
    organizer.session_version += 1
    session.commit()
    return pyotp.TOTP(organizer.totp_secret).provisioning_uri(
        name=organizer.email, issuer_name=TOTP_ISSUER
    )


def totp_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int:
    """Return the time step the code belongs to (now, or one step either side), or -1.

    A step at or before last_step is refused: each code works once.
    """
    code = re.sub(r"\s", "", code)
    if not re.fullmatch(r"[0-9]{6}", code):
        return -1
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    for offset in (0, -1, 1):
        at = moment + offset * totp.interval
        step = totp.timecode(at)
        if pyotp.utils.strings_equal(totp.at(at), code) and (
            last_step is None or step > last_step
        ):
            return int(step)
    return -1


Refusal = Literal["credentials", "code_needed", "code_wrong", "needs_2fa"]


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the organizer, or why not."""

    organizer: Organizer | None
    refusal: Refusal | None = None


def authenticate(
    session: Session, email: str, password: str, code: str, require_2fa: bool
) -> SignIn:
    """Check an organizer's password (and code); on success record the sign-in and commit.

    An unknown address, a disabled account and a wrong password are the same refusal, and
    take as long (a dummy hash is verified when no account matches). Only someone who knows
    the password learns that a code is needed, or that two-step sign-in is required.
    """
    organizer = find_organizer(session, email)
    if organizer is None or not organizer.active:
        _verify(_dummy(), password)
        return SignIn(None, "credentials")
    if not _verify(organizer.password_hash, password):
        return SignIn(None, "credentials")
    if organizer.totp_secret is None:
        if require_2fa:
            return SignIn(None, "needs_2fa")
        step = None
    else:
        if not code.strip():
            return SignIn(None, "code_needed")
        step = totp_step(organizer.totp_secret, code, organizer.totp_last_step)
        if step < 0:
            return SignIn(None, "code_wrong")
    begin_write(session)
    organizer = session.get(Organizer, organizer.id, populate_existing=True)
    if organizer is None or not organizer.active:
        session.rollback()
        return SignIn(None, "credentials")
    if step is not None:
        if organizer.totp_last_step is not None and step <= organizer.totp_last_step:
            session.rollback()
            return SignIn(None, "code_wrong")
        organizer.totp_last_step = step
    if _hasher.check_needs_rehash(organizer.password_hash):
        organizer.password_hash = hash_password(password)
    session.add(AuditEvent(organizer_id=organizer.id, action="sign-in", created_at=utcnow()))
    session.commit()
    return SignIn(organizer)


def active_organizer(session: Session, organizer_id: int, version: int) -> Organizer | None:
    """Return the organizer a session names, if still active and the session still valid."""
    organizer = session.get(Organizer, organizer_id)
    if organizer is None or not organizer.active or organizer.session_version != version:
        return None
    return organizer


def record_event(session: Session, organizer_id: int, action: str, slug: str | None) -> None:
    """Write one audit event and commit. action names what was done, never whose data."""
    begin_write(session)
    session.add(
        AuditEvent(
            organizer_id=organizer_id, action=action, campaign_slug=slug, created_at=utcnow()
        )
    )
    session.commit()


def recent_events(
    session: Session, slug: str, prefix: str = "export", limit: int = 10
) -> list[tuple[str, str, object]]:
    """Return (organizer email, action, when) of the campaign's latest events, newest first."""
    rows = session.execute(
        sa.select(Organizer.email, AuditEvent.action, AuditEvent.created_at)
        .join(Organizer, Organizer.id == AuditEvent.organizer_id)
        .where(AuditEvent.campaign_slug == slug, AuditEvent.action.startswith(prefix))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [(email, action, when) for email, action, when in rows]

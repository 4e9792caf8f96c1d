"""Organizer accounts: passwords (argon2), one-time codes (TOTP), sign-in, sessions, audit.

Plain functions on a session; the views and the CLI call them, and so do the tests.
Functions that write add and flush, and the caller commits (docs/architecture.md,
*Transactions*); one that refuses raises, or returns the refusal, having written nothing.
Nothing here knows about requests.

A signed-in browser holds a random token in its session cookie; the database keeps the
token's SHA-256 (organizer_sessions) and every request looks it up, so signing out,
disabling an account or giving it a new one-time-code secret ends sessions at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Literal

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from advocacy.db import begin_write
from advocacy.models import ORGANIZER_EMAIL_MAX, AuditEvent, Organizer, OrganizerSession, utcnow

PASSWORD_MIN = 12
PASSWORD_MAX = 1024  # argon2 takes any length; this only bounds the work per attempt
TOTP_ISSUER = "Advocacy organizers"
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()


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


@cache
def _dummy() -> str:
    """A hash to verify against when the email is unknown, so both take as long."""
    return _hasher.hash("no organizer has this password, ever")


def find_organizer(session: Session, email: str) -> Organizer | None:
    return session.scalar(sa.select(Organizer).where(Organizer.email == normalize_email(email)))


def check_email(email: str) -> str:
    """Return the address as stored; AccountError if it is not an email address."""
    address = normalize_email(email)
    if not _EMAIL_SHAPE.match(address) or len(address) > ORGANIZER_EMAIL_MAX:
        raise AccountError(f"{email!r} is not an email address.")
    return address


def create_organizer(
    session: Session, email: str, password: str, *, owner: bool = False
) -> Organizer:
    """Add an active organizer (the caller commits); AccountError for a bad address or password.

    owner: may do everything (roles.py); otherwise they may touch only the campaigns
    their roles name. The command line makes owners; invitations say which.
    """
    address = check_email(email)
    check_password(password)
    password_hash = hash_password(password)
    begin_write(session)
    if find_organizer(session, address) is not None:
        raise AccountError(f"An organizer with the address {address} already exists.")
    organizer = Organizer(email=address, password_hash=password_hash, active=True, owner=owner)
    session.add(organizer)
    session.flush()
    return organizer


def list_organizers(session: Session) -> list[Organizer]:
    return list(session.scalars(sa.select(Organizer).order_by(Organizer.email)))


def disable_organizer(session: Session, email: str) -> Organizer:
    """Disable the account and end every one of its sessions (the caller commits)."""
    begin_write(session)
    organizer = find_organizer(session, email)
    if organizer is None:
        raise AccountError(f"No organizer has the address {normalize_email(email)}.")
    organizer.active = False
    _end_all_sessions(session, organizer.id)
    session.flush()
    return organizer


def enroll_totp(session: Session, email: str) -> str:
    """Give the organizer a new TOTP secret (replacing any) and return its otpauth:// URI.

    The caller commits.
    """
    begin_write(session)
    organizer = find_organizer(session, email)
    if organizer is None:
        raise AccountError(f"No organizer has the address {normalize_email(email)}.")
    organizer.totp_secret = pyotp.random_base32()
    organizer.totp_last_step = None
    # Sessions opened before the second factor existed end too.
    _end_all_sessions(session, organizer.id)
    session.flush()
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
    """The outcome of a sign-in attempt: the organizer and their session's token, or why not."""

    organizer: Organizer | None
    refusal: Refusal | None = None
    token: str | None = None


def authenticate(
    session: Session,
    email: str,
    password: str,
    code: str,
    require_2fa: bool,
    lifetime: timedelta = timedelta(hours=8),
) -> SignIn:
    """Check an organizer's password (and code); on success open a session.

    On success the session and an audit event are added (the caller commits); a refusal
    has written nothing (the caller rolls back, ending the writing transaction).

    An unknown address, a disabled account and a wrong password are the same refusal, and
    take as long (a dummy hash is verified when no account matches). Only someone who knows
    the password learns that a code is needed, or that two-step sign-in is required. A
    one-time code's step is claimed in the database, so one code opens one session even
    when two sign-ins race with it. lifetime: sessions older than this are cleared away.
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
    # A stronger hash for an old one, computed before the write begins (it is slow).
    rehash = None
    if _hasher.check_needs_rehash(organizer.password_hash):
        rehash = hash_password(password)
    organizer_id = organizer.id
    begin_write(session)
    if step is not None:
        if not _claim_step(session, organizer_id, step):
            return SignIn(None, "code_wrong")
    elif not session.scalar(sa.select(Organizer.active).where(Organizer.id == organizer_id)):
        return SignIn(None, "credentials")  # disabled while the password was being checked
    if rehash is not None:
        session.execute(
            sa.update(Organizer).where(Organizer.id == organizer_id).values(password_hash=rehash)
        )
    # A code just given counts as asking again (stepup.py); a password alone does not.
    token = _open_session(session, organizer_id, lifetime, stepped_up=step is not None)
    session.add(AuditEvent(organizer_id=organizer_id, action="sign-in", created_at=utcnow()))
    session.flush()
    return SignIn(organizer, token=token)


def confirm_code(session: Session, organizer: Organizer, code: str) -> bool:
    """Check a one-time code given again (stepup.py) and claim its step; the caller commits."""
    if organizer.totp_secret is None:
        return False
    step = totp_step(organizer.totp_secret, code, organizer.totp_last_step)
    if step < 0:
        return False
    organizer_id = organizer.id
    begin_write(session)
    return _claim_step(session, organizer_id, step)


def confirm_password(organizer: Organizer, password: str) -> bool:
    """Check the organizer's password given again (stepup.py: accounts with no other factor)."""
    return len(password) <= PASSWORD_MAX and _verify(organizer.password_hash, password)


def _claim_step(session: Session, organizer_id: int, step: int) -> bool:
    """Record the code's time step as used, if no sign-in has used it (or a later one) yet.

    One conditional UPDATE: of two sign-ins racing with the same code, the second finds
    the row already moved on (PostgreSQL re-checks the condition after the first commits;
    SQLite lets one writer at a time) and changes nothing.
    """
    claimed = session.execute(
        sa.update(Organizer)
        .where(
            Organizer.id == organizer_id,
            Organizer.active.is_(True),
            sa.or_(Organizer.totp_last_step.is_(None), Organizer.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(claimed, "rowcount", 0) or 0) == 1


# --- sessions -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    session: Session,
    organizer_id: int,
    lifetime: timedelta,
    *,
    stepped_up: bool = False,
    action: str = "sign-in",
) -> str:
    """Open a session for the organizer (an accepted invitation, a passkey); return its token.

    stepped_up: the browser has just proved a passkey (stepup.py). The caller commits.
    """
    begin_write(session)
    token = _open_session(session, organizer_id, lifetime, stepped_up=stepped_up)
    session.add(AuditEvent(organizer_id=organizer_id, action=action, created_at=utcnow()))
    session.flush()
    return token


def _open_session(
    session: Session, organizer_id: int, lifetime: timedelta, *, stepped_up: bool = False
) -> str:
    """Add a session row for the organizer (clearing their expired ones); return its token."""
    now = utcnow()
    session.execute(
        sa.delete(OrganizerSession).where(
            OrganizerSession.organizer_id == organizer_id,
            OrganizerSession.created_at < now - lifetime,
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        OrganizerSession(
            organizer_id=organizer_id,
            token_hash=token_hash(token),
            created_at=now,
            stepped_up_at=now if stepped_up else None,
        )
    )
    return token


def session_organizer(
    session: Session, token: str, lifetime: timedelta, now: datetime | None = None
) -> Organizer | None:
    """Return the active organizer whose session has this token, if it has not expired."""
    if not token or len(token) > 128:
        return None
    since = (now or utcnow()) - lifetime
    return session.scalar(
        sa.select(Organizer)
        .join(OrganizerSession, OrganizerSession.organizer_id == Organizer.id)
        .where(
            OrganizerSession.token_hash == token_hash(token),
            OrganizerSession.created_at > since,
            Organizer.active.is_(True),
        )
    )


def end_session(session: Session, token: str) -> None:
    """Delete the session with this token (signing out); the caller commits."""
    begin_write(session)
    session.execute(
        sa.delete(OrganizerSession).where(OrganizerSession.token_hash == token_hash(token))
    )


def end_all_sessions(session: Session, organizer_id: int) -> None:
    """Delete every session of the organizer (disabling them); the caller commits."""
    begin_write(session)
    _end_all_sessions(session, organizer_id)


def _end_all_sessions(session: Session, organizer_id: int) -> None:
    session.execute(
        sa.delete(OrganizerSession).where(OrganizerSession.organizer_id == organizer_id)
    )


def record_event(
    session: Session,
    organizer_id: int,
    action: str,
    slug: str | None,
    subject: str | None = None,
) -> None:
    """Add one audit event (the caller commits). action names what was done, never whose data.

    subject: the organizer's address whose account or role was changed, if one was.
    """
    begin_write(session)
    session.add(
        AuditEvent(
            organizer_id=organizer_id,
            action=action,
            campaign_slug=slug,
            subject=subject,
            created_at=utcnow(),
        )
    )
    session.flush()


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

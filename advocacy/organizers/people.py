"""The organization's people: invitations, roles, disabling; what the People page does.

Owners invite organizers with a one-time link: a random token that only its SHA-256 is
kept of, good for INVITATION_HOURS, used once (claimed by a conditional UPDATE, so two
tabs racing with one link cannot both make an account). The invitee chooses their own
password (the same rules and argon2 as `accounts`) and is signed in with the roles the
invitation names. Every change to an account or a role is an audit event ("account ...",
with the changed account's address as its subject) that the People page lists.

Plain functions on a session: each adds and flushes, the caller commits; a refusal
raises `accounts.AccountError` with a message fit to show, having written nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.db import begin_write
from advocacy.models import (
    CAMPAIGN_ROLES,
    AuditEvent,
    Campaign,
    Organizer,
    OrganizerInvitation,
    as_utc,
)
from advocacy.organizers import accounts, roles
from advocacy.organizers.accounts import AccountError

INVITATION_HOURS = 72
ACTION_PREFIX = "account "
TOKEN_MAX = 128

Problem = Literal["unknown", "used", "expired"]
PROBLEMS: dict[str, str] = {
    "unknown": "This invitation link is not right. Check that you copied all of it, or ask "
    "the owner who invited you for a new one.",
    "used": "This invitation has already been used. Sign in with the password you chose, "
    "or ask an owner for a new invitation.",
    "expired": "This invitation has expired: invitations last "
    f"{INVITATION_HOURS} hours. Ask the owner who invited you to send a new one.",
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _audit(session: Session, by: int, action: str, subject: str, slug: str | None = None) -> None:
    accounts.record_event(session, by, ACTION_PREFIX + action, slug, subject=subject)


def _check_roles(session: Session, grants: Mapping[int, str]) -> dict[int, str]:
    known = set(session.scalars(sa.select(Campaign.id).where(Campaign.id.in_(list(grants)))))
    checked = {}
    for campaign_id, role in grants.items():
        if role not in CAMPAIGN_ROLES or campaign_id not in known:
            raise AccountError("That role is not one this site knows. Reload the page.")
        checked[campaign_id] = role
    return checked


def invite(
    session: Session,
    by: Organizer,
    email: str,
    owner: bool,
    grants: Mapping[int, str],
    now: datetime,
) -> str:
    """Add an invitation for the address with these roles; return its one-time token."""
    address = accounts.check_email(email)
    begin_write(session)
    if accounts.find_organizer(session, address) is not None:
        raise AccountError(f"{address} already has an account: change its roles below.")
    checked = {} if owner else _check_roles(session, grants)
    if not owner and not checked:
        raise AccountError("Give the invitation a role: owner, or a role on a campaign.")
    token = secrets.token_urlsafe(32)
    session.add(
        OrganizerInvitation(
            token_hash=_hash(token),
            email=address,
            owner=owner,
            roles={str(k): v for k, v in checked.items()},
            invited_by=by.id,
            created_at=now,
            expires_at=now + timedelta(hours=INVITATION_HOURS),
        )
    )
    session.flush()
    _audit(session, by.id, "invite as owner" if owner else "invite", address)
    return token


def find_invitation(
    session: Session, token: str, now: datetime
) -> tuple[OrganizerInvitation | None, Problem | None]:
    """Return the invitation with this token, or why it cannot be used."""
    if not token or len(token) > TOKEN_MAX:
        return None, "unknown"
    invitation = session.scalar(
        sa.select(OrganizerInvitation).where(OrganizerInvitation.token_hash == _hash(token))
    )
    if invitation is None:
        return None, "unknown"
    if invitation.used_at is not None:
        return invitation, "used"
    if as_utc(invitation.expires_at) <= now:
        return invitation, "expired"
    return invitation, None


def accept(
    session: Session, token: str, password: str, now: datetime, lifetime: timedelta
) -> tuple[Organizer, str]:
    """Use the invitation: make the account with its roles, open a session; return both.

    AccountError (with PROBLEMS' words, or the password rule's) when it cannot be used.
    """
    invitation, problem = find_invitation(session, token, now)
    if problem is not None or invitation is None:
        raise AccountError(PROBLEMS[problem or "unknown"])
    accounts.check_password(password)
    begin_write(session)
    claimed = session.execute(
        sa.update(OrganizerInvitation)
        .where(
            OrganizerInvitation.id == invitation.id,
            OrganizerInvitation.used_at.is_(None),
            OrganizerInvitation.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(claimed, "rowcount", 0) or 0) != 1:
        raise AccountError(PROBLEMS["used"])
    organizer = accounts.create_organizer(
        session, invitation.email, password, owner=invitation.owner
    )
    grants = {int(k): v for k, v in invitation.roles.items()}
    # Campaigns deleted since the invitation was made are left out.
    present = set(session.scalars(sa.select(Campaign.id).where(Campaign.id.in_(list(grants)))))
    roles.set_roles(session, organizer.id, {k: v for k, v in grants.items() if k in present})
    _audit(session, organizer.id, "created from invitation", organizer.email)
    session_token = accounts.open_session(session, organizer.id, lifetime)
    return organizer, session_token


def _other(session: Session, organizer_id: int) -> Organizer:
    organizer = session.get(Organizer, organizer_id)
    if organizer is None:
        raise AccountError("No such organizer. Reload the page.")
    return organizer


def _owners_left(session: Session, without: int) -> int:
    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Organizer)
            .where(Organizer.owner.is_(True), Organizer.active.is_(True), Organizer.id != without)
        )
        or 0
    )


def set_active(session: Session, by: Organizer, organizer_id: int, active: bool) -> Organizer:
    """Disable (ending every session at once) or enable an organizer; audited."""
    begin_write(session)
    organizer = _other(session, organizer_id)
    if organizer.id == by.id:
        raise AccountError("You cannot disable your own account. Ask another owner.")
    if organizer.active == active:
        return organizer
    organizer.active = active
    if not active:
        accounts.end_all_sessions(session, organizer.id)
    session.flush()
    _audit(session, by.id, "enable" if active else "disable", organizer.email)
    return organizer


def change_roles(
    session: Session,
    by: Organizer,
    organizer_id: int,
    owner: bool,
    grants: Mapping[int, str],
) -> list[str]:
    """Make the organizer an owner, or give them exactly these campaign roles; audited.

    Returns the changes in words ([] when nothing changed).
    """
    begin_write(session)
    organizer = _other(session, organizer_id)
    checked = _check_roles(session, grants)
    if organizer.owner and not owner and _owners_left(session, organizer.id) == 0:
        raise AccountError("The site needs an active owner: make someone else an owner first.")
    changes = []
    if organizer.owner != owner:
        organizer.owner = owner
        session.flush()
        action = "owner" if owner else "owner removed"
        _audit(session, by.id, action, organizer.email)
        changes.append(action)
    for action, slug in roles.set_roles(session, organizer.id, checked):
        _audit(session, by.id, action, organizer.email, slug)
        changes.append(f"{action} on {slug}")
    return changes


@dataclass(frozen=True)
class AccountEvent:
    by: str
    action: str
    subject: str
    slug: str | None
    at: datetime


def recent_account_events(session: Session, limit: int = 20) -> list[AccountEvent]:
    """Return the latest changes to accounts and roles, newest first."""
    rows = session.execute(
        sa.select(
            Organizer.email,
            AuditEvent.action,
            AuditEvent.subject,
            AuditEvent.campaign_slug,
            AuditEvent.created_at,
        )
        .join(Organizer, Organizer.id == AuditEvent.organizer_id)
        .where(AuditEvent.action.startswith(ACTION_PREFIX))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [
        AccountEvent(by, action.removeprefix(ACTION_PREFIX), subject or "", slug, at)
        for by, action, subject, slug, at in rows
    ]


def pending_invitations(session: Session, now: datetime) -> list[OrganizerInvitation]:
    """Return the invitations not yet used nor expired, newest first."""
    return list(
        session.scalars(
            sa.select(OrganizerInvitation)
            .where(OrganizerInvitation.used_at.is_(None), OrganizerInvitation.expires_at > now)
            .order_by(OrganizerInvitation.created_at.desc())
        )
    )

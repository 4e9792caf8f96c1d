"""The organizers: accounts, roles, invitations, sessions, passkeys, the audit trail and
the confirmations of changed maps."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.db import Base
from advocacy.models.common import (
    ORGANIZER_EMAIL_MAX,
    utcnow,
)

AUDIT_ACTION_MAX = 64


class Organizer(Base):
    """A person who may see a campaign's results and export its supporters."""

    __tablename__ = "organizers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored normalised (trimmed, lower case): one account per address, whatever the case.
    email: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Base32 TOTP secret; None: the organizer signs in with a password alone.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    # The last TOTP time step accepted, so a code cannot be used twice (claimed by a
    # conditional UPDATE: two sign-ins racing with one code cannot both win).
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # An owner may do everything: accounts, the organization's identity, every campaign.
    # Anyone else may touch only the campaigns an OrganizerRole gives them.
    owner: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


# What a role on one campaign allows (advocacy/organizers/roles.py decides).
CAMPAIGN_ROLES = ("editor", "viewer")


class OrganizerRole(Base):
    """One organizer's role on one campaign: editor (edit, publish) or viewer (counts)."""

    __tablename__ = "organizer_roles"
    __table_args__ = (
        sa.UniqueConstraint("organizer_id", "campaign_id"),
        sa.CheckConstraint("role IN ('editor', 'viewer')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(8))


class OrganizerInvitation(Base):
    """A one-time link an owner made for a new organizer: only the token's SHA-256 is kept.

    roles maps campaign ids (as strings) to "editor" or "viewer"; owner gives everything.
    Used once (used_at), and not after expires_at.
    """

    __tablename__ = "organizer_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX))
    owner: Mapped[bool] = mapped_column(default=False)
    roles: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    invited_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class OrganizerSession(Base):
    """One signed-in browser of an organizer; checked on every request, deleted at sign-out.

    The browser's session cookie holds a random token; only its SHA-256 is kept here, so
    a copy of this table opens nothing. Signing out deletes the row, and disabling an
    account (or giving it a new one-time-code secret) deletes all of its rows: a copied
    cookie is worth nothing from then on.
    """

    __tablename__ = "organizer_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # When this browser last proved a passkey or a one-time code (signing in with one, or
    # asked again): exporting contacts needs it recent (advocacy/organizers/stepup.py).
    stepped_up_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


PASSKEY_NAME_MAX = 60
PASSKEY_ID_MAX = 1023  # WebAuthn's limit on a credential id's length, in bytes


class OrganizerPasskey(Base):
    """A passkey (WebAuthn credential) an organizer signs in with: its public key only."""

    __tablename__ = "organizer_passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="CASCADE"), index=True
    )
    credential_id: Mapped[bytes] = mapped_column(sa.LargeBinary(PASSKEY_ID_MAX), unique=True)
    public_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # The authenticator's counter as last seen (0: it keeps none, as synced passkeys do).
    sign_count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    # How the browser can reach it ("internal,hybrid"), given back when asking for it.
    transports: Mapped[str] = mapped_column(sa.String(200), default="")
    # The organizer's own name for it ("Laptop", "Phone").
    name: Mapped[str] = mapped_column(sa.String(PASSKEY_NAME_MAX))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class WebAuthnChallenge(Base):
    """A challenge handed to a browser for one passkey ceremony: used once, then deleted.

    Only its SHA-256 is kept. organizer_id: whose ceremony (adding a passkey, a step-up);
    None for signing in, where the passkey itself says whose it is.
    """

    __tablename__ = "webauthn_challenges"
    __table_args__ = (
        sa.CheckConstraint("purpose IN ('register', 'sign-in', 'step-up')", name="purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(8))
    organizer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="CASCADE")
    )
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)


class SignInSettings(Base):
    """How organizers may sign in: one row (id 1), written by an owner; none means defaults."""

    __tablename__ = "sign_in_settings"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # False: passkeys only (the email, password and code form is refused).
    passwords: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Who last changed it: an organizer's address, or "the command line".
    updated_by: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX), default="")


class AuditEvent(Base):
    """Who did what to which campaign, and when. Never any supporter's data."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_campaign_slug_created_at", "campaign_slug", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id"))
    action: Mapped[str] = mapped_column(sa.String(AUDIT_ACTION_MAX))
    campaign_slug: Mapped[str | None] = mapped_column(sa.String(64))
    # Whose account a change to accounts and roles was made to (an organizer's address).
    subject: Mapped[str | None] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class MapConfirmation(Base):
    """An organizer's word that one flagged row of the changed-states table is right.

    It confirms the row's `lines` as it stood then: if the table is later edited to say
    otherwise, the confirmation no longer matches and the row asks to be checked again.
    Kept as history; the latest for a Congress and state is the one that counts.
    """

    __tablename__ = "map_confirmations"
    __table_args__ = (sa.CheckConstraint("lines IN ('new', 'previous')", name="lines"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress: Mapped[int] = mapped_column(sa.SmallInteger)
    state: Mapped[str] = mapped_column(sa.String(2))
    # "new" or "previous", as in map_changes.toml when it was confirmed.
    lines: Mapped[str] = mapped_column(sa.String(8))
    # The row's plan as it read then, for the record.
    plan: Mapped[str] = mapped_column(sa.Text, default="")
    organizer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizers.id"))
    # The organizer's address at the time (accounts keep theirs; this is what they were).
    organizer_email: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX))
    confirmed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

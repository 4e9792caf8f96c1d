"""The tables, as typed SQLAlchemy 2.0 models. Alembic migrations must match these."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from advocacy.db import Base

# Field limits, shared by the forms, the API and the columns.
NAME_MAX = 100
EMAIL_MAX = 254
CITY_MAX = 100
STREET_MAX = 200
NOTE_MAX = 2000
REF_MAX = 64


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Return a stored time as an aware UTC datetime (SQLite hands back naive ones)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class PledgeCounter(Base):
    """One share of a campaign's pledge count; the count is the sum of its shares.

    Every pledge adds one to a share in the same transaction. Each database connection
    writes to its own share (a slot), so concurrent pledges do not queue on one row's
    lock while each waits for its commit to reach the disk (advocacy/pledges/tallies.py).
    """

    __tablename__ = "pledge_counters"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    pledges: Mapped[int]
    # When this share last changed: the public stats' updated_at.
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


# A campaign's status: a draft has never been published and is shown to nobody but
# organizers; a live one is served; a closed one says it has ended and takes no pledges.
CAMPAIGN_STATUSES = ("draft", "live", "closed")


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        sa.CheckConstraint("status IN ('draft', 'live', 'closed')", name="status"),
        # One campaign at most is the home page's ("/"): the database says so, not only the code.
        sa.Index(
            "uq_campaigns_one_home",
            "is_default",
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    goal: Mapped[int]
    is_default: Mapped[bool] = mapped_column(default=False)
    # The whole campaign file (story, ask, bill, letter material) as published: what the
    # public pages and the letters use. Drafts live in campaign_versions until published.
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # When the campaign's content was last published (loaded, or published in the editor).
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(8), default="live", server_default="live")
    # The number of the version `content` is (CampaignVersion.number); None for a draft.
    published_version: Mapped[int | None]

    # Read with the campaign: the sum of its counter's shares, kept with each pledge in
    # the same transaction, so counting never scans pledges.
    pledge_count: Mapped[int] = column_property(
        sa.select(sa.func.coalesce(sa.func.sum(PledgeCounter.pledges), 0))
        .where(PledgeCounter.campaign_id == id)
        .correlate_except(PledgeCounter)
        .scalar_subquery()
    )
    # When the count last changed; None before the first pledge.
    counted_at: Mapped[datetime | None] = column_property(
        sa.select(sa.func.max(PledgeCounter.updated_at))
        .where(PledgeCounter.campaign_id == id)
        .correlate_except(PledgeCounter)
        .scalar_subquery()
    )

    pledges: Mapped[list[Pledge]] = relationship(back_populates="campaign")


class Pledge(Base):
    __tablename__ = "pledges"
    # The database, not the application, guarantees one pledge per person per campaign,
    # so concurrent double submits cannot both land.
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "email_hash"),
        # The organizers' dashboard groups one campaign's pledges by day, seat and partner.
        sa.Index("ix_pledges_campaign_id_created_at", "campaign_id", "created_at"),
        sa.Index("ix_pledges_campaign_id_state_district", "campaign_id", "state", "district"),
        sa.Index("ix_pledges_campaign_id_ref", "campaign_id", "ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    # No name or email in clear (advocacy/pledges/sealing.py): the email's HMAC under the
    # hash key, for one pledge per person; and, only for a supporter who agreed to be
    # contacted, their name and email sealed to the organization's public key.
    email_hash: Mapped[str] = mapped_column(sa.String(64))
    sealed_contact: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    zip: Mapped[str] = mapped_column(sa.String(5))
    city: Mapped[str] = mapped_column(sa.String(CITY_MAX), default="")
    state: Mapped[str | None] = mapped_column(sa.String(2))
    district: Mapped[int | None]
    # The Congress whose map `district` is on: numbers change meaning when maps are redrawn.
    congress: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # No note: a supporter's words go into their letters, and are kept only when they
    # agreed to have them quoted, apart from the pledge (PledgeQuote).
    consent: Mapped[bool] = mapped_column(default=False)
    ref: Mapped[str] = mapped_column(sa.String(REF_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    # When the supporter confirmed the pledge from their mailbox; None until then. Only a
    # confirmed pledge is counted (the counter and tallies) or shown to organizers.
    confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship(back_populates="pledges")


def pledge_counted() -> sa.ColumnElement[bool]:
    """The condition on pledges that every count and list of supporters applies."""
    return Pledge.confirmed_at.is_not(None)


class PledgeKey(Base):
    """The SHA-256 of one code mailed to a supporter: to confirm their pledge, or withdraw it.

    Each email carries codes of its own, so every link a supporter has received keeps
    working (until used, for a confirmation); the codes themselves are not kept.
    """

    __tablename__ = "pledge_keys"
    __table_args__ = (sa.CheckConstraint("purpose IN ('confirm', 'withdraw')", name="purpose"),)

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pledges.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class OutboxMail(Base):
    """An email to a supporter about their pledge, written with it and deleted once sent.

    It names the pledge, so a withdrawn or expired pledge takes its unsent mail with it,
    and carries its recipient encrypted under a key derived from the secret key (the
    pledge keeps no address). The codes are here, in clear, only until the mail is sent
    (the pledge keys keep their hashes).
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (sa.CheckConstraint("kind IN ('confirm', 'signed')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pledges.id", ondelete="CASCADE"), index=True
    )
    # "confirm": confirm (or withdraw) this pledge; "signed": it was already confirmed.
    kind: Mapped[str] = mapped_column(sa.String(8))
    confirm_code: Mapped[str | None] = mapped_column(sa.String(32))
    withdraw_code: Mapped[str] = mapped_column(sa.String(32))
    # The name and address to write to, as advocacy/pledges/sealing.py seal_recipient.
    recipient: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # The language tag of the page the pledge was made on ("ug"), to write the email in;
    # None: English (and every row from before languages).
    language: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # The sender takes mail due by then; a claim moves it forward while it sends.
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # Why the last attempt failed (an SMTP code or error class; never an address).
    last_error: Mapped[str] = mapped_column(sa.String(200), default="")


class MailBudget(Base):
    """How many emails went to one address today, so nobody can mail-bomb through us.

    Keyed by an HMAC of the address under the app's secret key, not the address.
    """

    __tablename__ = "mail_budgets"

    address_key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    sent: Mapped[int]


# The tallies: a campaign's pledges counted by day, by seat and by partner, kept in the
# same transaction as each pledge (advocacy/pledges/tallies.py), so the organizers'
# dashboard reads a few hundred rows however many pledges there are. Their keys are
# NOT NULL (a unique key treats NULLs as all different): "not known" is stored as the
# values in tallies.py (NO_STATE, NO_DISTRICT, NO_CONGRESS). Like the counter, each is
# kept in shares (slots), one per database connection, summed when read.


class DayTally(Base):
    """A campaign's pledges made on one UTC day."""

    __tablename__ = "pledge_tallies_by_day"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    pledges: Mapped[int]
    consented: Mapped[int]  # of which agreed to be contacted


class SeatTally(Base):
    """A campaign's pledges from one district, on the map of the Congress they were made in."""

    __tablename__ = "pledge_tallies_by_seat"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    district: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    congress: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    pledges: Mapped[int]


class RefTally(Base):
    """A campaign's pledges that came through one partner ("" for those that came directly)."""

    __tablename__ = "pledge_tallies_by_ref"

    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    ref: Mapped[str] = mapped_column(sa.String(REF_MAX), primary_key=True)
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    pledges: Mapped[int]


class SupporterVisit(Base):
    """What one supporter typed, sealed, kept server-side for their results page.

    `sealed` holds what they typed and the members found, encrypted under a key that
    only their browser holds (advocacy/pledges/visits.py): the server cannot open it
    alone. A long note in a non-Latin script would not fit in a cookie, and a repeat
    pledge must show what this person typed, never what the first pledge said.
    """

    __tablename__ = "supporter_visits"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    pledge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pledges.id", ondelete="SET NULL"))
    pledge_created: Mapped[bool]
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)


class PledgeQuote(Base):
    """A supporter's own words, kept because they agreed to have them quoted, without
    their name, to their members' offices (the pledge form's `quote`).

    Deliberately not linked to its pledge: no pledge id, no email, no time finer than
    the day. So it cannot name who wrote it, and a withdrawal cannot find it either
    (the form says so); `advocacy pledges purge` deletes it after RETENTION_DAYS.
    """

    __tablename__ = "pledge_quotes"
    __table_args__ = (sa.Index("ix_pledge_quotes_campaign_id_state", "campaign_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    state: Mapped[str | None] = mapped_column(sa.String(2))
    district: Mapped[int | None]
    # The Congress whose map `district` is on.
    congress: Mapped[int | None] = mapped_column(sa.SmallInteger)
    city: Mapped[str] = mapped_column(sa.String(CITY_MAX), default="")
    text: Mapped[str] = mapped_column(sa.Text)
    created_on: Mapped[date] = mapped_column(sa.Date)


ORGANIZER_EMAIL_MAX = EMAIL_MAX
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


# A version's summary: a line on the history page.
VERSION_SUMMARY_MAX = 200


class CampaignVersion(Base):
    """One saved state of a campaign's content: every save, load and rollback adds one.

    Versions are never changed or deleted, only published: the campaign's live content is
    a copy of the version its `published_version` names. Only content the campaign rules
    accept is saved, so any version can be published.
    """

    __tablename__ = "campaign_versions"
    # Two editors saving at once both try the next number: the database lets one win.
    __table_args__ = (sa.UniqueConstraint("campaign_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    # 1, 2, 3... within the campaign.
    number: Mapped[int]
    # As Campaign.content stores it (dates as ISO text).
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    summary: Mapped[str] = mapped_column(sa.String(VERSION_SUMMARY_MAX), default="")
    # Who saved it: the organizer (None from the command line) and, as it read then, their
    # address or "the command line".
    organizer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="SET NULL")
    )
    author: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # When it was published and by whom; None while it never was.
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(sa.String(ORGANIZER_EMAIL_MAX), default="")


class CampaignSlug(Base):
    """A web address a campaign had before its slug changed: it keeps answering.

    The campaign page at an old slug redirects to the new one; the API, the widget and
    the pledge, confirm and withdraw pages serve the campaign itself. A slug is either a
    campaign's own or one campaign's old one, never both (campaigns.slugs checks it).
    """

    __tablename__ = "campaign_slugs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    # When the campaign stopped using it.
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


# An event's fields (advocacy/events): limits shared by the organizers' form and the columns.
EVENT_NAME_MAX = 120
EVENT_PLACE_MAX = 200
EVENT_CODE_MAX = 8
TIME_ZONE_MAX = 64


class Event(Base):
    """A gathering where a campaign is promoted: its link, poster and pledge budget.

    Its pledges carry the ref "event-<code>" (counted by the ref tallies like a partner's),
    and while it is on, posts through its page are limited per event and address rather
    than by the per-address pledge limit (advocacy/events/schedule.py).
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    # The short address (/e/<code>): upper case, from an alphabet with no look-alikes.
    code: Mapped[str] = mapped_column(sa.String(EVENT_CODE_MAX), unique=True)
    name: Mapped[str] = mapped_column(sa.String(EVENT_NAME_MAX))
    place: Mapped[str] = mapped_column(sa.String(EVENT_PLACE_MAX))
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # The zone the organizer gave the times in: they are shown in it.
    time_zone: Mapped[str] = mapped_column(sa.String(TIME_ZONE_MAX))
    created_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizers.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

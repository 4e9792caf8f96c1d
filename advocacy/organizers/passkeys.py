"""Organizers' passkeys (WebAuthn, through py_webauthn): adding, signing in, asking again.

A passkey is a key pair on the organizer's device; the server keeps its credential id and
public key only, so a copy of the database signs no one in, and a passkey answers only to
this site's origin: a look-alike site cannot phish it. Every ceremony starts with a
random challenge, kept here as its SHA-256 until its one use (`take_challenge`) and for
CHALLENGE_SECONDS at most: an answer replayed, or made for another ceremony, is refused.

Plain functions on a session (the caller commits); the views (`passkey_views.py`) pass the
browser's JSON through, and `RelyingParty` says which site the passkeys belong to:
its RP ID (a domain, from ADVOCACY_PUBLIC_URL or ORGANIZERS_WEBAUTHN_RP_ID) and origin.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from advocacy.config import ConfigError
from advocacy.db import begin_write
from advocacy.models import (
    PASSKEY_NAME_MAX,
    Organizer,
    OrganizerPasskey,
    SignInSettings,
    WebAuthnChallenge,
    utcnow,
)
from advocacy.organizers.accounts import record_event

CHALLENGE_SECONDS = 300
# What the browser may post for one ceremony: a passkey's answer is a few kilobytes.
CREDENTIAL_JSON_MAX = 16 * 1024
RP_NAME = "Advocacy organizers"

Purpose = Literal["register", "sign-in", "step-up"]

NOT_UNDERSTOOD = "The browser's answer was not understood. Reload the page and try again."
EXPIRED = "That passkey request has expired or was already used. Reload the page and try again."
UNKNOWN = "That passkey is not registered here. Sign in another way, or use another passkey."
NOT_VERIFIED = "The passkey's answer could not be verified. Try again."


class PasskeyError(ValueError):
    """A passkey ceremony or change was refused; the message says why, for the organizer."""


# --- which site the passkeys belong to -----------------------------------------------------


@dataclass(frozen=True)
class RelyingParty:
    rp_id: str
    origin: str


def relying_party(config: Mapping[str, Any]) -> RelyingParty:
    """Derive the RP ID and origin from PUBLIC_URL (and the optional RP ID override).

    ConfigError when the override is not the public host or a domain it belongs to
    (browsers would refuse every passkey).
    """
    public_url = str(config["PUBLIC_URL"])
    parts = urlsplit(public_url)
    host = (parts.hostname or "").lower()
    origin = f"{parts.scheme}://{parts.netloc.lower()}"
    rp_id = str(config.get("ORGANIZERS_WEBAUTHN_RP_ID") or "").strip().lower() or host
    if rp_id != host and not host.endswith("." + rp_id):
        raise ConfigError(
            f"ADVOCACY_ORGANIZERS_WEBAUTHN_RP_ID must be the host of ADVOCACY_PUBLIC_URL "
            f"({host}) or a domain it is part of, not {rp_id!r}."
        )
    return RelyingParty(rp_id=rp_id, origin=origin)


def works_in_browsers(rp: RelyingParty) -> bool:
    """Tell whether browsers accept this RP ID: a domain name, never an IP address."""
    try:
        ipaddress.ip_address(rp.rp_id)
    except ValueError:
        return True
    return False


# --- challenges ----------------------------------------------------------------------------


def _challenge_hash(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def _new_challenge(session: Session, purpose: Purpose, organizer_id: int | None) -> bytes:
    begin_write(session)
    now = utcnow()
    session.execute(sa.delete(WebAuthnChallenge).where(WebAuthnChallenge.expires_at <= now))
    challenge = secrets.token_bytes(32)
    session.add(
        WebAuthnChallenge(
            challenge_hash=_challenge_hash(challenge),
            purpose=purpose,
            organizer_id=organizer_id,
            expires_at=now + timedelta(seconds=CHALLENGE_SECONDS),
        )
    )
    session.flush()
    return challenge


def take_challenge(
    session: Session, challenge: bytes, purpose: Purpose, organizer_id: int | None
) -> bool:
    """Use up the challenge if it was issued for this ceremony and is fresh; False if not.

    One conditional DELETE: of two answers racing with one challenge, one wins.
    """
    begin_write(session)
    owner = (
        WebAuthnChallenge.organizer_id.is_(None)
        if organizer_id is None
        else WebAuthnChallenge.organizer_id == organizer_id
    )
    taken = session.execute(
        sa.delete(WebAuthnChallenge)
        .where(
            WebAuthnChallenge.challenge_hash == _challenge_hash(challenge),
            WebAuthnChallenge.purpose == purpose,
            WebAuthnChallenge.expires_at > utcnow(),
            owner,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(taken, "rowcount", 0) or 0) == 1


def _client_data(response_json: str, kind: str) -> tuple[Any, Any]:
    """Parse the browser's answer; return it and its client data. PasskeyError if malformed."""
    if len(response_json) > CREDENTIAL_JSON_MAX:
        raise PasskeyError(NOT_UNDERSTOOD)
    try:
        if kind == "register":
            credential: Any = parse_registration_credential_json(response_json)
        else:
            credential = parse_authentication_credential_json(response_json)
        client_data = parse_client_data_json(credential.response.client_data_json)
    # py_webauthn's own errors, and what its parsing raises for values of the wrong type.
    except (
        InvalidJSONStructure,
        InvalidRegistrationResponse,
        InvalidAuthenticationResponse,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
    ):
        raise PasskeyError(NOT_UNDERSTOOD) from None
    return credential, client_data


def _check_origin(client_data: Any, rp: RelyingParty) -> None:
    """Refuse, saying so plainly, an answer the browser made for another site."""
    if client_data.origin != rp.origin:
        raise PasskeyError(
            f"That passkey answer was made for another site ({client_data.origin[:100]}), "
            f"not this one. Sign in only at {rp.origin}; if you followed a link to a page "
            "that looked like this one, tell your organization."
        )


# --- adding and removing ------------------------------------------------------------------


def passkeys_of(session: Session, organizer_id: int) -> list[OrganizerPasskey]:
    return list(
        session.scalars(
            sa.select(OrganizerPasskey)
            .where(OrganizerPasskey.organizer_id == organizer_id)
            .order_by(OrganizerPasskey.created_at, OrganizerPasskey.id)
        )
    )


def _descriptors(passkeys: list[OrganizerPasskey]) -> list[PublicKeyCredentialDescriptor]:
    known = {t.value for t in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=p.credential_id,
            transports=[AuthenticatorTransport(t) for t in p.transports.split(",") if t in known],
        )
        for p in passkeys
    ]


def _user_handle(organizer_id: int) -> bytes:
    # The passkey's user handle names the account, and nothing about the person.
    return f"organizer-{organizer_id}".encode()


def registration_options(session: Session, organizer: Organizer, rp: RelyingParty) -> str:
    """Return the JSON options for adding a passkey (a discoverable one, verified by the
    device's lock); the challenge is stored (the caller commits)."""
    challenge = _new_challenge(session, "register", organizer.id)
    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=RP_NAME,
        user_id=_user_handle(organizer.id),
        user_name=organizer.email,
        user_display_name=organizer.email,
        challenge=challenge,
        timeout=CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(passkeys_of(session, organizer.id)),
    )
    return options_to_json(options)


def check_name(name: str) -> str:
    """Return the passkey's name trimmed; PasskeyError if empty or too long."""
    name = " ".join(name.split())
    if not name:
        raise PasskeyError("Give the passkey a name, such as the device it is on.")
    if len(name) > PASSKEY_NAME_MAX:
        raise PasskeyError(f"A passkey's name must be at most {PASSKEY_NAME_MAX} characters.")
    return name


def add_passkey(
    session: Session, organizer: Organizer, rp: RelyingParty, name: str, response_json: str
) -> OrganizerPasskey:
    """Verify the browser's new passkey and keep it, audited (the caller commits)."""
    name = check_name(name)
    credential, client_data = _client_data(response_json, "register")
    _check_origin(client_data, rp)
    if not take_challenge(session, client_data.challenge, "register", organizer.id):
        raise PasskeyError(EXPIRED)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=client_data.challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except InvalidRegistrationResponse:
        raise PasskeyError(NOT_VERIFIED) from None
    taken = session.scalar(
        sa.select(OrganizerPasskey.id).where(
            OrganizerPasskey.credential_id == verified.credential_id
        )
    )
    if taken is not None:
        raise PasskeyError("That passkey is already registered here.")
    transports = ",".join(t.value for t in credential.response.transports or [])
    passkey = OrganizerPasskey(
        organizer_id=organizer.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=transports[:200],
        name=name,
        created_at=utcnow(),
    )
    session.add(passkey)
    session.flush()
    record_event(session, organizer.id, "passkey added", None, organizer.email)
    return passkey


def remove_passkey(session: Session, organizer: Organizer, passkey_id: int) -> str:
    """Remove one of the organizer's passkeys, audited; return its name (the caller commits).

    Refused for the last one while password sign-in is switched off: it would lock them out.
    """
    begin_write(session)
    passkey = session.scalar(
        sa.select(OrganizerPasskey).where(
            OrganizerPasskey.id == passkey_id, OrganizerPasskey.organizer_id == organizer.id
        )
    )
    if passkey is None:
        raise PasskeyError("That passkey is not one of yours, or was already removed.")
    if not passwords_allowed(session) and len(passkeys_of(session, organizer.id)) == 1:
        raise PasskeyError(
            "This is your only passkey, and password sign-in is switched off: add another "
            "passkey before removing this one, or you could not sign in again."
        )
    name = passkey.name
    session.delete(passkey)
    session.flush()
    record_event(session, organizer.id, "passkey removed", None, organizer.email)
    return name


# --- signing in and asking again ------------------------------------------------------------


def assertion_options(
    session: Session, rp: RelyingParty, purpose: Purpose, organizer_id: int | None = None
) -> str:
    """Return the JSON options for using a passkey; the challenge is stored (caller commits).

    Signing in names no passkeys (the device offers the ones it has for this site, so the
    page asks no address first); asking again names the organizer's own.
    """
    challenge = _new_challenge(session, purpose, organizer_id)
    allowed = _descriptors(passkeys_of(session, organizer_id)) if organizer_id else []
    options = generate_authentication_options(
        rp_id=rp.rp_id,
        challenge=challenge,
        timeout=CHALLENGE_SECONDS * 1000,
        allow_credentials=allowed,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json(options)


def verify_assertion(
    session: Session,
    rp: RelyingParty,
    response_json: str,
    purpose: Purpose,
    organizer_id: int | None = None,
) -> OrganizerPasskey:
    """Check the browser's passkey answer; return the passkey, its use recorded.

    PasskeyError for an answer made for another site, a challenge that is unknown, used or
    expired, a passkey not registered (or not the organizer's, when asking again, or of a
    disabled account), or a signature that does not verify. The caller commits, or rolls
    back on a refusal.
    """
    credential, client_data = _client_data(response_json, "authenticate")
    _check_origin(client_data, rp)
    if not take_challenge(session, client_data.challenge, purpose, organizer_id):
        raise PasskeyError(EXPIRED)
    passkey = session.scalar(
        sa.select(OrganizerPasskey)
        .join(Organizer, Organizer.id == OrganizerPasskey.organizer_id)
        .where(OrganizerPasskey.credential_id == credential.raw_id, Organizer.active.is_(True))
    )
    if passkey is None or (organizer_id is not None and passkey.organizer_id != organizer_id):
        raise PasskeyError(UNKNOWN)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=client_data.challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except InvalidAuthenticationResponse:
        raise PasskeyError(NOT_VERIFIED) from None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    session.flush()
    action = "passkey used to sign in" if purpose == "sign-in" else "passkey used to confirm"
    record_event(session, passkey.organizer_id, action, None)
    return passkey


# --- the owners' switch for password sign-in ---------------------------------------------


def passwords_allowed(session: Session) -> bool:
    """Tell whether organizers may sign in with a password (and code): yes until switched off."""
    allowed = session.scalar(sa.select(SignInSettings.passwords).where(SignInSettings.id == 1))
    return True if allowed is None else bool(allowed)


def _an_owner_has_a_passkey(session: Session) -> bool:
    return (
        session.scalar(
            sa.select(OrganizerPasskey.id)
            .join(Organizer, Organizer.id == OrganizerPasskey.organizer_id)
            .where(Organizer.owner.is_(True), Organizer.active.is_(True))
            .limit(1)
        )
        is not None
    )


def set_passwords_allowed(session: Session, allowed: bool, by: Organizer | None) -> None:
    """Switch password sign-in on or off, audited; by None: the command line.

    Switching off is refused to an owner with no passkey of their own (they would lock
    themselves out), and from the command line while no active owner has one. The caller
    commits.
    """
    begin_write(session)
    if not allowed and by is not None and not passkeys_of(session, by.id):
        raise PasskeyError(
            "Add a passkey to your own account first: with password sign-in off, you "
            "could not sign in again without one."
        )
    if not allowed and by is None and not _an_owner_has_a_passkey(session):
        raise PasskeyError(
            "No active owner has a passkey: with password sign-in off, no one could sign "
            "in to switch it back on from the browser."
        )
    settings = session.get(SignInSettings, 1)
    if settings is None:
        settings = SignInSettings(id=1)
        session.add(settings)
    settings.passwords = allowed
    settings.updated_at = utcnow()
    settings.updated_by = by.email if by is not None else "the command line"
    session.flush()
    if by is not None:
        state = "on" if allowed else "off"
        record_event(session, by.id, f"password sign-in switched {state}", None)

"""What a pledge keeps of its supporter: nothing anyone holding the database can read.

- The email, for one pledge per person, as an HMAC under HASH_KEY (a setting of its own,
  not the secret key): the same address always gives the same hash on this server, and a
  copy of the database taken elsewhere cannot be asked whether an address pledged.
- The name and email of a supporter who agreed to be contacted, sealed to the
  organization's public key (libsodium's sealed box: X25519 and XSalsa20-Poly1305, through
  PyNaCl). The server can seal, never open: the private half stays with the organizers
  (advocacy/organizers/keyfile.py) and opens the export on their own machine.
- The recipient of an unsent email, in the outbox row, under a key derived from the
  secret key: a stolen dump or backup holds no address; the running server, which has the
  key, can read it until the email is sent and the row deleted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox


def normalize_email(email: str) -> str:
    """Return the form of an address used to recognise the same person twice."""
    return email.strip().lower()


def email_hash(hash_key: str, email: str) -> str:
    """Return the keyed hash that stands for an address in the pledges table."""
    return hmac.new(hash_key.encode(), normalize_email(email).encode(), hashlib.sha256).hexdigest()


def public_key_text(key: PublicKey) -> str:
    return base64.b64encode(bytes(key)).decode()


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


def seal_contact(public_key: bytes, contact: Contact) -> bytes:
    """Seal a consenting supporter's name and email to the organization's public key."""
    plain = json.dumps({"name": contact.name, "email": contact.email}, ensure_ascii=False)
    return bytes(SealedBox(PublicKey(public_key)).encrypt(plain.encode()))


def open_contact(private_key: PrivateKey, sealed: bytes) -> Contact:
    """Open a sealed contact with the organization's private key (on their machine).

    Raises ValueError when the key is not the one the contact was sealed to.
    """
    try:
        plain = SealedBox(private_key).decrypt(sealed)
    except CryptoError as error:
        raise ValueError("this key does not open the sealed contact") from error
    values: dict[str, Any] = json.loads(plain)
    return Contact(str(values["name"]), str(values["email"]))


def outbox_key(secret_key: str) -> bytes:
    """Return the key of unsent emails' recipients, derived from the secret key."""
    return hmac.new(secret_key.encode(), b"advocacy outbox recipient", hashlib.sha256).digest()


def seal_recipient(key: bytes, contact: Contact) -> bytes:
    """Encrypt an email's recipient for the outbox row, until the email is sent."""
    plain = json.dumps({"name": contact.name, "email": contact.email}, ensure_ascii=False)
    return bytes(SecretBox(key).encrypt(plain.encode()))


def open_recipient(key: bytes, sealed: bytes) -> Contact:
    """Read an outbox row's recipient. Raises ValueError under another secret key."""
    try:
        plain = SecretBox(key).decrypt(sealed)
    except CryptoError as error:
        raise ValueError("the outbox row was sealed under another secret key") from error
    values: dict[str, Any] = json.loads(plain)
    return Contact(str(values["name"]), str(values["email"]))


@dataclass(frozen=True)
class Sealing:
    """The keys a pledge is written with: the email's hash key, the organization's public
    key (None: contact details are not collected), and the outbox's key."""

    hash_key: str
    contact_key: bytes | None
    outbox_key: bytes

    @classmethod
    def from_config(cls, config: Any) -> Sealing:
        # Checked and written as base64 by advocacy/config.py.
        public = config.get("CONTACT_PUBLIC_KEY")
        return cls(
            str(config["HASH_KEY"]),
            base64.b64decode(public) if public else None,
            outbox_key(str(config["SECRET_KEY"])),
        )

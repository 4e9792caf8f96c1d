"""The organization's key pair in tests: the public half configured in every test app, the
private half to open what the server sealed (as an organizer would, on their machine)."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import Flask
from nacl.public import PrivateKey
from sqlalchemy.orm import Session

from advocacy.models import OutboxMail, Pledge
from advocacy.pledges.sealing import (
    Contact,
    email_hash,
    open_contact,
    open_recipient,
    outbox_key,
    public_key_text,
    seal_contact,
)

# Fixed, so that any test can open what any test app sealed. Never a real organization's.
PRIVATE_KEY = PrivateKey(hashlib.sha256(b"advocacy tests' organization key").digest())
PUBLIC_KEY = public_key_text(PRIVATE_KEY.public_key)
HASH_KEY = "test-hash-key-not-for-production"


def hashed(email: str) -> str:
    """The email_hash a test app stores for email."""
    return email_hash(HASH_KEY, email)


def sealed(name: str, email: str) -> bytes:
    """A contact sealed as a test app seals it."""
    return seal_contact(PRIVATE_KEY.public_key.encode(), Contact(name, email))


def opened(pledge: Pledge) -> Contact | None:
    """The name and email a pledge keeps sealed (None: it keeps none)."""
    if pledge.sealed_contact is None:
        return None
    return open_contact(PRIVATE_KEY, pledge.sealed_contact)


def pledge_of(session: Session, email: str) -> Pledge | None:
    """The pledge made with email (in any letter case), found as the app finds it."""
    return session.scalar(sa.select(Pledge).where(Pledge.email_hash == hashed(email)))


def recipient(app: Flask, row: OutboxMail) -> Contact:
    """The name and address an outbox row is to be sent to, read as the sender reads it."""
    return open_recipient(outbox_key(app.config["SECRET_KEY"]), row.recipient)

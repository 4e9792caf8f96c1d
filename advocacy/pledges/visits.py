"""The supporter's results page state, kept in the database for a few days, sealed with a
key that only their browser holds.

What the supporter typed (name, street, city, state, ZIP code, note) and the members
found are encrypted (PyNaCl's SecretBox: XSalsa20-Poly1305) under a random key made for
this one visit. The server keeps the box and never the key: the key goes to the browser,
beside the visit's id, in the first-party session cookie (Flask's session is signed, not
encrypted, so the browser can read it, which is the point), or, from the partner
widget, inside the handoff's signed token (pledges.handoff). The database alone, or a
copy of it, opens no visit; each request that shows the page opens it with the key it
brings.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import string
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import session as browser_session
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox
from nacl.utils import random as random_bytes
from sqlalchemy.orm import Session

from advocacy.letters.drafting import Supporter
from advocacy.models import Campaign, SupporterVisit, as_utc
from advocacy.representatives.inputs import Address

# Long enough to come back to the letters the next day; short for personal data.
VISIT_LIFETIME = timedelta(days=3)

VISITS: sa.Table = SupporterVisit.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Typed:
    """What a visit keeps sealed: what the supporter typed and the members found."""

    name: str
    street: str
    city: str
    state: str
    zip: str
    note: str
    lookup: dict[str, Any]


@dataclass(frozen=True)
class Visit(Typed):
    """An opened visit: its row's plain columns and what its box held."""

    id: str
    campaign_id: int
    pledge_id: int | None
    pledge_created: bool


def new_key() -> str:
    """Return a fresh visit key, as the browser keeps it (URL-safe base64)."""
    return base64.urlsafe_b64encode(random_bytes(SecretBox.KEY_SIZE)).decode()


def _box(key: object) -> SecretBox | None:
    if not isinstance(key, str):
        return None
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        return None
    return SecretBox(raw) if len(raw) == SecretBox.KEY_SIZE else None


def seal(key: str, typed: Typed) -> bytes:
    """Return what the supporter typed, encrypted under the visit's key."""
    box = _box(key)
    if box is None:
        raise ValueError("not a visit key")
    plain = json.dumps(asdict(typed), ensure_ascii=False, separators=(",", ":"))
    return bytes(box.encrypt(plain.encode()))


def _unseal(key: object, sealed: bytes) -> Typed | None:
    box = _box(key)
    if box is None:
        return None
    try:
        fields = json.loads(box.decrypt(bytes(sealed)).decode())
    except (CryptoError, ValueError):
        return None
    return Typed(**fields)


def start_visit(
    session: Session,
    campaign_id: int,
    *,
    pledge_id: int,
    pledge_created: bool,
    name: str,
    address: Address,
    state: str,
    note: str,
    lookup: dict[str, Any],
    lifetime: timedelta = VISIT_LIFETIME,
) -> tuple[str, str]:
    """Add the sealed visit (the caller commits); return its id and key for the browser.

    lifetime: how long the page is kept; a visit started in the partner widget is kept
    only until its handoff expires, unless handed over (pledges.handoff).
    """
    now = datetime.now(UTC)
    # Expired visits go as new ones arrive, so no separate clean-up job is needed.
    session.execute(sa.delete(SupporterVisit).where(SupporterVisit.expires_at < now))
    key = new_key()
    typed = Typed(name, address.street, address.city, state, address.zip5, note, lookup)
    visit = SupporterVisit(
        id=secrets.token_urlsafe(32),
        campaign_id=campaign_id,
        pledge_id=pledge_id,
        pledge_created=pledge_created,
        sealed=seal(key, typed),
        expires_at=now + lifetime,
    )
    session.add(visit)
    return visit.id, key


def keep_visit(visit_id: str, key: str) -> None:
    """Put the visit's id and key in the first-party session (signed, not encrypted: the
    browser can read its key, and the server keeps none)."""
    browser_session["visit"] = visit_id
    browser_session["visit_key"] = key


def kept_visit() -> tuple[str, str]:
    """Return the visit id and key this browser's session holds ("" for none)."""
    visit_id, key = browser_session.get("visit"), browser_session.get("visit_key")
    return (
        visit_id if isinstance(visit_id, str) else "",
        key if isinstance(key, str) else "",
    )


def find_visit(
    session: Session, campaign: Campaign, visit_id: object, key: object
) -> Visit | None:
    """Return the unexpired visit with this id for this campaign, opened with key, if any."""
    if not isinstance(visit_id, str) or not visit_id:
        return None
    row = session.get(SupporterVisit, visit_id)
    if row is None or row.campaign_id != campaign.id:
        return None
    if as_utc(row.expires_at) <= datetime.now(UTC):
        return None
    typed = _unseal(key, row.sealed)
    if typed is None:
        return None
    return Visit(
        **asdict(typed),
        id=row.id,
        campaign_id=row.campaign_id,
        pledge_id=row.pledge_id,
        pledge_created=row.pledge_created,
    )


def reseal(session: Session, visit: Visit, key: str, **changes: Any) -> None:
    """Store the visit with what changed (a new look-up, a typed street), under its key."""
    typed = replace(Typed(**{f: getattr(visit, f) for f in Typed.__dataclass_fields__}), **changes)
    session.execute(
        sa.update(VISITS).where(VISITS.c.id == visit.id).values(sealed=seal(key, typed))
    )


def supporter_of(visit: Typed) -> Supporter:
    """Return the person signing the visit's letters, closing with their address.

    The city as typed, else the one the Census matched a typed street to. The ZIP code
    tables name no places, so a supporter who gave a ZIP code alone closes with their
    state and ZIP code ("WA 98101").
    """
    return Supporter(
        name=visit.name,
        city=visit.city or _matched_city(visit.lookup),
        state=visit.state,
        note=visit.note,
        zip=visit.zip,
        street=visit.street,
    )


def _matched_city(lookup: dict[str, Any]) -> str:
    # The Census writes "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500".
    parts = [part.strip() for part in str(lookup.get("matched_address") or "").split(",")]
    if len(parts) < 4 or not parts[-3]:
        return ""
    return string.capwords(parts[-3])


def address_of(visit: Typed) -> Address:
    """Return the address the supporter typed, to look them up again."""
    return Address(street=visit.street, city=visit.city, state=visit.state, zip5=visit.zip)

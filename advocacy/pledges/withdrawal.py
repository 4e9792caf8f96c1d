"""Withdrawing a pledge through the link shown when it was made: no account, no email.

The link carries a random token; the database keeps only its SHA-256. Every pledge
answer carries a link, a repeat's included, and every withdrawal answers the same way,
so neither the link nor its use tells anyone whether an email had pledged.
"""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import Session

from advocacy.models import Campaign, Pledge, SupporterVisit
from advocacy.pledges import tallies

TOKEN_BYTES = 24
# What secrets.token_urlsafe(TOKEN_BYTES) writes: 32 URL-safe characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_withdraw_token() -> str:
    """Return a fresh token for a withdraw link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def withdraw_key(token: str) -> str:
    """Return what the database keeps of a token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def withdraw_url(slug: str, token: str, *, external: bool = False) -> str:
    """Return the address of the withdraw page for a token."""
    return url_for("pledges.withdraw_page", slug=slug, token=token, _external=external)


def withdraw(session: Session, campaign: Campaign, token: str) -> bool:
    """Delete the pledge the token was made for, with its results pages; uncount it.

    Call inside a writing transaction; the caller commits. Returns whether a pledge went
    (for the log and tests: the supporter is told the same either way).
    """
    if not TOKEN_PATTERN.match(token):
        return False
    pledge_id = session.execute(
        sa.select(Pledge.id).where(
            Pledge.campaign_id == campaign.id, Pledge.withdraw_key == withdraw_key(token)
        )
    ).scalar_one_or_none()
    if pledge_id is None:
        return False
    # The results pages first: deleting the pledge would only unlink them.
    session.execute(sa.delete(SupporterVisit).where(SupporterVisit.pledge_id == pledge_id))
    deleted = session.execute(
        sa.delete(Pledge)
        .where(Pledge.id == pledge_id)
        .returning(
            Pledge.created_at,
            Pledge.consent,
            Pledge.state,
            Pledge.district,
            Pledge.congress,
            Pledge.ref,
        )
    ).one_or_none()
    if deleted is None:  # withdrawn a moment ago by a concurrent request
        return False
    seat = tallies.Seat(deleted.state, deleted.district, deleted.congress)
    counted = tallies.Counted(campaign.id, deleted.created_at, deleted.consent, seat, deleted.ref)
    tallies.add(session, counted, -1)
    return True

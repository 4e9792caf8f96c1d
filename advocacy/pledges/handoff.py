"""From the partner widget to the pledge's results page on our own site, once.

The widget lives in a partner's frame, where no cookie of ours arrives, so the visit it
starts cannot go into the session there. Its thank-you instead carries a small form
whose hidden token is the visit's id, signed with a salt of its own and stamped with the
time; pressing "Write to your members" posts it as a top-level navigation to our site,
which checks the token, moves the visit to a fresh random id (so the id in that token,
replayed, finds nothing), puts the new id and the visit's key in the first-party session
and shows the results page. Nothing personal is in the token or any URL: only the random
visit id and the key that opens the visit (pledges.visits), which the server does not
keep; the token travels in a form's body, never in a URL.

A visit started in the widget lives `MAX_AGE_SECONDS` unless handed over: what a
supporter typed there is not kept for days for a page they never asked for. Handed over,
it lives as long as any results page (`visits.VISIT_LIFETIME`).
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from advocacy.models import SupporterVisit
from advocacy.pledges.visits import VISIT_LIFETIME

SALT = "advocacy.pledges.handoff"
# Long enough to read the thank-you and press the button; short for a bearer token.
MAX_AGE_SECONDS = 600
WIDGET_VISIT_LIFETIME = timedelta(seconds=MAX_AGE_SECONDS)

VISITS: sa.Table = SupporterVisit.__table__  # type: ignore[assignment]


def now() -> float:
    """Return the current time by the handoff's clock (a seam for tests, as guard.now)."""
    return time.time()


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def issue_token(secret_key: str, campaign_id: int, visit_id: str, visit_key: str) -> str:
    """Return the token that hands this campaign's visit, and its key, to the results page."""
    return _serializer(secret_key).dumps([campaign_id, visit_id, visit_key, int(now())])


def redeem(
    session: Session, secret_key: str, campaign_id: int, token: str
) -> tuple[str, str] | None:
    """Move the token's visit to a new id and return that id and the visit's key; None for
    a token that is forged, another campaign's, expired or used.

    Call inside a writing transaction; the caller commits. The move is one UPDATE on the
    old id: of two presses at once, the second waits on the row and then finds no row.
    """
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    match payload:
        case [int(token_campaign), str(visit_id), str(visit_key), int(issued_at)]:
            pass
        case _:
            return None
    if token_campaign != campaign_id or now() - issued_at > MAX_AGE_SECONDS:
        return None
    new_id = secrets.token_urlsafe(32)
    moment = datetime.now(UTC)
    moved = session.execute(
        sa.update(VISITS)
        .where(
            VISITS.c.id == visit_id,
            VISITS.c.campaign_id == campaign_id,
            VISITS.c.expires_at > moment,
        )
        .values(id=new_id, expires_at=moment + VISIT_LIFETIME)
        .returning(VISITS.c.id)
    ).scalar_one_or_none()
    return None if moved is None else (moved, visit_key)

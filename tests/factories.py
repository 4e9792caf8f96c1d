"""Small model factories (as cookiecutter-flask's tests have): rows a test adds by hand,
valid unless the test says otherwise. Each adds to the session it is given and flushes;
the test commits what the app should see. Use them with the `db_session` fixture, or with
get_session() inside an app context."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

from contact_keys import hashed, sealed
from data_files import SNAPSHOT_MOMENT
from pages import SLUG
from sqlalchemy.orm import Session

from advocacy.campaigns.service import get_campaign
from advocacy.models import Campaign, Pledge, PledgeQuote

_numbers = count(1)


def campaign(session: Session, slug: str = SLUG) -> Campaign:
    """Return a shipped campaign (every test app installs them)."""
    found = get_campaign(session, slug)
    assert found is not None, f"no campaign {slug!r}: is the app's database set up?"
    return found


def pledge(
    session: Session,
    campaign_id: int | None = None,
    *,
    confirmed_at: datetime | None = SNAPSHOT_MOMENT,
    **fields: Any,
) -> Pledge:
    """Add a pledge to the shipped campaign (or campaign_id), confirmed at SNAPSHOT_MOMENT
    unless confirmed_at says otherwise; fields replace the defaults (a unique address)."""
    n = next(_numbers)
    email = fields.pop("email", f"supporter{n}@example.org")
    name = fields.pop("name", f"Supporter Number{n}")
    values: dict[str, Any] = {
        "campaign_id": campaign_id if campaign_id is not None else campaign(session).id,
        # As the app keeps them: the email hashed, name and email sealed with consent only.
        "email_hash": hashed(email),
        "sealed_contact": sealed(name, email) if fields.get("consent") else None,
        "zip": "98105",
        "city": "Seattle",
        "state": "WA",
        "district": 7,
        "created_at": SNAPSHOT_MOMENT,
        "confirmed_at": confirmed_at,
        **fields,
    }
    row = Pledge(**values)
    session.add(row)
    session.flush()
    return row


def quote(
    session: Session,
    campaign_id: int,
    text: str,
    state: str | None = "WA",
    district: int | None = 7,
    city: str = "Seattle",
    moment: datetime = SNAPSHOT_MOMENT,
    congress: int | None = None,
) -> PledgeQuote:
    """Add words a supporter agreed to have quoted (kept apart from any pledge)."""
    row = PledgeQuote(
        campaign_id=campaign_id,
        text=text,
        state=state,
        district=district,
        congress=congress,
        city=city,
        created_on=moment.date(),
    )
    session.add(row)
    session.flush()
    return row

"""Confirming a pledge with the code mailed to its address: the step that counts it.

Until then the pledge is in no number anyone sees (the public count, the stats API, the
widget, the organizers' dashboard and exports), so counting cannot tell whoever typed an
address whether it had pledged, and nobody can pledge in another person's name. The code
works once: it is deleted with every other confirmation code of the pledge as it counts,
and a used code and a made-up one get the same answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.models import OutboxMail, Pledge, PledgeKey
from advocacy.pledges import codes, tallies

PLEDGES: sa.Table = Pledge.__table__  # type: ignore[assignment]


def confirm(
    session: Session, campaign_id: int, code: str, *, now: datetime, valid_for: timedelta
) -> bool:
    """Count the pledge this code was mailed for; return whether it was counted just now.

    Call inside a writing transaction; the caller commits.
    """
    pledge_id = session.execute(
        sa.select(PledgeKey.pledge_id)
        .join(Pledge, Pledge.id == PledgeKey.pledge_id)
        .where(
            PledgeKey.key == codes.key(code),
            PledgeKey.purpose == "confirm",
            PledgeKey.created_at >= now - valid_for,
            Pledge.campaign_id == campaign_id,
        )
    ).scalar_one_or_none()
    if pledge_id is None:
        return False
    # The pledge's row first, as every change to a pledge: then its codes, then the counts.
    counted = session.execute(
        sa.update(PLEDGES)
        .where(PLEDGES.c.id == pledge_id, PLEDGES.c.confirmed_at.is_(None))
        .values(confirmed_at=now)
        .returning(
            PLEDGES.c.consent,
            PLEDGES.c.state,
            PLEDGES.c.district,
            PLEDGES.c.congress,
            PLEDGES.c.ref,
        )
    ).one_or_none()
    session.execute(
        sa.delete(PledgeKey).where(
            PledgeKey.pledge_id == pledge_id, PledgeKey.purpose == "confirm"
        )
    )
    # A confirmation email still waiting would carry a code that no longer works.
    session.execute(
        sa.delete(OutboxMail).where(
            OutboxMail.pledge_id == pledge_id, OutboxMail.kind == "confirm"
        )
    )
    if counted is None:  # confirmed a moment ago, through another of its codes
        return False
    seat = tallies.Seat(counted.state, counted.district, counted.congress)
    tallies.add(session, tallies.Counted(campaign_id, now, counted.consent, seat, counted.ref))
    return True

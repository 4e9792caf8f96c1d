"""Withdrawing a pledge with a code from the supporter's mailbox: no account needed.

Every email about a pledge carries a withdraw code of its own (the database keeps only
their SHA-256), in a link whose code is in the fragment, never in the request line.

The page says what happened, as far as the code proves who is asking: a code mailed to
an address is read by that mailbox's owner, who may learn what became of the pledge it was
sent for (withdrawn now, or no pledge under it any more); a link of the first releases was
shown to whoever typed the form, so its answer must not tell a withdrawal from a repeat's
link that never withdrew anything (`outcome`). Nothing of a withdrawn pledge is kept, so
"already withdrawn" and "deleted unconfirmed" cannot be told apart either: the page names
both.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.models import Pledge, PledgeKey, SupporterVisit
from advocacy.pledges import codes, tallies

PLEDGES: sa.Table = Pledge.__table__  # type: ignore[assignment]


def withdraw(session: Session, campaign_id: int, code: str) -> bool:
    """Delete the pledge the code was mailed for, with its results pages, codes and unsent
    mail; uncount it if it was counted.

    Call inside a writing transaction; the caller commits. Returns whether a pledge went.
    """
    pledge_id = session.execute(
        sa.select(PledgeKey.pledge_id)
        .join(Pledge, Pledge.id == PledgeKey.pledge_id)
        .where(
            PledgeKey.key == codes.key(code),
            PledgeKey.purpose == "withdraw",
            Pledge.campaign_id == campaign_id,
        )
    ).scalar_one_or_none()
    if pledge_id is None:
        return False
    # The pledge's row first, as every change to a pledge (a change of district takes it
    # before the supporter's visit, a confirmation before the counts): taking the visits
    # first deadlocked with a change of district on PostgreSQL.
    pledge = session.execute(
        sa.select(
            Pledge.confirmed_at,
            Pledge.consent,
            Pledge.state,
            Pledge.district,
            Pledge.congress,
            Pledge.ref,
        )
        .where(Pledge.id == pledge_id)
        .with_for_update()
    ).one_or_none()
    if pledge is None:  # withdrawn a moment ago by a concurrent request
        return False
    # The results pages before the pledge: deleting the pledge would only unlink them.
    session.execute(sa.delete(SupporterVisit).where(SupporterVisit.pledge_id == pledge_id))
    # Its codes and unsent mail go with it (ON DELETE CASCADE).
    session.execute(sa.delete(PLEDGES).where(PLEDGES.c.id == pledge_id))
    if pledge.confirmed_at is not None:
        seat = tallies.Seat(pledge.state, pledge.district, pledge.congress)
        counted = tallies.Counted(
            campaign_id, pledge.confirmed_at, pledge.consent, seat, pledge.ref
        )
        tallies.add(session, counted, -1)
    return True


def outcome(code: str, withdrawn: bool) -> str:
    """Return what the withdraw page may say happened: "withdrawn" (a pledge went now),
    "none" (no pledge under a mailed code), or "legacy" (a first releases' link: the
    same words whether or not a pledge went, see the module's docstring)."""
    if codes.is_legacy(code):
        return "legacy"
    return "withdrawn" if withdrawn else "none"

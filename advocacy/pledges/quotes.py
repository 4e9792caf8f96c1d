"""A supporter's own words, kept only when they agreed to have them quoted.

The note goes into the supporter's letters either way; it is kept only with `quote`
ticked, and then apart from the pledge: the state, district, Congress and city it came
from (for the lobby packets, which leave out small places) and the day, never the
pledge's id, an email or a name. A repeat of the form keeps its words again, as the
pledge's statements are the same for a new and a repeat email.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from advocacy.models import PledgeQuote, utcnow
from advocacy.pledges.service import PledgeInput
from advocacy.representatives.lookup import Lookup


def keep_quote(session: Session, campaign_id: int, data: PledgeInput, lookup: Lookup) -> bool:
    """Add the note as a quote if the supporter agreed (the caller commits); say if it did."""
    text = data.note.strip()
    if not (data.quote and text):
        return False
    district = lookup.district
    session.add(
        PledgeQuote(
            campaign_id=campaign_id,
            state=lookup.state,
            district=district,
            congress=lookup.congress if district is not None else None,
            city=data.address.city,
            text=text,
            created_on=utcnow().date(),
        )
    )
    return True

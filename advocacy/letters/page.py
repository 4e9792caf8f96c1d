"""Letters for the results page: one per member, from the supporter kept in the session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from advocacy.letters.drafting import Letter, Supporter, draft_letter
from advocacy.models import Campaign
from advocacy.representatives.legislators import Legislator
from advocacy.representatives.lookup import Lookup

# Letters are dated as Congress reads them: Washington's calendar day.
WASHINGTON = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class MemberLetter:
    member: Legislator
    letter: Letter


def today_in_washington() -> date:
    """Return the date in Washington, DC."""
    return datetime.now(WASHINGTON).date()


def supporter_from(data: Mapping[str, Any]) -> Supporter:
    """Build the letter's supporter from the session's or the API's fields."""
    return Supporter(
        name=str(data.get("name") or ""),
        city=str(data.get("city") or ""),
        state=str(data.get("state") or ""),
        note=str(data.get("note") or ""),
    )


def letters_for(campaign: Campaign, lookup: Lookup, person: Supporter) -> list[MemberLetter]:
    """Draft a letter to each member the look-up found."""
    today = today_in_washington()
    return [
        MemberLetter(member, draft_letter(campaign.content, member, person, today))
        for member in lookup.legislators
    ]

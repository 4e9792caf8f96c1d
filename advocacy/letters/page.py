"""Letters to each member a look-up found, dated as Washington reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from advocacy.campaigns.content import CampaignContent
from advocacy.letters.drafting import Letter, Supporter, draft_letter
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


def letters_for(content: CampaignContent, lookup: Lookup, person: Supporter) -> list[MemberLetter]:
    """Draft a letter to each member the look-up found."""
    today = today_in_washington()
    return [
        MemberLetter(member, draft_letter(content, member, person, today))
        for member in lookup.legislators
    ]

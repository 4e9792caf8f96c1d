"""Letters to each of a supporter's members, dated as Washington reads the app's clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from advocacy import clock
from advocacy.campaigns.content import CampaignContent
from advocacy.campaigns.lifecycle import WASHINGTON
from advocacy.congress.members import Legislator
from advocacy.letters.drafting import Letter, Supporter, draft_letter


@dataclass(frozen=True)
class MemberLetter:
    member: Legislator
    letter: Letter


def today_in_washington(moment: datetime | None = None) -> date:
    """Return the date in Washington, DC at a moment (the app's clock when not given)."""
    return (clock.now() if moment is None else moment).astimezone(WASHINGTON).date()


def letters_for(
    content: CampaignContent,
    members: Iterable[Legislator],
    person: Supporter,
    *,
    at: datetime | None = None,
) -> list[MemberLetter]:
    """Draft a letter to each member (those a look-up found), with the ask in force now.

    at (aware) drafts them as they would go at another moment: the organizers' preview.
    """
    # One moment for every letter: all dated alike, all with the same ask.
    moment = clock.now() if at is None else at
    today = today_in_washington(moment)
    return [
        MemberLetter(member, draft_letter(content, member, person, today, at=moment))
        for member in members
    ]

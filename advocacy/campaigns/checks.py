"""Checks on stored campaigns that depend on the date: bills die with their Congress.

`advocacy campaigns check` prints them and the organizers' dashboard shows them, so
organizers hear in time that a campaign's bill facts need updating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from string import Template
from typing import Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from advocacy.campaigns.content import (
    OLD_BILL_VARIABLES,
    CampaignContent,
    CampaignContentError,
    LetterMaterial,
    content_of,
)
from advocacy.campaigns.lifecycle import WASHINGTON, bill_ends, bill_is_current
from advocacy.congress.calendar import congress_name, sworn_in_at
from advocacy.models import Campaign

# How long before the bill's Congress ends the warning starts.
WARN_BEFORE: Final = timedelta(days=60)


@dataclass(frozen=True, slots=True)
class CampaignCheck:
    """What the check found in one stored campaign."""

    slug: str
    title: str
    warnings: tuple[str, ...]
    # The bill's Congress has ended, or the stored content cannot be read: exit status 1.
    failed: bool


def content_warnings(content: CampaignContent, moment: datetime) -> list[str]:
    """Return the date-dependent warnings for a campaign's content at an aware moment."""
    warnings: list[str] = []
    bill = content.bill
    ends = bill_ends(content)
    when = sworn_in_at(bill.congress + 1)
    numbers = f"{bill.house_number} and {bill.senate_number}"
    belong = f"{numbers} belong to {congress_name(bill.congress)}"
    if not bill_is_current(content, moment):
        warnings.append(
            f"bill facts need updating: {belong}, which ended {when}. The page and the "
            "letters now ask for the bill to be reintroduced; update [bill] with its new "
            "numbers once it is."
        )
    elif moment >= ends - WARN_BEFORE:
        warnings.append(
            f"bill facts need updating: {belong}, which ends {when} ({_days_left(moment, ends)})."
            " After that the page and the letters ask for the bill to be reintroduced."
        )
    passed = bill.house_passed
    if passed is not None and passed > moment.astimezone(WASHINGTON).date():
        # The file is checked without a clock; a day still to come is caught here.
        warnings.append(
            f"bill.house_passed is {passed:%B} {passed.day}, {passed.year}, which has not "
            "come yet, but the letters already thank members of the House for passing "
            f"{bill.house_number}: give the day the House passed it, or leave "
            "bill.house_passed out until it has."
        )
    if content.next_congress is None:
        warning = (
            "no next-Congress ask: add a [next_congress] table. Without one, once "
            f"{congress_name(bill.congress)} ends the page and the letters use a short "
            f"built-in ask (reintroduce and pass the {bill.short_title})."
        )
        naming = _lists_naming_the_bill(content.letter)
        if naming:
            warning += f" The built-in ask keeps [letter]'s {naming}, which name the old bill."
        warnings.append(warning)
    return warnings


def _lists_naming_the_bill(letter: LetterMaterial) -> str:
    # The built-in ask keeps the campaign's shared lists (a [next_congress] table that
    # keeps one naming the old bill is refused when the file is loaded).
    lists = {
        "introductions": letter.introductions,
        "openings": letter.openings,
        "backgrounds": letter.backgrounds,
        "bill_summaries": letter.bill_summaries,
        "closings": letter.closings,
        "sign_offs": letter.sign_offs,
    }
    naming = [
        slot
        for slot, texts in lists.items()
        if any(OLD_BILL_VARIABLES & set(Template(text).get_identifiers()) for text in texts)
    ]
    return " and ".join(naming)


def check_campaign(campaign: Campaign, moment: datetime) -> CampaignCheck:
    """Check one stored campaign at an aware moment."""
    try:
        content = content_of(campaign)
    except CampaignContentError as error:
        message = (
            f"stored content is not valid: {'; '.join(error.problems)}. Load the file again "
            "with `advocacy campaigns load PATH`."
        )
        return CampaignCheck(campaign.slug, campaign.title, (message,), failed=True)
    return CampaignCheck(
        campaign.slug,
        campaign.title,
        tuple(content_warnings(content, moment)),
        failed=not bill_is_current(content, moment),
    )


def check_campaigns(session: Session, moment: datetime) -> list[CampaignCheck]:
    """Check every stored campaign at an aware moment, in slug order."""
    campaigns = session.scalars(sa.select(Campaign).order_by(Campaign.slug))
    return [check_campaign(campaign, moment) for campaign in campaigns]


def _days_left(moment: datetime, ends: datetime) -> str:
    # Calendar days in Washington: on the morning of January 3 it ends "today".
    days = (ends.astimezone(WASHINGTON).date() - moment.astimezone(WASHINGTON).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"

"""Which ask a campaign makes at a moment: its bill's while the bill's Congress sits, the
next Congress's after.

A bill that has not become law dies when its Congress ends (noon Eastern on January 3 of
an odd year), and its numbers die with it. From that moment the page and the letters ask
for the bill to be reintroduced and passed: with the campaign's [next_congress] table, or
with the built-in ask below when the campaign has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo

from advocacy.campaigns.content import (
    CampaignContent,
    KindMaterial,
    LetterMaterial,
    NextCongress,
)
from advocacy.congress.calendar import congress_end, congress_name, congress_on, ordinal

# Congress counts its days in Washington.
WASHINGTON: Final = ZoneInfo("America/New_York")


def bill_is_current(content: CampaignContent, moment: datetime) -> bool:
    """Tell whether the campaign's bill is still alive at an aware moment: its Congress sits."""
    return congress_on(moment) <= content.bill.congress


def bill_ends(content: CampaignContent) -> datetime:
    """Return the moment the bill's Congress ends, and the bill with it unless it is law."""
    return congress_end(content.bill.congress)


def next_congress_ask(content: CampaignContent) -> NextCongress:
    """Return the campaign's [next_congress] ask, or the built-in one when it has none."""
    if content.next_congress is not None:
        return content.next_congress
    return _built_in(content)


def letter_material(content: CampaignContent, moment: datetime) -> LetterMaterial:
    """Return the letter material in force at a moment: the bill's, or the next Congress's."""
    if bill_is_current(content, moment):
        return content.letter
    return next_congress_ask(content).letter


@dataclass(frozen=True, slots=True)
class PageCopy:
    """The parts of the campaign page that depend on whether the bill is still alive."""

    bill_current: bool
    tagline: str
    status: str
    ask_paragraphs: tuple[str, ...]
    # "119th Congress", and when it ends (or ended) as Washington reads the clock.
    congress: str
    congress_ends: datetime
    # True when the campaign has no [next_congress] table and the built-in ask is shown.
    built_in_ask: bool


def page_copy(content: CampaignContent, moment: datetime) -> PageCopy:
    """Return the page's tagline, bill status and ask paragraphs in force at a moment."""
    current = bill_is_current(content, moment)
    ask = None if current else next_congress_ask(content)
    return PageCopy(
        bill_current=current,
        tagline=content.tagline if ask is None else ask.tagline,
        status=content.bill.status if ask is None else ask.status,
        ask_paragraphs=content.ask.paragraphs if ask is None else ask.ask_paragraphs,
        congress=f"{ordinal(content.bill.congress)} Congress",
        congress_ends=bill_ends(content).astimezone(WASHINGTON),
        built_in_ask=ask is not None and content.next_congress is None,
    )


# --- the built-in ask, for a campaign without [next_congress] -------------------------------
# Plain and general on purpose: it names no numbers and no committee, only the bill's
# short title, so it is true of any bill that died. `advocacy campaigns check` and the
# organizers' dashboard tell organizers to write their own. Checked like campaign letter
# material by the tests (tests/campaigns/test_campaigns_lifecycle.py).

BUILT_IN_LETTER: Final = MappingProxyType(
    {
        "senate": {
            "subjects": (
                "Please reintroduce and pass the $short_title",
                "Constituent request: bring back the $short_title in the Senate",
            ),
            "asks": (
                "The $short_title did not become law before $congress_name ended, so it "
                "must be introduced again. I ask you to reintroduce it in the Senate, or to "
                "cosponsor it as soon as it is introduced, and to help pass it in this Congress.",
            ),
            "call_scripts": (
                "Hello, my name is $name, and I am a constituent from $place. The "
                "$short_title did not become law before $congress_name ended. I am calling "
                "to ask $recipient to reintroduce it or cosponsor it in this Congress, and to "
                "help pass it. Thank you.",
            ),
        },
        "senate_sponsor": {
            "subjects": (
                "Thank you for leading on the $short_title; please reintroduce it",
                "Please bring back the $short_title in the Senate",
            ),
            "asks": (
                "Thank you for your past leadership on the $short_title. It did not become "
                "law before $congress_name ended, so it must be introduced again. Please "
                "reintroduce it in the Senate in this Congress and help pass it.",
            ),
            "call_scripts": (
                "Hello, my name is $name, and I live in $place. I am calling to thank "
                "$recipient for leading on the $short_title in $congress_name, and to ask "
                "the Senator to reintroduce it in this Congress. Thank you.",
            ),
        },
        "house": {
            "subjects": (
                "Please reintroduce and pass the $short_title",
                "Constituent request: bring back the $short_title in the House",
            ),
            "asks": (
                "The $short_title did not become law before $congress_name ended, so it "
                "must be introduced again. I ask you to reintroduce it in the House, or to "
                "cosponsor it as soon as it is introduced, and to vote to pass it in this "
                "Congress.",
            ),
            "call_scripts": (
                "Hello, my name is $name, and I am a constituent from $place. The "
                "$short_title did not become law before $congress_name ended. I am calling "
                "to ask $recipient to reintroduce it or cosponsor it in this Congress, and to "
                "vote to pass it. Thank you.",
            ),
        },
        "house_sponsor": {
            "subjects": (
                "Thank you for leading on the $short_title; please reintroduce it",
                "Please bring back the $short_title in the House",
            ),
            "asks": (
                "Thank you for your past leadership on the $short_title. It did not become "
                "law before $congress_name ended, so it must be introduced again. Please "
                "reintroduce it in the House in this Congress and help pass it.",
            ),
            "call_scripts": (
                "Hello, my name is $name, and I live in $place. I am calling to thank "
                "$recipient for leading on the $short_title in $congress_name, and to ask "
                "for it to be reintroduced in this Congress. Thank you.",
            ),
        },
    }
)


def _built_in(content: CampaignContent) -> NextCongress:
    short_title = content.bill.short_title
    name = congress_name(content.bill.congress)
    ended = bill_ends(content).astimezone(WASHINGTON)
    ended_on = f"{ended:%B} {ended.day}, {ended.year}"

    def kind(table: str) -> KindMaterial:
        material = BUILT_IN_LETTER[table]
        return KindMaterial(
            subjects=material["subjects"],
            asks=material["asks"],
            call_scripts=material["call_scripts"],
        )

    letter = content.letter
    return NextCongress(
        tagline=(
            f"The {short_title} did not become law before {name} ended. Ask your members "
            "of Congress to reintroduce it and pass it."
        ),
        status=f"The {short_title} did not become law before {name} ended.",
        ask_paragraphs=(
            f"{name[0].upper()}{name[1:]} ended on {ended_on}, before the {short_title} "
            "became law. A bill that has not become law when its Congress ends must be "
            f"introduced again, so we ask Congress to reintroduce the {short_title} and "
            "pass it.",
            "Add your name to the pledge. Then we show you who represents you in Congress, "
            f"with a letter asking each of them to reintroduce the {short_title} and pass it.",
        ),
        letter=LetterMaterial(
            values=letter.values,
            introductions=letter.introductions,
            openings=letter.openings,
            backgrounds=letter.backgrounds,
            bill_summaries=letter.bill_summaries,
            closings=letter.closings,
            sign_offs=letter.sign_offs,
            senate=kind("senate"),
            senate_sponsor=kind("senate_sponsor"),
            house=kind("house"),
            house_sponsor=kind("house_sponsor"),
        ),
    )

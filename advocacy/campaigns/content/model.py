"""The typed campaign content: frozen objects with the TOML's own names, and the schema of
the letter material that drafting fills in.

Build these with `parse_campaign` or `parse_stored_campaign` (load.py), which check
everything first (rules.py); nothing here checks anything.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

# --- the letter material's schema ------------------------------------------------------------

# Lists shared by every letter, in the [letter] table.
SHARED_SLOTS: Final = (
    "introductions",
    "openings",
    "backgrounds",
    "bill_summaries",
    "closings",
    "sign_offs",
)
# Lists in each recipient kind's own table, [letter.<kind>].
KIND_SLOTS: Final = ("subjects", "asks", "call_scripts")
RecipientKind = Literal["senate", "senate_sponsor", "house", "house_sponsor", "house_had_no_vote"]
# senate / house by chamber; *_sponsor when the member's bioguide is in bill.sponsors;
# house_had_no_vote for the House members who had no vote when the House passed the bill
# (bill.house_passed): delegates, the resident commissioner, members sworn in after it.
RECIPIENT_KINDS: Final[tuple[RecipientKind, ...]] = (
    "senate",
    "senate_sponsor",
    "house",
    "house_sponsor",
    "house_had_no_vote",
)
# The kind only a bill the House has passed has, and only while the bill is alive.
HAD_NO_VOTE: Final[RecipientKind] = "house_had_no_vote"
# The kinds every [letter] and [next_congress.letter] has. Once the bill has died nobody
# has voted on the bill brought back, so the next Congress has no house_had_no_vote.
EVERY_LETTER_KINDS: Final[tuple[RecipientKind, ...]] = tuple(
    kind for kind in RECIPIENT_KINDS if kind != HAD_NO_VOTE
)

# Every variable a letter template may use, besides the names in [letter.values].
# Letter drafting (advocacy.letters.drafting) fills in exactly these.
TEMPLATE_VARIABLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "title": "the campaign's title",
        "short_title": "bill.short_title",
        "house_number": "bill.house_number",
        "senate_number": "bill.senate_number",
        "house_url": "bill.house_url",
        "senate_url": "bill.senate_url",
        "congress": "bill.congress",
        "congress_name": 'the bill\'s Congress in words, "the 119th Congress"',
        "recipient": 'the member as addressed, "Senator Cantwell"',
        "recipient_title": '"Senator", "Representative", "Delegate" or "Resident Commissioner"',
        "last_name": "the member's last name",
        "full_name": "the member's full name",
        "recipient_state": "the name of the member's state",
        "chamber": '"Senate" or "House of Representatives"',
        "name": "the supporter's name",
        "city": "the supporter's city (may be empty)",
        "state": "the supporter's state code",
        "state_name": "the name of the supporter's state",
        "place": '"Seattle, Washington, ZIP 98101"; without a city "Washington, ZIP 98101"',
    }
)
# The variables that name the old bill: it dies with its Congress and the bill brought back
# in the next one gets new numbers, so the next-Congress ask may not use them.
OLD_BILL_VARIABLES: Final = frozenset({"house_number", "senate_number", "house_url", "senate_url"})


# The longest title a campaign may have: the campaigns table's title column (a String(200)
# in advocacy/models/campaigns.py) holds no more, and PostgreSQL refuses a longer one outright.
TITLE_MAX: Final = 200
# The largest goal: the campaigns table's goal column is a 32-bit integer on PostgreSQL.
GOAL_MAX: Final = 1_000_000_000
# The largest Congress number a bill may give: the calendar's dates stay within what a
# datetime holds (the 500th Congress would sit in 2787).
CONGRESS_MAX: Final = 500


# --- the file's keys ------------------------------------------------------------------------
# Each table's keys, in the order a campaign file gives them: the rules refuse any other
# key, and `advocacy campaigns dump` writes them in this order.
CAMPAIGN_KEYS: Final = (
    "slug", "title", "tagline", "goal", "default", "language",
    "ask", "story", "bill", "sources", "letter", "next_congress", "translations",
)  # fmt: skip
ASK_KEYS: Final = ("heading", "paragraphs", "pledge_statement", "button")
STORY_KEYS: Final = ("heading", "paragraphs")
BILL_KEYS: Final = (
    "short_title", "congress", "house_number", "senate_number", "house_url", "senate_url",
    "status", "house_passed", "provisions", "sponsors", "timeline",
)  # fmt: skip
TIMELINE_KEYS: Final = ("date", "text")
SOURCE_KEYS: Final = ("title", "publisher", "date", "url")
NEXT_CONGRESS_KEYS: Final = ("tagline", "status", "ask_paragraphs", "letter")
# [letter]: the shared lists, [letter.values], then a table per kind of recipient.
LETTER_KEYS: Final = (
    *SHARED_SLOTS, "values",
    "senate", "senate_sponsor", "house", "house_had_no_vote", "house_sponsor",
)  # fmt: skip


# [translations.<content>]: the supporter-facing text in another language (see Translation).
TRANSLATION_KEYS: Final = (
    "title", "tagline", "ask", "story", "bill", "letter", "next_congress",
)  # fmt: skip
TRANSLATED_BILL_KEYS: Final = ("short_title", "status", "provisions", "timeline")
TRANSLATED_NEXT_CONGRESS_KEYS: Final = ("tagline", "status", "ask_paragraphs", "letter")
# [translations.<content>.letter.<kind>]: what the English letter and call are, explained.
EXPLANATION_KEYS: Final = ("letter_explanation", "call_explanation")


# --- the typed content ---------------------------------------------------------------------
# Attribute names are the TOML keys, so templates read `c.bill.short_title` as before.


@dataclass(frozen=True, slots=True)
class Ask:
    """The [ask] table: the call to action beside the pledge form."""

    heading: str
    paragraphs: tuple[str, ...]
    pledge_statement: str
    button: str


@dataclass(frozen=True, slots=True)
class StorySection:
    """One [[story]] table."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One [[bill.timeline]] table."""

    date: datetime.date
    text: str


@dataclass(frozen=True, slots=True)
class Bill:
    """The [bill] table: the facts the page and the letters cite."""

    short_title: str
    congress: int
    house_number: str
    senate_number: str
    house_url: str
    senate_url: str
    status: str
    provisions: tuple[str, ...]
    # Bioguide IDs of the sponsors and cosponsors, whose letters thank instead of ask.
    sponsors: frozenset[str]
    timeline: tuple[TimelineEntry, ...]
    # The day the House passed the bill, if it has: who had no vote on it is asked to
    # support it rather than thanked for passing it.
    house_passed: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """One [[sources]] table."""

    title: str
    publisher: str
    date: datetime.date
    url: str | None = None


@dataclass(frozen=True, slots=True)
class KindMaterial:
    """The letter material for one kind of recipient, [letter.<kind>]."""

    subjects: tuple[str, ...]
    asks: tuple[str, ...]
    call_scripts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LetterMaterial:
    """The [letter] table: alternatives for every part of a letter, all checked templates."""

    # The extra template variables of [letter.values], read-only.
    values: Mapping[str, str] = field(hash=False)
    introductions: tuple[str, ...]
    openings: tuple[str, ...]
    backgrounds: tuple[str, ...]
    bill_summaries: tuple[str, ...]
    closings: tuple[str, ...]
    sign_offs: tuple[str, ...]
    senate: KindMaterial
    senate_sponsor: KindMaterial
    house: KindMaterial
    house_sponsor: KindMaterial
    # [letter.house_had_no_vote]: only the bill's own letter has it, and only when the bill
    # gives bill.house_passed (the check requires it then and refuses it otherwise).
    house_had_no_vote: KindMaterial | None = None

    def for_kind(self, kind: RecipientKind) -> KindMaterial:
        """Return the material for one kind of recipient (see RECIPIENT_KINDS)."""
        if kind == "senate":
            return self.senate
        if kind == "senate_sponsor":
            return self.senate_sponsor
        if kind == "house":
            return self.house
        if kind == "house_sponsor":
            return self.house_sponsor
        if self.house_had_no_vote is None:
            # Never [letter.house] instead: it thanks the member for a vote they never had.
            raise LookupError(
                "this letter material has no [letter.house_had_no_vote]: it is used only "
                "while the bill is alive and bill.house_passed gives the day the House passed it"
            )
        return self.house_had_no_vote


@dataclass(frozen=True, slots=True)
class NextCongress:
    """The [next_congress] table: the ask once the bill's Congress has ended.

    Its tagline, status and ask paragraphs stand in for the campaign's own; its letter is
    the campaign's [letter] with the tables of [next_congress.letter] in their place.
    """

    tagline: str
    status: str
    ask_paragraphs: tuple[str, ...]
    letter: LetterMaterial


@dataclass(frozen=True, slots=True)
class Explanation:
    """[translations.<content>.letter.<kind>]: the English letter and call, explained in
    the language. Templates with the letters' variables; None: not translated."""

    letter_explanation: str | None = None
    call_explanation: str | None = None


@dataclass(frozen=True, slots=True)
class TranslatedSection:
    """One [[translations.<content>.story]]: the English section at the same place."""

    heading: str | None = None
    paragraphs: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Translation:
    """One [translations.<content>] table: the supporter-facing text in one language.

    Every field is optional: None (or an absent key) means not translated, and the page
    shows the English in its place, marked as such. Letters stay in English; `letter`
    and `next_letter` explain them (by recipient kind) in the language.
    """

    title: str | None = None
    tagline: str | None = None
    ask_heading: str | None = None
    ask_paragraphs: tuple[str, ...] | None = None
    pledge_statement: str | None = None
    button: str | None = None
    # As many as the English [[story]], in its order, or empty: none translated.
    story: tuple[TranslatedSection, ...] = ()
    short_title: str | None = None
    status: str | None = None
    # As many as the English bill.provisions, in its order.
    provisions: tuple[str, ...] | None = None
    # The English timeline's entries by date: on a date with several, in their order.
    timeline: Mapping[datetime.date, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    next_tagline: str | None = None
    next_status: str | None = None
    next_ask_paragraphs: tuple[str, ...] | None = None
    letter: Mapping[str, Explanation] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    next_letter: Mapping[str, Explanation] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )


@dataclass(frozen=True, slots=True)
class CampaignContent:
    """A whole campaign, checked: what the page shows and what letters are drafted from."""

    slug: str
    title: str
    tagline: str
    goal: int
    default: bool
    language: str
    ask: Ask
    story: tuple[StorySection, ...]
    bill: Bill
    sources: tuple[Source, ...]
    letter: LetterMaterial
    # None when the file has no [next_congress] table: a built-in ask stands in for it.
    next_congress: NextCongress | None = None
    # By content key (languages.toml's `content`, such as "ug"): the text in that language.
    translations: Mapping[str, Translation] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

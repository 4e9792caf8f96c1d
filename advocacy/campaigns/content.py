"""Campaign content: read from TOML files, checked once, served as typed, frozen objects.

A campaign's content has three forms:

- the checked mapping `load_campaign_file` returns: the TOML as read, dates as
  `datetime.date`, optional keys filled in;
- the stored mapping, `to_stored(mapping)`: the same with dates as ISO text, as the JSON
  column `Campaign.content` keeps it;
- `CampaignContent`, built by `parse_campaign` (from the TOML form) or
  `parse_stored_campaign` (from the stored form); `content_of(campaign)` builds it once per
  process for each stored content and hands out the same object after that.

Everything is checked when it is parsed, letter material included, so readers of a
`CampaignContent` (the page templates, letter drafting) never check it again.

The bill belongs to a Congress and dies with it. The optional [next_congress] table holds
what the campaign asks once that Congress has ended (`advocacy.campaigns.lifecycle`
decides which ask is in force); none of its text may name the old bill's numbers.

When the House has passed the bill, `bill.house_passed` gives the day, and members of the
House who had no vote on it (the delegates, the resident commissioner, and members sworn
in after that day) get [letter.house_had_no_vote] rather than [letter.house], which thanks
the House for passing it (`advocacy.letters.drafting.recipient_kind` decides).
"""

from __future__ import annotations

import copy
import datetime
import os
import re
import string
import threading
import tomllib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

from advocacy.congress.calendar import congress_end, congress_start, ordinal, sworn_in
from advocacy.congress.members import BIOGUIDE_PATTERN

if TYPE_CHECKING:
    from advocacy.models import Campaign

SHIPPED_DIR: Final = Path(__file__).parent / "shipped"
SLUG_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# A BCP 47 tag as the page's lang attribute needs it: "en", "ug", "zh-Hant".
LANGUAGE_PATTERN: Final = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")

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
        "place": '"Seattle, Washington", or the state alone without a city',
    }
)

_TOP_KEYS: Final = frozenset(
    {"slug", "title", "tagline", "goal", "default", "language", "ask", "story", "bill",
     "sources", "letter", "next_congress"}
)  # fmt: skip
_ASK_KEYS: Final = frozenset({"heading", "paragraphs", "pledge_statement", "button"})
_STORY_KEYS: Final = frozenset({"heading", "paragraphs"})
_BILL_KEYS: Final = frozenset(
    {"short_title", "congress", "house_number", "senate_number", "house_url", "senate_url",
     "status", "provisions", "sponsors", "timeline", "house_passed"}
)  # fmt: skip
_TIMELINE_KEYS: Final = frozenset({"date", "text"})
_SOURCE_KEYS: Final = frozenset({"title", "publisher", "date", "url"})
_NEXT_CONGRESS_KEYS: Final = frozenset({"tagline", "status", "ask_paragraphs", "letter"})
_NEXT_LETTER_KEYS: Final = frozenset(SHARED_SLOTS) | frozenset(EVERY_LETTER_KINDS)
# The variables that name the old bill: it dies with its Congress and the bill brought back
# in the next one gets new numbers, so the next-Congress ask may not use them.
OLD_BILL_VARIABLES: Final = frozenset({"house_number", "senate_number", "house_url", "senate_url"})
# How to_stored writes a date, and so the only text parse_stored_campaign reads as one.
_ISO_DATE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# --- the typed content ---------------------------------------------------------------------
# Attribute names are the TOML keys, so templates read `c.bill.short_title` as before.
# Build these with parse_campaign or parse_stored_campaign, which check everything first.


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


class CampaignContentError(ValueError):
    """Campaign content that cannot be served, with every problem found in it."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: campaign file is not valid:\n{lines}")


def shipped_campaign_files() -> list[Path]:
    """Return the campaign files that ship inside the package, in name order."""
    return sorted(SHIPPED_DIR.glob("*.toml"))


def load_campaign_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check one campaign file; raise CampaignContentError listing its problems.

    Return the checked mapping (dates as datetime.date, optional keys filled in): what
    `advocacy.campaigns.service.upsert_campaign` stores, and what parse_campaign takes.
    """
    source = os.fspath(path)
    try:
        raw = Path(source).read_bytes()
    except OSError as error:
        raise CampaignContentError(source, [f"cannot read the file: {error.strerror}"]) from error
    try:
        campaign = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CampaignContentError(source, ["the file is not UTF-8 text"]) from error
    except tomllib.TOMLDecodeError as error:
        raise CampaignContentError(source, [f"not valid TOML: {error}"]) from error
    problems = validate_campaign(campaign)
    if problems:
        raise CampaignContentError(source, problems)
    # Optional keys get their defaults here so readers of the mapping need not.
    campaign.setdefault("default", False)
    campaign.setdefault("language", "en")
    return campaign


def parse_campaign(
    campaign: Mapping[str, Any], *, source: str = "campaign content"
) -> CampaignContent:
    """Check a campaign mapping as read from TOML (dates as datetime.date) and build it.

    Raise CampaignContentError(source, problems) with every problem found.
    """
    problems = validate_campaign(campaign)
    if problems:
        raise CampaignContentError(source, problems)
    return _build(campaign)


def parse_stored_campaign(
    stored: Mapping[str, Any], *, source: str = "stored campaign content"
) -> CampaignContent:
    """Check a campaign mapping as Campaign.content stores it (dates as ISO text), build it."""
    return parse_campaign(_dates_from_iso(stored), source=source)


def to_stored(campaign: Mapping[str, Any]) -> dict[str, Any]:
    """Return a checked campaign mapping as Campaign.content stores it: dates as ISO text."""
    stored = _jsonable(campaign)
    assert isinstance(stored, dict)
    return stored


# content_of's cache: for each campaign (by slug), the stored content last parsed, as a
# private copy, and what it parsed to. A hit is decided by the stored content itself,
# compared whole, never by the row's updated_at, which every pledge changes. Comparing
# costs a few microseconds where a digest of the content would cost tens. The number of
# campaigns is small; past _CACHE_SIZE the least recently used goes.
_CACHE_SIZE: Final = 16
_cache: OrderedDict[str, tuple[Mapping[str, Any], CampaignContent]] = OrderedDict()
_cache_lock = threading.Lock()


def content_of(campaign: Campaign) -> CampaignContent:
    """Return the campaign row's content, parsed once per process while it is unchanged.

    Rows loaded again (every request loads its own) get the same object back as long as
    their stored content is equal to what was parsed; content changed with `advocacy
    campaigns load` is parsed on its first use. Raise CampaignContentError if the stored
    content is not valid.
    """
    stored = campaign.content
    with _cache_lock:
        entry = _cache.get(campaign.slug)
        if entry is not None:
            _cache.move_to_end(campaign.slug)
    # JSON data compares equal only to the same data, keys in any order, except that
    # true == 1 == 1.0: a row edited by hand to goal = 1.0 would get the checked content
    # it equals instead of an error. upsert_campaign stores only checked content.
    if entry is not None and entry[0] == stored:
        return entry[1]
    # Parsed outside the lock: a slow parse must not hold up requests for other campaigns.
    content = parse_stored_campaign(stored, source=f"campaign {campaign.slug!r} as stored")
    snapshot = copy.deepcopy(stored)  # the row's own mapping may change in place later
    with _cache_lock:
        entry = _cache.get(campaign.slug)
        if entry is not None and entry[0] == stored:
            # Another thread parsed the same content meanwhile: everyone gets its object.
            return entry[1]
        _cache[campaign.slug] = (snapshot, content)
        _cache.move_to_end(campaign.slug)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return content


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _dates_from_iso(stored: Mapping[str, Any]) -> Mapping[str, Any]:
    # Only the keys the schema holds dates in: other text that looks like a date stays text.
    campaign = dict(stored)
    bill = campaign.get("bill")
    if isinstance(bill, Mapping):
        bill = dict(bill)
        if isinstance(bill.get("timeline"), list):
            bill["timeline"] = [_date_from_iso(entry) for entry in bill["timeline"]]
        if "house_passed" in bill:
            bill["house_passed"] = _iso_date(bill["house_passed"])
        campaign["bill"] = bill
    if isinstance(campaign.get("sources"), list):
        campaign["sources"] = [_date_from_iso(source) for source in campaign["sources"]]
    return campaign


def _date_from_iso(entry: object) -> object:
    if isinstance(entry, Mapping) and "date" in entry:
        return {**entry, "date": _iso_date(entry["date"])}
    return entry


def _iso_date(value: object) -> object:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass  # 2025-02-30: left as text, which the check reports
    return value


def _build(campaign: Mapping[str, Any]) -> CampaignContent:
    # Only called on a campaign validate_campaign found no problem in.
    ask = campaign["ask"]
    bill = campaign["bill"]
    letter = campaign["letter"]
    next_congress = campaign.get("next_congress")
    return CampaignContent(
        slug=campaign["slug"],
        title=campaign["title"],
        tagline=campaign["tagline"],
        goal=campaign["goal"],
        default=campaign.get("default", False),
        language=campaign.get("language", "en"),
        ask=Ask(
            heading=ask["heading"],
            paragraphs=tuple(ask["paragraphs"]),
            pledge_statement=ask["pledge_statement"],
            button=ask["button"],
        ),
        story=tuple(
            StorySection(heading=section["heading"], paragraphs=tuple(section["paragraphs"]))
            for section in campaign["story"]
        ),
        bill=Bill(
            short_title=bill["short_title"],
            congress=bill["congress"],
            house_number=bill["house_number"],
            senate_number=bill["senate_number"],
            house_url=bill["house_url"],
            senate_url=bill["senate_url"],
            status=bill["status"],
            provisions=tuple(bill["provisions"]),
            sponsors=frozenset(bill["sponsors"]),
            timeline=tuple(
                TimelineEntry(date=entry["date"], text=entry["text"])
                for entry in bill.get("timeline", [])
            ),
            house_passed=bill.get("house_passed"),
        ),
        sources=tuple(
            Source(
                title=source["title"],
                publisher=source["publisher"],
                date=source["date"],
                url=source.get("url"),
            )
            for source in campaign["sources"]
        ),
        letter=_letter_material(letter),
        next_congress=None
        if next_congress is None
        else NextCongress(
            tagline=next_congress["tagline"],
            status=next_congress["status"],
            ask_paragraphs=tuple(next_congress["ask_paragraphs"]),
            # The bill's [letter] with the next Congress's tables in place, and without
            # [letter.house_had_no_vote]: nobody has voted on the bill brought back.
            letter=_letter_material(
                {
                    **{key: value for key, value in letter.items() if key != HAD_NO_VOTE},
                    **next_congress["letter"],
                }
            ),
        ),
    )


def _letter_material(letter: Mapping[str, Any]) -> LetterMaterial:
    return LetterMaterial(
        values=MappingProxyType(dict(letter.get("values", {}))),
        introductions=tuple(letter["introductions"]),
        openings=tuple(letter["openings"]),
        backgrounds=tuple(letter["backgrounds"]),
        bill_summaries=tuple(letter["bill_summaries"]),
        closings=tuple(letter["closings"]),
        sign_offs=tuple(letter["sign_offs"]),
        senate=_kind_material(letter["senate"]),
        senate_sponsor=_kind_material(letter["senate_sponsor"]),
        house=_kind_material(letter["house"]),
        house_sponsor=_kind_material(letter["house_sponsor"]),
        house_had_no_vote=_kind_material(letter[HAD_NO_VOTE]) if HAD_NO_VOTE in letter else None,
    )


def _kind_material(table: Mapping[str, Any]) -> KindMaterial:
    return KindMaterial(
        subjects=tuple(table["subjects"]),
        asks=tuple(table["asks"]),
        call_scripts=tuple(table["call_scripts"]),
    )


# --- checking ------------------------------------------------------------------------------


def validate_campaign(campaign: Mapping[str, Any]) -> list[str]:
    """Return every problem that keeps the campaign from being served, or an empty list.

    The campaign is the mapping as read from TOML, dates as datetime.date.
    """
    problems: list[str] = []
    _unknown_keys(campaign, _TOP_KEYS, "", problems)

    slug = _text(campaign, "slug", "slug", problems)
    if slug is not None and not SLUG_PATTERN.match(slug):
        problems.append(
            f"slug: {slug!r} must be 1 to 63 lowercase letters, digits or hyphens, "
            "starting with a letter or digit"
        )
    _text(campaign, "title", "title", problems)
    _text(campaign, "tagline", "tagline", problems)
    goal = _whole_number(campaign, "goal", "goal", problems)
    if goal is not None and goal <= 0:
        problems.append("goal: must be a positive number of pledges")
    if "default" in campaign and not isinstance(campaign["default"], bool):
        problems.append("default: must be true or false")
    if "language" in campaign:
        language = _text(campaign, "language", "language", problems)
        if language is not None and not LANGUAGE_PATTERN.match(language):
            problems.append(f'language: {language!r} is not a language tag such as "en"')

    ask = _table(campaign, "ask", "ask", problems)
    if ask is not None:
        _unknown_keys(ask, _ASK_KEYS, "ask.", problems)
        _text(ask, "heading", "ask.heading", problems)
        _text_list(ask, "paragraphs", "ask.paragraphs", problems)
        _text(ask, "pledge_statement", "ask.pledge_statement", problems)
        _text(ask, "button", "ask.button", problems)

    for index, section in _tables(campaign, "story", "story", problems, required=True):
        where = f"story[{index}]"
        _unknown_keys(section, _STORY_KEYS, f"{where}.", problems)
        _text(section, "heading", f"{where}.heading", problems)
        _text_list(section, "paragraphs", f"{where}.paragraphs", problems)

    bill = _table(campaign, "bill", "bill", problems)
    if bill is not None:
        _check_bill(bill, problems)

    for index, source in _tables(campaign, "sources", "sources", problems, required=True):
        where = f"sources[{index}]"
        _unknown_keys(source, _SOURCE_KEYS, f"{where}.", problems)
        _text(source, "title", f"{where}.title", problems)
        _text(source, "publisher", f"{where}.publisher", problems)
        _date(source, "date", f"{where}.date", problems)
        if "url" in source:
            _url(source, "url", f"{where}.url", problems)

    letter = _table(campaign, "letter", "letter", problems)
    if letter is not None:
        # A House passage date that is there but broken is reported under [bill] alone;
        # the letter is checked as the file means it, with the date.
        _check_letter(
            letter, problems, house_passed=isinstance(bill, Mapping) and "house_passed" in bill
        )

    if "next_congress" in campaign:
        next_congress = _table(campaign, "next_congress", "next_congress", problems)
        if next_congress is not None:
            _check_next_congress(
                next_congress,
                letter,
                bill if isinstance(bill, Mapping) else {},
                problems,
            )
    # Each problem once, however many checks come across it.
    return list(dict.fromkeys(problems))


def _check_bill(bill: Mapping[str, Any], problems: list[str]) -> None:
    _unknown_keys(bill, _BILL_KEYS, "bill.", problems)
    for key in ("short_title", "house_number", "senate_number", "status"):
        _text(bill, key, f"bill.{key}", problems)
    congress = _whole_number(bill, "congress", "bill.congress", problems)
    if congress is not None and congress <= 0:
        problems.append("bill.congress: must be a positive number, such as 119")
    _url(bill, "house_url", "bill.house_url", problems)
    _url(bill, "senate_url", "bill.senate_url", problems)
    _text_list(bill, "provisions", "bill.provisions", problems)
    sponsors = bill.get("sponsors")
    if sponsors is None:
        problems.append("bill.sponsors: missing (a list of bioguide IDs, may be empty)")
    elif not isinstance(sponsors, list):
        problems.append("bill.sponsors: must be a list of bioguide IDs")
    else:
        for index, bioguide in enumerate(sponsors):
            if not isinstance(bioguide, str) or not BIOGUIDE_PATTERN.match(bioguide):
                problems.append(
                    f"bill.sponsors[{index}]: {bioguide!r} is not a bioguide ID "
                    '(a capital letter and six digits, such as "K000397")'
                )
    for index, entry in _tables(bill, "timeline", "bill.timeline", problems, required=False):
        where = f"bill.timeline[{index}]"
        _unknown_keys(entry, _TIMELINE_KEYS, f"{where}.", problems)
        _date(entry, "date", f"{where}.date", problems)
        _text(entry, "text", f"{where}.text", problems)
    if "house_passed" in bill:
        _check_house_passed(bill, congress, problems)


def _check_house_passed(
    bill: Mapping[str, Any], congress: int | None, problems: list[str]
) -> None:
    # Optional: a bill the House has not passed has none. Who was in the House on this day
    # is thanked for passing the bill, so a wrong day thanks the wrong people.
    passed = _date(bill, "house_passed", "bill.house_passed", problems)
    if passed is None or congress is None or congress <= 0:
        return
    # The House can pass the bill only while its Congress sits: from noon on January 3 of
    # the first year to noon on January 3 two years later, both days included.
    first, last = congress_start(congress).date(), congress_end(congress).date()
    if not first <= passed <= last:
        problems.append(
            f"bill.house_passed: {passed.isoformat()} is not during the {ordinal(congress)} "
            f"Congress (bill.congress), which runs from {sworn_in(congress)} to "
            f"{sworn_in(congress + 1)}: give the day the House passed this bill"
        )


def _letter_variables(letter: Mapping[str, Any], problems: list[str]) -> set[str]:
    # The names a template may use: the built-in ones and the good ones of [letter.values].
    known = set(TEMPLATE_VARIABLES)
    values = letter.get("values", {})
    if not isinstance(values, Mapping):
        problems.append("letter.values: must be a table of names and text")
    else:
        for key, value in values.items():
            if not key.isidentifier() or not key.isascii():
                problems.append(
                    f"letter.values.{key}: a variable name may use only letters, digits "
                    "and underscores"
                )
            elif key in TEMPLATE_VARIABLES:
                problems.append(f"letter.values.{key}: ${key} is built in and cannot be redefined")
            elif not isinstance(value, str):
                problems.append(f"letter.values.{key}: must be text")
            else:
                known.add(key)
    return known


def _check_letter(letter: Mapping[str, Any], problems: list[str], *, house_passed: bool) -> None:
    # The bill facts and the title the templates use are checked with the rest above.
    # house_passed: the bill gives the day the House passed it (bill.house_passed).
    known = _letter_variables(letter, problems)
    for slot in SHARED_SLOTS:
        _check_templates(letter.get(slot), f"letter.{slot}", known, problems)
    for kind in RECIPIENT_KINDS:
        table = letter.get(kind)
        if kind == HAD_NO_VOTE and not house_passed:
            if table is not None:
                # It would never be used: its text never shown, like a misspelt key's.
                problems.append(
                    f"letter.{kind}: used only when bill.house_passed gives the day the "
                    "House passed the bill; add bill.house_passed or remove "
                    f"[letter.{kind}]"
                )
            continue
        if not isinstance(table, Mapping):
            if table is not None:
                problems.append(f"letter.{kind}: must be a table")
            elif kind == HAD_NO_VOTE:
                problems.append(
                    f"letter.{kind}: missing table [letter.{kind}], which bill.house_passed "
                    "needs: the letter to House members who had no vote on the bill (the "
                    "delegates, the resident commissioner, members sworn in after it), who "
                    "must not be thanked for passing it"
                )
            else:
                problems.append(f"letter.{kind}: missing table [letter.{kind}]")
            continue
        for slot in KIND_SLOTS:
            _check_templates(table.get(slot), f"letter.{kind}.{slot}", known, problems)


def _check_next_congress(
    next_congress: Mapping[str, Any],
    letter: Mapping[str, Any] | None,
    bill: Mapping[str, Any],
    problems: list[str],
) -> None:
    _unknown_keys(next_congress, _NEXT_CONGRESS_KEYS, "next_congress.", problems)
    _text(next_congress, "tagline", "next_congress.tagline", problems)
    _text(next_congress, "status", "next_congress.status", problems)
    _text_list(next_congress, "ask_paragraphs", "next_congress.ask_paragraphs", problems)
    congress = bill.get("congress")
    dies_with = (
        f"the {ordinal(congress)} Congress"
        if isinstance(congress, int) and not isinstance(congress, bool) and congress > 0
        else "its Congress"
    )
    next_letter = _table(next_congress, "letter", "next_congress.letter", problems)
    # Without a good [letter] its variables are not known: that problem is reported alone.
    if next_letter is not None and letter is not None:
        if HAD_NO_VOTE in next_letter:
            problems.append(
                f"next_congress.letter.{HAD_NO_VOTE}: the next Congress's letters have no "
                "such table: nobody has voted on the bill brought back, so every House "
                "member gets [next_congress.letter.house]"
            )
        _unknown_keys(
            {key: value for key, value in next_letter.items() if key != HAD_NO_VOTE},
            _NEXT_LETTER_KEYS,
            "next_congress.letter.",
            problems,
        )
        # [letter.values] is shared; its own problems are reported under [letter].
        known = _letter_variables(letter, []) - OLD_BILL_VARIABLES
        old = {name: dies_with for name in OLD_BILL_VARIABLES}
        for slot in SHARED_SLOTS:
            path = f"next_congress.letter.{slot}"
            if slot in next_letter:
                _check_templates(next_letter[slot], path, known, problems, old)
            else:
                for name in sorted(_variables_in(letter.get(slot)) & OLD_BILL_VARIABLES):
                    problems.append(
                        f"letter.{slot}: uses ${name}, which names the old bill after "
                        f"{dies_with} ends: give [next_congress.letter] its own {slot}"
                    )
        for kind in EVERY_LETTER_KINDS:
            path = f"next_congress.letter.{kind}"
            table = next_letter.get(kind)
            if not isinstance(table, Mapping):
                problems.append(
                    f"{path}: missing table [{path}]"
                    if table is None
                    else f"{path}: must be a table [{path}]"
                )
                continue
            _unknown_keys(table, frozenset(KIND_SLOTS), f"{path}.", problems)
            for slot in KIND_SLOTS:
                _check_templates(table.get(slot), f"{path}.{slot}", known, problems, old)
    # The old numbers written out are as wrong as the variables: the bill brought back
    # in the next Congress gets new ones.
    numbers = [
        bill[key]
        for key in ("house_number", "senate_number")
        if isinstance(bill.get(key), str) and bill[key].strip()
    ]
    for path, text in _texts_in(next_congress, "next_congress"):
        for number in numbers:
            if number in text:
                problems.append(
                    f"{path}: names {number}, which dies with {dies_with}; "
                    "the bill brought back in the next Congress gets a new number"
                )


def _texts_in(value: object, path: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, Mapping):
        return [pair for key, item in value.items() for pair in _texts_in(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [pair for i, item in enumerate(value) for pair in _texts_in(item, f"{path}[{i}]")]
    return []


def _variables_in(value: object) -> set[str]:
    if not isinstance(value, list):
        return set()
    names: set[str] = set()
    for item in value:
        if isinstance(item, str):
            template = string.Template(item)
            if template.is_valid():
                names.update(template.get_identifiers())
    return names


def _check_templates(
    value: object,
    path: str,
    known: set[str],
    problems: list[str],
    refused: Mapping[str, str] | None = None,
) -> None:
    # refused: variables known elsewhere but not here, each with the Congress it dies with.
    if value is None:
        problems.append(f"{path}: missing (a list of alternatives)")
        return
    if not isinstance(value, list):
        problems.append(f"{path}: must be a list of alternatives")
        return
    if not value:
        problems.append(f"{path}: needs at least one alternative")
        return
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(item, str):
            problems.append(f"{where}: must be text")
            continue
        if not item.strip():
            problems.append(f"{where}: must not be empty")
            continue
        if len(item.splitlines()) > 1:
            # Letters are one line per paragraph; a break here would hard-wrap the body.
            problems.append(
                f'{where}: must be one line (end lines with a backslash inside """ to join them)'
            )
        template = string.Template(item)
        if not template.is_valid():
            problems.append(
                f"{where}: has a '$' that is not a variable (write $$ for a dollar sign)"
            )
            continue
        for name in template.get_identifiers():
            if refused is not None and name in refused:
                problems.append(
                    f"{where}: ${name} names the old bill, which dies with {refused[name]}; "
                    "the bill brought back in the next Congress gets a new number"
                )
            elif name not in known:
                problems.append(
                    f"{where}: unknown variable ${name} (known: "
                    + ", ".join(f"${k}" for k in sorted(known))
                    + ")"
                )


def _unknown_keys(
    table: Mapping[str, Any], allowed: frozenset[str], prefix: str, problems: list[str]
) -> None:
    # A misspelt key would otherwise be silently ignored and its text never shown.
    for key in table:
        if key not in allowed:
            problems.append(
                f"{prefix}{key}: unknown key (expected one of: {', '.join(sorted(allowed))})"
            )


def _get(
    table: Mapping[str, Any],
    key: str,
    path: str,
    problems: list[str],
    accept: Callable[[object], bool],
    expected: str,
) -> Any:
    value = table.get(key)
    if value is None:
        problems.append(f"{path}: missing")
        return None
    if not accept(value):
        problems.append(f"{path}: must be {expected}")
        return None
    return value


def _text(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> str | None:
    value = _get(table, key, path, problems, lambda v: isinstance(v, str), "text")
    if value is not None and not value.strip():
        problems.append(f"{path}: must not be empty")
        return None
    return value if isinstance(value, str) else None


def _whole_number(
    table: Mapping[str, Any], key: str, path: str, problems: list[str]
) -> int | None:
    value = _get(
        table,
        key,
        path,
        problems,
        lambda v: isinstance(v, int) and not isinstance(v, bool),
        "a whole number",
    )
    return value if isinstance(value, int) else None


def _date(
    table: Mapping[str, Any], key: str, path: str, problems: list[str]
) -> datetime.date | None:
    value = _get(
        table,
        key,
        path,
        problems,
        lambda v: isinstance(v, datetime.date) and not isinstance(v, datetime.datetime),
        "a date written as 2025-09-02, without quotes",
    )
    return value if isinstance(value, datetime.date) else None


def _url(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> None:
    value = _text(table, key, path, problems)
    if value is not None and not re.match(r"^https?://[^\s/]+\S*$", value):
        problems.append(f"{path}: {value!r} is not a web address starting with https://")


def _text_list(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> None:
    value = _get(table, key, path, problems, lambda v: isinstance(v, list), "a list of text")
    if value is None:
        return
    if not value:
        problems.append(f"{path}: needs at least one entry")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            problems.append(f"{path}[{index}]: must be text")
        elif not item.strip():
            problems.append(f"{path}[{index}]: must not be empty")


def _table(
    table: Mapping[str, Any], key: str, path: str, problems: list[str]
) -> Mapping[str, Any] | None:
    value = table.get(key)
    if value is None:
        problems.append(f"{path}: missing table [{path}]")
        return None
    if not isinstance(value, Mapping):
        problems.append(f"{path}: must be a table [{path}]")
        return None
    return value


def _tables(
    table: Mapping[str, Any], key: str, path: str, problems: list[str], *, required: bool
) -> list[tuple[int, Mapping[str, Any]]]:
    value = table.get(key)
    if value is None:
        if required:
            problems.append(f"{path}: missing (one or more [[{path}]] tables)")
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        problems.append(f"{path}: must be written as [[{path}]] tables")
        return []
    if required and not value:
        problems.append(f"{path}: needs at least one [[{path}]] table")
    return list(enumerate(value))

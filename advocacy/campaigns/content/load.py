"""Loading campaign content: TOML files and stored rows into checked, typed objects.

`load_campaign_file` reads and checks a file; `to_stored` gives the mapping as the
database keeps it, and `from_stored` takes it back; `parse_campaign` and
`parse_stored_campaign` build the typed content (model.py) from either, once the rules
(rules.py) find no problem; `content_of` does so once per process for each stored
content. Content with problems raises `CampaignContentError`, which lists them all.
"""

from __future__ import annotations

import copy
import datetime
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from advocacy.cache import Cache
from advocacy.campaigns.content.model import (
    HAD_NO_VOTE,
    Ask,
    Bill,
    CampaignContent,
    Explanation,
    KindMaterial,
    LetterMaterial,
    NextCongress,
    Source,
    StorySection,
    TimelineEntry,
    TranslatedSection,
    Translation,
)
from advocacy.campaigns.content.rules import validate_campaign

if TYPE_CHECKING:
    from advocacy.models import Campaign

SHIPPED_DIR: Final = Path(__file__).parent.parent / "shipped"
# How to_stored writes a date, and so the only text parse_stored_campaign reads as one.
_ISO_DATE: Final = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


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
    return parse_campaign(from_stored(stored), source=source)


def to_stored(campaign: Mapping[str, Any]) -> dict[str, Any]:
    """Return a checked campaign mapping as Campaign.content stores it: dates as ISO text."""
    stored = _jsonable(campaign)
    assert isinstance(stored, dict)
    return stored


def from_stored(stored: Mapping[str, Any]) -> dict[str, Any]:
    """Return a campaign mapping as Campaign.content stores it in its TOML form: dates as dates.

    The inverse of to_stored, for the keys the schema holds dates in; anything else, text
    that looks like a date included, is kept as it is. Nothing is checked.
    """
    return _dates_from_iso(stored)


# content_of's cache: for each campaign (by slug), the stored content last parsed, as a
# private copy, and what it parsed to. A hit is decided by the stored content itself,
# compared whole, never by the row's updated_at, which every pledge changes. Comparing
# costs a few microseconds where a digest of the content would cost tens. The number of
# campaigns is small; past _CACHE_SIZE the least recently used goes. Kept per process,
# not per app: the parse is a pure function of the content it is checked against.
_CACHE_SIZE: Final = 16
_parsed: Cache[str, tuple[Mapping[str, Any], CampaignContent]] = Cache(max_size=_CACHE_SIZE)


def content_of(campaign: Campaign) -> CampaignContent:
    """Return the campaign row's content, parsed once per process while it is unchanged.

    Rows loaded again (every request loads its own) get the same object back as long as
    their stored content is equal to what was parsed; content changed with `advocacy
    campaigns load` is parsed on its first use. Raise CampaignContentError if the stored
    content is not valid.
    """
    stored = campaign.content

    def parse() -> tuple[Mapping[str, Any], CampaignContent]:
        # Outside the cache's lock: a slow parse holds up no request for another campaign.
        content = parse_stored_campaign(stored, source=f"campaign {campaign.slug!r} as stored")
        return copy.deepcopy(stored), content  # the row's own mapping may change in place

    # JSON data compares equal only to the same data, keys in any order, except that
    # true == 1 == 1.0: a row edited by hand to goal = 1.0 would get the checked content
    # it equals instead of an error. upsert_campaign stores only checked content.
    return _parsed.get(campaign.slug, parse, fresh=lambda entry: entry[0] == stored)[1]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _dates_from_iso(stored: Mapping[str, Any]) -> dict[str, Any]:
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
    translations = campaign.get("translations")
    if isinstance(translations, Mapping):
        campaign["translations"] = {
            key: _translation_dates(table) for key, table in translations.items()
        }
    return campaign


def _translation_dates(table: object) -> object:
    # [[translations.<key>.bill.timeline]] has dates, as the English timeline does.
    if not isinstance(table, Mapping) or not isinstance(table.get("bill"), Mapping):
        return table
    bill = dict(table["bill"])
    if isinstance(bill.get("timeline"), list):
        bill["timeline"] = [_date_from_iso(entry) for entry in bill["timeline"]]
    return {**table, "bill": bill}


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
        translations=MappingProxyType(
            {key: _translation(table) for key, table in campaign.get("translations", {}).items()}
        ),
    )


def _texts(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def _translation(table: Mapping[str, Any]) -> Translation:
    ask = table.get("ask", {})
    bill = table.get("bill", {})
    next_congress = table.get("next_congress", {})
    timeline: dict[datetime.date, tuple[str, ...]] = {}
    for entry in bill.get("timeline", []):
        timeline[entry["date"]] = (*timeline.get(entry["date"], ()), entry["text"])
    return Translation(
        title=table.get("title"),
        tagline=table.get("tagline"),
        ask_heading=ask.get("heading"),
        ask_paragraphs=_texts(ask.get("paragraphs")),
        pledge_statement=ask.get("pledge_statement"),
        button=ask.get("button"),
        story=tuple(
            TranslatedSection(
                heading=section.get("heading"), paragraphs=_texts(section.get("paragraphs"))
            )
            for section in table.get("story", [])
        ),
        short_title=bill.get("short_title"),
        status=bill.get("status"),
        provisions=_texts(bill.get("provisions")),
        timeline=MappingProxyType(timeline),
        next_tagline=next_congress.get("tagline"),
        next_status=next_congress.get("status"),
        next_ask_paragraphs=_texts(next_congress.get("ask_paragraphs")),
        letter=_explanations(table.get("letter", {})),
        next_letter=_explanations(next_congress.get("letter", {})),
    )


def _explanations(table: Mapping[str, Any]) -> Mapping[str, Explanation]:
    return MappingProxyType(
        {
            kind: Explanation(
                letter_explanation=texts.get("letter_explanation"),
                call_explanation=texts.get("call_explanation"),
            )
            for kind, texts in table.items()
        }
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

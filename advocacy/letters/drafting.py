"""Draft a constituent's letter and call script to one member of Congress from campaign data."""

from __future__ import annotations

import datetime
import hashlib
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from advocacy import clock
from advocacy.campaigns.content import CampaignContent, RecipientKind
from advocacy.campaigns.lifecycle import WASHINGTON, bill_is_current, letter_material
from advocacy.congress.calendar import congress_name
from advocacy.congress.members import Legislator
from advocacy.congress.states import state_prose_name

_SENATE_ZIP: Final = "20510"
_HOUSE_ZIP: Final = "20515"
_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# A one-line Washington address as congress-legislators writes it:
# "511 Hart Senate Office Building Washington DC 20510" (commas and dots vary).
_WASHINGTON_ADDRESS: Final = re.compile(
    r"^(?P<office>.+?)[\s,]+Washington,?\s+D\.?\s?C\.?,?\s+(?P<zip>\d{5}(?:-\d{4})?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Supporter:
    """The person signing: name, city and state as typed, and their own words; the ZIP
    code and street, when known, close the letter as congressional offices expect."""

    name: str
    city: str
    state: str
    note: str
    zip: str = ""
    street: str = ""


@dataclass(frozen=True)
class Letter:
    """A drafted letter, plain text throughout: the caller escapes it for HTML."""

    to: str
    salutation: str
    subject: str
    address_block: tuple[str, ...]
    date_line: str
    body: str
    call_script: str
    # Which ask it makes: the kind of member, and whether it is the bill's (else the next
    # Congress's); and the variables it was drafted with. A page in another language
    # explains the letter from these (advocacy.campaigns.translated.explanations).
    kind: RecipientKind = "senate"
    bill_current: bool = True
    values: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False, compare=False
    )


def recipient_kind(
    content: CampaignContent, legislator: Legislator, at: datetime.datetime | None = None
) -> RecipientKind:
    """Return which ask fits the member at an aware moment (the app's clock when not given).

    Senators get senate, or senate_sponsor when bill.sponsors lists them, and House members
    house_sponsor when it lists them. While the bill is alive and the House has passed it
    (bill.house_passed), only the House members who had a vote that day are thanked for
    passing it (house): voting members serving by then. The others, the delegates, the
    resident commissioner and members sworn in later, are asked to support it
    (house_had_no_vote). Without a House passage date, and once the bill has died, every
    other House member gets house.
    """
    sponsor = legislator.bioguide in content.bill.sponsors
    if legislator.chamber == "senate":
        return "senate_sponsor" if sponsor else "senate"
    if sponsor:
        return "house_sponsor"
    passed = content.bill.house_passed
    if passed is None or legislator.could_vote_on(passed):
        return "house"
    moment = clock.now() if at is None else at
    return "house_had_no_vote" if bill_is_current(content, moment) else "house"


def draft_letter(
    content: CampaignContent,
    legislator: Legislator,
    supporter: Supporter,
    today: datetime.date | None = None,
    *,
    at: datetime.datetime | None = None,
) -> Letter:
    """Draft the supporter's letter to one member from the campaign's letter material.

    `at` (aware; the app's clock when not given) decides the ask: the bill's while its
    Congress sits, the next Congress's after (advocacy.campaigns.lifecycle). The letter is
    dated `today`, or else the day `at` falls on in Washington.

    The material was checked when the content was parsed (advocacy.campaigns.content), so
    every template here is valid and uses only the variables filled in below.
    """
    moment = clock.now() if at is None else at
    if today is None:
        today = moment.astimezone(WASHINGTON).date()
    material = letter_material(content, moment)
    kind = recipient_kind(content, legislator, moment)
    kind_material = material.for_kind(kind)

    name = _one_line(supporter.name)
    city = _one_line(supporter.city)
    zip_code = _one_line(supporter.zip)
    # A constituent lives in the member's state, so that state stands in when none is given.
    state = _state_code(supporter.state) or legislator.state
    title = _title(legislator)
    values = _values(
        content, legislator, title, name=name, city=city, state=state, zip_code=zip_code
    )
    seed = "\x1f".join(
        [
            content.slug,
            legislator.bioguide,
            _fold(supporter.name),
            _fold(supporter.city),
            _fold(supporter.state),
        ]
    )

    def pick(slot: str, options: tuple[str, ...]) -> str:
        # One pass of substitute(): inserted values are never scanned again, so a
        # supporter named "$house_number" or "${x}" stays literally that.
        return string.Template(_choose(seed, slot, options)).substitute(values)

    salutation = f"Dear {title} {_last_name(legislator)},"
    introduction = pick("introductions", material.introductions)
    opening = pick("openings", material.openings)
    sign_off = pick("sign_offs", material.sign_offs)
    # Offices sort their mail by whether the writer is a constituent: the closing gives
    # the address as an envelope would, the street only when the supporter typed one.
    closing = (sign_off, name, _one_line(supporter.street), _postal_place(city, state, zip_code))
    signature = "\n".join(line for line in closing if line)
    paragraphs = [
        salutation,
        f"{introduction} {opening}",
        *_note_paragraphs(supporter.note),
        pick("backgrounds", material.backgrounds),
        pick("bill_summaries", material.bill_summaries),
        pick("asks", kind_material.asks),
        pick("closings", material.closings),
        signature,
    ]
    return Letter(
        to=f"{title} {legislator.name}",
        salutation=salutation,
        subject=pick("subjects", kind_material.subjects),
        address_block=_address_block(legislator),
        date_line=f"{_MONTHS[today.month - 1]} {today.day}, {today.year}",
        body="\n\n".join(paragraphs),
        call_script=pick("call_scripts", kind_material.call_scripts),
        kind=kind,
        bill_current=bill_is_current(content, moment),
        values=MappingProxyType(values),
    )


def _values(
    content: CampaignContent,
    legislator: Legislator,
    title: str,
    *,
    name: str,
    city: str,
    state: str,
    zip_code: str,
) -> dict[str, str]:
    # Exactly the names in advocacy.campaigns.content.TEMPLATE_VARIABLES, on top of the
    # campaign's own [letter.values].
    bill = content.bill
    state_name = state_prose_name(state)
    values = dict(content.letter.values)
    values.update(
        title=content.title,
        short_title=bill.short_title,
        house_number=bill.house_number,
        senate_number=bill.senate_number,
        house_url=bill.house_url,
        senate_url=bill.senate_url,
        congress=str(bill.congress),
        congress_name=congress_name(bill.congress),
        recipient=f"{title} {_last_name(legislator)}",
        recipient_title=title,
        last_name=_last_name(legislator),
        full_name=legislator.name,
        recipient_state=state_prose_name(legislator.state),
        chamber="Senate" if legislator.chamber == "senate" else "House of Representatives",
        name=name,
        city=city,
        state=state,
        state_name=state_name,
        place=_spoken_place(city, state_name, zip_code),
    )
    return values


def _spoken_place(city: str, state_name: str, zip_code: str) -> str:
    # "Washington, District of Columbia" after a city, "the District of Columbia" alone.
    # The ZIP code, when known, lets the office tell a constituent from anyone else in the
    # state: "Seattle, Washington, ZIP 98101", and never "Washington" alone but for want of it.
    place = f"{city}, {state_name.removeprefix('the ')}" if city else state_name
    return f"{place}, ZIP {zip_code}" if zip_code else place


def _title(legislator: Legislator) -> str:
    if legislator.title.strip():
        return legislator.title.strip()
    return "Senator" if legislator.chamber == "senate" else "Representative"


def _last_name(legislator: Legislator) -> str:
    return legislator.last_name.strip() or (legislator.name.split() or [""])[-1]


def _address_block(legislator: Legislator) -> tuple[str, ...]:
    if legislator.chamber == "senate":
        chamber, zip_code = "United States Senate", _SENATE_ZIP
    else:
        chamber, zip_code = "U.S. House of Representatives", _HOUSE_ZIP
    office = (legislator.office or "").strip()
    match = _WASHINGTON_ADDRESS.match(" ".join((legislator.address or "").split()))
    if match:
        office = match["office"].strip(" ,")
        zip_code = match["zip"]
    lines = [f"The Honorable {legislator.name}", chamber]
    if office:
        lines.append(office)
    lines.append(f"Washington, DC {zip_code}")
    return tuple(lines)


def _choose(seed: str, slot: str, options: tuple[str, ...]) -> str:
    # Each slot draws from its own digest, so choices vary independently of one another.
    digest = hashlib.sha256(f"{seed}\x1e{slot}".encode()).digest()
    return options[int.from_bytes(digest[:8], "big") % len(options)]


def _fold(text: str) -> str:
    # "  jane DOE " and "Jane Doe" are the same person: the same letter on reload.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _state_code(text: str) -> str:
    state = _one_line(text)
    # "wa" is a code typed in lower case; "Washington" is a name and keeps its case.
    return state.upper() if len(state) == 2 and state.isascii() and state.isalpha() else state


def _postal_place(city: str, state: str, zip_code: str) -> str:
    # The last line of a US address: "Seattle, WA 98101", "WA 98101", "Seattle, WA". The
    # state is never empty: the member's stands in for one not given.
    region = f"{state} {zip_code}" if zip_code else state
    return f"{city}, {region}" if city else region


def _note_paragraphs(note: str) -> list[str]:
    # The supporter's words as typed; only blank-line runs and edge whitespace are tidied
    # so the body keeps exactly one blank line between paragraphs.
    paragraphs: list[str] = []
    current: list[str] = []
    for line in note.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append("\n".join(current).strip())
            current = []
    if current:
        paragraphs.append("\n".join(current).strip())
    return paragraphs

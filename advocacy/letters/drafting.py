"""Draft a constituent's letter and call script to one member of Congress from campaign data."""

from __future__ import annotations

import datetime
import hashlib
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from advocacy.representatives.legislators import Legislator

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
# senate / house by chamber; *_sponsor when the member's bioguide is in bill.sponsors.
RECIPIENT_KINDS: Final = ("senate", "senate_sponsor", "house", "house_sponsor")

# Every variable a letter template may use, besides the names in [letter.values].
TEMPLATE_VARIABLES: Final[Mapping[str, str]] = {
    "title": "the campaign's title",
    "short_title": "bill.short_title",
    "house_number": "bill.house_number",
    "senate_number": "bill.senate_number",
    "house_url": "bill.house_url",
    "senate_url": "bill.senate_url",
    "congress": "bill.congress",
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
_STATE_NAMES: Final[Mapping[str, str]] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas",
    "CA": "California", "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "the District of Columbia", "AS": "American Samoa", "GU": "Guam",
    "MP": "the Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "the U.S. Virgin Islands",
}  # fmt: skip


class LetterMaterialError(ValueError):
    """The campaign's letter material cannot produce a letter."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("letter material is not valid: " + "; ".join(problems))


@dataclass(frozen=True)
class Supporter:
    """The person signing: name, city and state as typed, and their own words."""

    name: str
    city: str
    state: str
    note: str


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


def recipient_kind(campaign: Mapping[str, Any], legislator: Legislator) -> str:
    """Return which ask fits the member: senate, senate_sponsor, house or house_sponsor."""
    sponsors = campaign.get("bill", {}).get("sponsors", [])
    sponsor = legislator.bioguide in sponsors
    if legislator.chamber == "senate":
        return "senate_sponsor" if sponsor else "senate"
    return "house_sponsor" if sponsor else "house"


def draft_letter(
    campaign: Mapping[str, Any],
    legislator: Legislator,
    supporter: Supporter,
    today: datetime.date,
) -> Letter:
    """Draft the supporter's letter to one member from the campaign's letter material."""
    problems = validate_letter_material(campaign)
    if problems:
        raise LetterMaterialError(problems)
    material: Mapping[str, Any] = campaign["letter"]
    kind = recipient_kind(campaign, legislator)
    kind_material: Mapping[str, Any] = material[kind]

    name = _one_line(supporter.name)
    city = _one_line(supporter.city)
    # A constituent lives in the member's state, so that state stands in when none is given.
    state = _state_code(supporter.state) or legislator.state
    title = _title(legislator)
    values = _values(campaign, legislator, title, name=name, city=city, state=state)
    seed = "\x1f".join(
        [
            str(campaign["slug"]),
            legislator.bioguide,
            _fold(supporter.name),
            _fold(supporter.city),
            _fold(supporter.state),
        ]
    )

    def pick(slot: str, options: list[str]) -> str:
        # One pass of substitute(): inserted values are never scanned again, so a
        # supporter named "$house_number" or "${x}" stays literally that.
        return string.Template(_choose(seed, slot, options)).substitute(values)

    salutation = f"Dear {title} {_last_name(legislator)},"
    introduction = pick("introductions", material["introductions"])
    opening = pick("openings", material["openings"])
    sign_off = pick("sign_offs", material["sign_offs"])
    signature = "\n".join(line for line in (sign_off, name, _short_place(city, state)) if line)
    paragraphs = [
        salutation,
        f"{introduction} {opening}",
        *_note_paragraphs(supporter.note),
        pick("backgrounds", material["backgrounds"]),
        pick("bill_summaries", material["bill_summaries"]),
        pick("asks", kind_material["asks"]),
        pick("closings", material["closings"]),
        signature,
    ]
    return Letter(
        to=f"{title} {legislator.name}",
        salutation=salutation,
        subject=pick("subjects", kind_material["subjects"]),
        address_block=_address_block(legislator),
        date_line=f"{_MONTHS[today.month - 1]} {today.day}, {today.year}",
        body="\n\n".join(paragraphs),
        call_script=pick("call_scripts", kind_material["call_scripts"]),
    )


def validate_letter_material(campaign: Mapping[str, Any]) -> list[str]:
    """Return what keeps the campaign's [letter] table from drafting letters, if anything."""
    problems: list[str] = []
    for path in ("slug", "title"):
        _check_text(campaign.get(path), path, problems)
    bill = campaign.get("bill")
    if not isinstance(bill, Mapping):
        problems.append(
            "bill: missing table [bill]" if bill is None else "bill: must be a table [bill]"
        )
        bill = {}
    for key in ("short_title", "house_number", "senate_number", "house_url", "senate_url"):
        _check_text(bill.get(key), f"bill.{key}", problems)
    congress = bill.get("congress")
    if congress is None:
        problems.append("bill.congress: missing")
    elif not isinstance(congress, int) or isinstance(congress, bool):
        problems.append("bill.congress: must be a whole number")
    sponsors = bill.get("sponsors", [])
    if not isinstance(sponsors, list) or not all(isinstance(s, str) for s in sponsors):
        problems.append("bill.sponsors: must be a list of bioguide IDs")

    letter = campaign.get("letter")
    if not isinstance(letter, Mapping):
        problems.append(
            "letter: missing table [letter]"
            if letter is None
            else "letter: must be a table [letter]"
        )
        return problems
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

    for slot in SHARED_SLOTS:
        _check_templates(letter.get(slot), f"letter.{slot}", known, problems)
    for kind in RECIPIENT_KINDS:
        table = letter.get(kind)
        if not isinstance(table, Mapping):
            problems.append(
                f"letter.{kind}: missing table [letter.{kind}]"
                if table is None
                else f"letter.{kind}: must be a table"
            )
            continue
        for slot in KIND_SLOTS:
            _check_templates(table.get(slot), f"letter.{kind}.{slot}", known, problems)
    return problems


def _check_text(value: object, path: str, problems: list[str]) -> None:
    if value is None:
        problems.append(f"{path}: missing")
    elif not isinstance(value, str):
        problems.append(f"{path}: must be text")
    elif not value.strip():
        problems.append(f"{path}: must not be empty")


def _check_templates(value: object, path: str, known: set[str], problems: list[str]) -> None:
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
            if name not in known:
                problems.append(
                    f"{where}: unknown variable ${name} (known: "
                    + ", ".join(f"${k}" for k in sorted(known))
                    + ")"
                )


def _values(
    campaign: Mapping[str, Any],
    legislator: Legislator,
    title: str,
    *,
    name: str,
    city: str,
    state: str,
) -> dict[str, str]:
    bill: Mapping[str, Any] = campaign["bill"]
    state_name = _STATE_NAMES.get(state, state)
    values: dict[str, str] = {
        str(key): str(value) for key, value in campaign["letter"].get("values", {}).items()
    }
    values.update(
        title=str(campaign["title"]),
        short_title=str(bill["short_title"]),
        house_number=str(bill["house_number"]),
        senate_number=str(bill["senate_number"]),
        house_url=str(bill["house_url"]),
        senate_url=str(bill["senate_url"]),
        congress=str(bill["congress"]),
        recipient=f"{title} {_last_name(legislator)}",
        recipient_title=title,
        last_name=_last_name(legislator),
        full_name=legislator.name,
        recipient_state=_STATE_NAMES.get(legislator.state, legislator.state),
        chamber="Senate" if legislator.chamber == "senate" else "House of Representatives",
        name=name,
        city=city,
        state=state,
        state_name=state_name,
        # "Washington, District of Columbia" after a city, "the District of Columbia" alone.
        place=f"{city}, {state_name.removeprefix('the ')}" if city else state_name,
    )
    return values


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


def _choose(seed: str, slot: str, options: list[str]) -> str:
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


def _short_place(city: str, state: str) -> str:
    return f"{city}, {state}" if city and state else city or state


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

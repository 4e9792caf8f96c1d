"""The rules a campaign's content must follow: every problem found, for people to fix.

`validate_campaign` takes the mapping as read from TOML (dates as `datetime.date`) and
returns every problem it finds, worded for whoever edits the file; loading (load.py)
refuses content with any.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from advocacy.campaigns.content.fields import (
    _check_variables,
    _date,
    _formatted,
    _letter_variables,
    _table,
    _tables,
    _text,
    _text_list,
    _texts_in,
    _unknown_keys,
    _url,
    _variables_in,
    _whole_number,
)
from advocacy.campaigns.content.model import (
    ASK_KEYS,
    BILL_KEYS,
    CAMPAIGN_KEYS,
    CONGRESS_MAX,
    EVERY_LETTER_KINDS,
    GOAL_MAX,
    HAD_NO_VOTE,
    KIND_SLOTS,
    NEXT_CONGRESS_KEYS,
    OLD_BILL_VARIABLES,
    RECIPIENT_KINDS,
    SHARED_SLOTS,
    SOURCE_KEYS,
    STORY_KEYS,
    TIMELINE_KEYS,
    TITLE_MAX,
)
from advocacy.campaigns.content.translation_rules import _check_translations
from advocacy.congress.calendar import congress_end, congress_start, ordinal, sworn_in
from advocacy.congress.members import BIOGUIDE_PATTERN

SLUG_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# A BCP 47 tag as the page's lang attribute needs it: "en", "ug", "zh-Hant".
LANGUAGE_PATTERN: Final = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")

_TOP_KEYS: Final = frozenset(CAMPAIGN_KEYS)
_ASK_KEYS: Final = frozenset(ASK_KEYS)
_STORY_KEYS: Final = frozenset(STORY_KEYS)
_BILL_KEYS: Final = frozenset(BILL_KEYS)
_TIMELINE_KEYS: Final = frozenset(TIMELINE_KEYS)
_SOURCE_KEYS: Final = frozenset(SOURCE_KEYS)
_NEXT_CONGRESS_KEYS: Final = frozenset(NEXT_CONGRESS_KEYS)
_NEXT_LETTER_KEYS: Final = frozenset(SHARED_SLOTS) | frozenset(EVERY_LETTER_KINDS)


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
    title = _text(campaign, "title", "title", problems)
    if title is not None and len(title) > TITLE_MAX:
        problems.append(
            f"title: has {len(title):,} characters; a title may have at most {TITLE_MAX}"
        )
    _text(campaign, "tagline", "tagline", problems)
    goal = _whole_number(campaign, "goal", "goal", problems)
    if goal is not None and goal <= 0:
        problems.append("goal: must be a positive number of pledges")
    elif goal is not None and goal > GOAL_MAX:
        problems.append(f"goal: {goal:,} is more than a goal may be ({GOAL_MAX:,})")
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
        _formatted(ask, "paragraphs", "ask.paragraphs", problems)
        _text(ask, "pledge_statement", "ask.pledge_statement", problems)
        _text(ask, "button", "ask.button", problems)

    for index, section in _tables(campaign, "story", "story", problems, required=True):
        where = f"story[{index}]"
        _unknown_keys(section, _STORY_KEYS, f"{where}.", problems)
        _text(section, "heading", f"{where}.heading", problems)
        _text_list(section, "paragraphs", f"{where}.paragraphs", problems)
        _formatted(section, "paragraphs", f"{where}.paragraphs", problems)

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
    if "translations" in campaign:
        _check_translations(campaign, problems)
    # Each problem once, however many checks come across it.
    return list(dict.fromkeys(problems))


def _check_bill(bill: Mapping[str, Any], problems: list[str]) -> None:
    _unknown_keys(bill, _BILL_KEYS, "bill.", problems)
    for key in ("short_title", "house_number", "senate_number", "status"):
        _text(bill, key, f"bill.{key}", problems)
    congress = _whole_number(bill, "congress", "bill.congress", problems)
    if congress is not None and congress <= 0:
        problems.append("bill.congress: must be a positive number, such as 119")
    elif congress is not None and congress > CONGRESS_MAX:
        problems.append(f"bill.congress: {congress:,} is not a Congress's number, such as 119")
        congress = None  # its dates are beyond the calendar: nothing more is checked by them
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
    _formatted(next_congress, "ask_paragraphs", "next_congress.ask_paragraphs", problems)
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
        _check_variables(item, where, known, problems, refused)

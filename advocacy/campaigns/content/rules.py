"""The rules a campaign's content must follow: every problem found, for people to fix.

`validate_campaign` takes the mapping as read from TOML (dates as `datetime.date`) and
returns every problem it finds, worded for whoever edits the file; loading (load.py)
refuses content with any.
"""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Callable, Mapping
from typing import Any, Final

from advocacy.campaigns.content.model import (
    ASK_KEYS,
    BILL_KEYS,
    CAMPAIGN_KEYS,
    CONGRESS_MAX,
    EVERY_LETTER_KINDS,
    EXPLANATION_KEYS,
    GOAL_MAX,
    HAD_NO_VOTE,
    KIND_SLOTS,
    NEXT_CONGRESS_KEYS,
    OLD_BILL_VARIABLES,
    RECIPIENT_KINDS,
    SHARED_SLOTS,
    SOURCE_KEYS,
    STORY_KEYS,
    TEMPLATE_VARIABLES,
    TIMELINE_KEYS,
    TITLE_MAX,
    TRANSLATED_BILL_KEYS,
    TRANSLATED_NEXT_CONGRESS_KEYS,
    TRANSLATION_KEYS,
)
from advocacy.congress.calendar import congress_end, congress_start, ordinal, sworn_in
from advocacy.congress.members import BIOGUIDE_PATTERN
from advocacy.i18n.languages import languages
from advocacy.i18n.uly import foreign_letters
from advocacy.web.prose import ALLOWED_LINKS, refused_links

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
        _check_variables(item, where, known, problems, refused)


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


def _formatted(table: Mapping[str, Any], key: str, path: str, problems: list[str]) -> None:
    # The paragraphs the page shows formatted (advocacy.web.prose: emphasis, lists,
    # links); every other text is plain. A link the page would not make is refused here,
    # by the same parser and test, rather than left for a reader to find it dead.
    value = table.get(key)
    if not isinstance(value, list):
        return  # reported by _text_list
    for index, item in enumerate(value):
        for link in refused_links(item) if isinstance(item, str) else ():
            goes = f"goes to {link.address!r}" if link.address else "has no address"
            problems.append(
                f"{path}[{index}]: the link [{link.words}] {goes}: a link may go only to "
                f"{ALLOWED_LINKS}, written [words](https://example.org/page)"
            )


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


# --- [translations.<content>] ---------------------------------------------------------------
# The supporter-facing text in another language. Every field is optional; what is there
# must fit the English it translates (as many story sections, provisions; timeline dates
# the English has), and its letters' explanations may use only the letters' variables.


def _check_translations(campaign: Mapping[str, Any], problems: list[str]) -> None:
    translations = campaign["translations"]
    if not isinstance(translations, Mapping):
        problems.append("translations: must be tables such as [translations.ug]")
        return
    by_content = {language.content: language for language in languages() if language.content}
    for key, table in translations.items():
        where = f"translations.{key}"
        if key not in by_content:
            known = ", ".join(sorted(by_content)) or "none"
            problems.append(
                f"{where}: unknown language (the content keys of languages.toml: {known})"
            )
            continue
        if not isinstance(table, Mapping):
            problems.append(f"{where}: must be a table [{where}]")
            continue
        found: list[str] = []
        _check_translation(campaign, table, where, found)
        if by_content[key].cldr == "ug":
            found.extend(_not_uyghur(table, where))
        problems.extend(found)


def _check_translation(
    campaign: Mapping[str, Any], table: Mapping[str, Any], where: str, problems: list[str]
) -> None:
    _unknown_keys(table, frozenset(TRANSLATION_KEYS), f"{where}.", problems)
    for key in ("title", "tagline"):
        if key in table:
            _text(table, key, f"{where}.{key}", problems)
    ask = _optional_table(table, "ask", where, problems)
    if ask is not None:
        _unknown_keys(ask, _ASK_KEYS, f"{where}.ask.", problems)
        _texts(ask, ("heading", "pledge_statement", "button"), f"{where}.ask", problems)
        _paragraphs(ask, "paragraphs", f"{where}.ask", problems)
    if "story" in table:
        english = campaign.get("story")
        count = len(english) if isinstance(english, list) else 0
        sections = _tables(table, "story", f"{where}.story", problems, required=False)
        if len(sections) != count and isinstance(table["story"], list):
            problems.append(
                f"{where}.story: has {len(sections)} sections and the English [[story]] "
                f"{count}: translate each section in the English order (a section's "
                "fields may be left out)"
            )
        for index, section in sections:
            path = f"{where}.story[{index}]"
            _unknown_keys(section, _STORY_KEYS, f"{path}.", problems)
            _texts(section, ("heading",), path, problems)
            _paragraphs(section, "paragraphs", path, problems)
    bill = _optional_table(table, "bill", where, problems)
    if bill is not None:
        _check_translated_bill(campaign, bill, f"{where}.bill", problems)
    known = _known_in_translations(campaign)
    # A kind the English letters do not have now (house_had_no_vote without a House vote)
    # is kept, unused, like the English [next_congress] a campaign may not have yet.
    letter = _optional_table(table, "letter", where, problems)
    if letter is not None:
        _check_explanations(letter, f"{where}.letter", RECIPIENT_KINDS, known, problems)
    next_congress = _optional_table(table, "next_congress", where, problems)
    if next_congress is not None:
        path = f"{where}.next_congress"
        _unknown_keys(
            next_congress, frozenset(TRANSLATED_NEXT_CONGRESS_KEYS), f"{path}.", problems
        )
        _texts(next_congress, ("tagline", "status"), path, problems)
        _paragraphs(next_congress, "ask_paragraphs", path, problems)
        next_letter = _optional_table(next_congress, "letter", path, problems)
        if next_letter is not None:
            refused = {name: "its Congress" for name in OLD_BILL_VARIABLES}
            _check_explanations(
                next_letter, f"{path}.letter", EVERY_LETTER_KINDS, known, problems, refused
            )


def _check_translated_bill(
    campaign: Mapping[str, Any], bill: Mapping[str, Any], path: str, problems: list[str]
) -> None:
    english = campaign.get("bill")
    english = english if isinstance(english, Mapping) else {}
    _unknown_keys(bill, frozenset(TRANSLATED_BILL_KEYS), f"{path}.", problems)
    _texts(bill, ("short_title", "status"), path, problems)
    if "provisions" in bill:
        _text_list(bill, "provisions", f"{path}.provisions", problems)
        provisions = english.get("provisions")
        count = len(provisions) if isinstance(provisions, list) else 0
        if isinstance(bill["provisions"], list) and len(bill["provisions"]) != count:
            problems.append(
                f"{path}.provisions: has {len(bill['provisions'])} entries and the English "
                f"bill.provisions {count}: translate each, in the English order"
            )
    timeline = english.get("timeline")
    dates = [
        entry.get("date")
        for entry in (timeline if isinstance(timeline, list) else [])
        if isinstance(entry, Mapping)
    ]
    # An English date that is not one is reported under [bill] alone.
    matched = all(isinstance(day, datetime.date) for day in dates)
    seen: dict[datetime.date, int] = {}
    for index, entry in _tables(bill, "timeline", f"{path}.timeline", problems, required=False):
        where = f"{path}.timeline[{index}]"
        _unknown_keys(entry, _TIMELINE_KEYS, f"{where}.", problems)
        day = _date(entry, "date", f"{where}.date", problems)
        _text(entry, "text", f"{where}.text", problems)
        if day is None:
            continue
        seen[day] = seen.get(day, 0) + 1
        if matched and seen[day] > dates.count(day):
            problems.append(
                f"{where}.date: {day.isoformat()} is not the date of an entry of the "
                "English bill.timeline (or not of that many): a translated entry goes "
                "with the English entry of its date"
            )


def _known_in_translations(campaign: Mapping[str, Any]) -> set[str] | None:
    # The letters' variables; [letter.values]'s own problems are reported under [letter].
    # Without a good [letter] they are not known: that problem is reported alone.
    letter = campaign.get("letter")
    return _letter_variables(letter, []) if isinstance(letter, Mapping) else None


def _check_explanations(
    table: Mapping[str, Any],
    path: str,
    kinds: tuple[str, ...],
    known: set[str] | None,
    problems: list[str],
    refused: Mapping[str, str] | None = None,
) -> None:
    _unknown_keys(table, frozenset(kinds), f"{path}.", problems)
    for kind in kinds:
        explanation = _optional_table(table, kind, path, problems)
        if explanation is None:
            continue
        where = f"{path}.{kind}"
        _unknown_keys(explanation, frozenset(EXPLANATION_KEYS), f"{where}.", problems)
        for key in EXPLANATION_KEYS:
            text = (
                _text(explanation, key, f"{where}.{key}", problems) if key in explanation else None
            )
            if text is not None and known is not None:
                _check_variables(text, f"{where}.{key}", known, problems, refused)


def _check_variables(
    text: str,
    where: str,
    known: set[str],
    problems: list[str],
    refused: Mapping[str, str] | None,
) -> None:
    template = string.Template(text)
    if not template.is_valid():
        problems.append(f"{where}: has a '$' that is not a variable (write $$ for a dollar sign)")
        return
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


def _optional_table(
    table: Mapping[str, Any], key: str, where: str, problems: list[str]
) -> Mapping[str, Any] | None:
    if key not in table:
        return None
    return _table(table, key, f"{where}.{key}", problems)


def _texts(
    table: Mapping[str, Any], keys: tuple[str, ...], where: str, problems: list[str]
) -> None:
    for key in keys:
        if key in table:
            _text(table, key, f"{where}.{key}", problems)


def _paragraphs(table: Mapping[str, Any], key: str, where: str, problems: list[str]) -> None:
    if key in table:
        _text_list(table, key, f"{where}.{key}", problems)
        _formatted(table, key, f"{where}.{key}", problems)


# The characters before Arabic's presentation forms that Uyghur text may hold (Latin,
# punctuation, the Uyghur letters), and general punctuation: « », dashes, joiners.
_UYGHUR_PLAIN: Final = frozenset(
    character
    for character in map(chr, (*range(0x0700), *range(0x2000, 0x2070)))
    if not foreign_letters(character)
)


def _not_uyghur(table: Mapping[str, Any], where: str) -> list[str]:
    # Letters that look like Uyghur ones and are not (Arabic ه for ە): the Latin page,
    # made by rule, could not be written, and readers would stumble on them.
    found = []
    for path, text in _texts_in(table, where):
        # Most texts hold only those: a set test, not a look-up of every character's
        # name (which costs ten times all the other checks).
        if set(text) <= _UYGHUR_PLAIN:
            continue
        for letter in foreign_letters(text):
            found.append(f"{path}: {letter.message} (character {letter.offset + 1})")
    return found

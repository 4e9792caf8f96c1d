"""The rules of a campaign's [translations.<content>] tables: known languages and keys,
the same story and provisions as the English, timeline dates it has, Uyghur letters only,
known $variables in the explanations."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Final

from advocacy.campaigns.content.fields import (
    _check_variables,
    _date,
    _letter_variables,
    _optional_table,
    _paragraphs,
    _tables,
    _text,
    _text_list,
    _texts,
    _texts_in,
    _unknown_keys,
)
from advocacy.campaigns.content.model import (
    ASK_KEYS,
    EVERY_LETTER_KINDS,
    EXPLANATION_KEYS,
    OLD_BILL_VARIABLES,
    RECIPIENT_KINDS,
    STORY_KEYS,
    TIMELINE_KEYS,
    TRANSLATED_BILL_KEYS,
    TRANSLATED_NEXT_CONGRESS_KEYS,
    TRANSLATION_KEYS,
)
from advocacy.i18n.languages import languages
from advocacy.i18n.uly import foreign_letters

# A translation's tables take the English ones' keys (and no others).
_ASK_KEYS: Final = frozenset(ASK_KEYS)
_STORY_KEYS: Final = frozenset(STORY_KEYS)
_TIMELINE_KEYS: Final = frozenset(TIMELINE_KEYS)


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

"""What a Uyghur message catalogue (.po) must get right before it ships: `problems`.

- Its translations use Uyghur letters only: an Arabic-script letter that Uyghur does not
  write (ث ح ذ ص ض ط ظ ع ة, Arabic ه for ە, Persian ی and ک) looks right on screen, reads
  wrong, and cannot be made into Latin script (`uly.foreign_letters`).
- Its header says who reviewed it: `X-Reviewer-Status: awaiting review` until a native
  speaker has, then `reviewed by NAME on YYYY-MM-DD`.
- Each translation keeps the English text's placeholders (`%(name)s`, `{name}`,
  `$name`) exactly: one missing or misspelt breaks the page or loses a member's name.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Final

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape

from advocacy.i18n.uly import PLACEHOLDER, foreign_letters

REVIEWER_HEADER: Final = "X-Reviewer-Status"
_REVIEWED: Final = re.compile(r"reviewed by (?P<name>\S.*?) on (?P<date>\d{4}-\d{2}-\d{2})")
_AWAITING: Final = "awaiting review"
_ESCAPES: Final = frozenset({"%%", "$$"})


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a catalogue, at its line (1 is the first)."""

    line: int
    message: str


@dataclass(frozen=True)
class _Translation:
    """One msgstr line: where it is, which plural form, and the text on it."""

    line: int
    form: int
    text: str
    header: bool


def problems(po_text: str) -> list[Problem]:
    """Every problem in a Uyghur catalogue's text, in line order; empty when it may ship."""
    try:
        catalog = read_po(io.StringIO(po_text), abort_invalid=True)
    except PoFileError as error:
        # Babel counts lines from 0, and puts "on <line>" at the end of its message.
        reason = str(error).rsplit(" on ", 1)[0]
        return [Problem(error.lineno + 1, f"not a valid .po file: {reason}")]
    translations = list(_translations(po_text))
    found = [
        Problem(translation.line, letter.message)
        for translation in translations
        for letter in foreign_letters(translation.text)
    ]
    found += _header_problems(translations)
    found += _placeholder_problems(catalog, translations)
    return sorted(found)


_KEYWORD: Final = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s*(".*")$')


def _translations(po_text: str) -> Iterator[_Translation]:
    """The msgstr lines of live entries (obsolete `#~` ones are comments), continuations too."""
    keyword = ""
    form = 0
    msgid = ""
    in_context = False
    for number, raw in enumerate(po_text.splitlines(), start=1):
        line = raw.strip()
        match = _KEYWORD.match(line)
        if match:
            if match.group(1) == "msgctxt":
                in_context = True
            elif match.group(1) == "msgid":
                in_context = keyword == "msgctxt"
                msgid = ""
            keyword, form, text = match.group(1), int(match.group(2) or 0), match.group(3)
        elif line.startswith('"') and keyword:
            text = line
        else:
            if not line or line.startswith("#"):
                keyword = ""
            continue
        if keyword == "msgid":
            msgid += unescape(text)
        elif keyword == "msgstr":
            yield _Translation(number, form, unescape(text), header=not msgid and not in_context)


def _header_problems(translations: list[_Translation]) -> list[Problem]:
    header = [translation for translation in translations if translation.header]
    fix = f"add `{REVIEWER_HEADER}: {_AWAITING}` until a native speaker has reviewed it"
    if not header:
        return [Problem(1, f'no header entry (msgid ""): {fix}')]
    for translation in header:
        for field in translation.text.splitlines():
            name, _, value = field.partition(":")
            if name.strip().lower() == REVIEWER_HEADER.lower():
                return _status_problems(translation.line, value.strip())
    return [Problem(header[0].line, f"no {REVIEWER_HEADER} header: {fix}")]


def _status_problems(line: int, status: str) -> list[Problem]:
    if status == _AWAITING:
        return []
    reviewed = _REVIEWED.fullmatch(status)
    if reviewed:
        try:
            date.fromisoformat(reviewed["date"])
        except ValueError:
            return [Problem(line, f"{REVIEWER_HEADER}: {reviewed['date']} is not a date")]
        return []
    return [
        Problem(
            line,
            f"{REVIEWER_HEADER} is {status!r}: write `{_AWAITING}` "
            "or `reviewed by NAME on YYYY-MM-DD`",
        )
    ]


def _placeholders(text: str) -> set[str]:
    return {found for found in PLACEHOLDER.findall(text) if found not in _ESCAPES}


def _placeholder_problems(catalog: Catalog, translations: list[_Translation]) -> list[Problem]:
    """Each translated form whose placeholders are not the English text's."""
    starts = [translation.line for translation in translations]
    found = []
    for message in catalog:
        if not message.id:
            continue
        for form, (string, required, allowed) in enumerate(_forms(message)):
            if not string:
                continue  # untranslated: the page shows the English
            line = _form_line(translations, starts, message.lineno or 1, form)
            present = _placeholders(string)
            missing = sorted(required - present)
            unknown = sorted(present - allowed)
            if missing:
                found.append(Problem(line, f"placeholder missing: {', '.join(missing)}"))
            if unknown:
                found.append(
                    Problem(line, f"placeholder not in the English: {', '.join(unknown)}")
                )
    return found


def _form_line(translations: list[_Translation], starts: list[int], entry: int, form: int) -> int:
    """The line a form's msgstr starts on: the first one after the entry's msgid."""
    after = bisect_right(starts, entry)
    return next((t.line for t in translations[after:] if t.form == form), entry)


def _forms(message: Message) -> Iterator[tuple[str, set[str], set[str]]]:
    """Each translated form, the placeholders it must keep and those it may use.

    The first of several forms translates the singular and may leave out the plural's
    count (as gettext's own check allows); the others, or a language's only form,
    translate the plural.
    """
    if isinstance(message.id, str):
        placeholders = _placeholders(message.id)
        yield str(message.string or ""), placeholders, placeholders
        return
    singular, plural = (_placeholders(text) for text in message.id[:2])
    strings = (message.string,) if isinstance(message.string, str) else message.string or ()
    for form, string in enumerate(strings):
        required = singular if form == 0 and len(strings) > 1 else plural
        yield str(string or ""), required, singular | plural

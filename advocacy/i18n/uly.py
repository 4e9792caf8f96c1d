"""Uyghur Latin script (ULY, Uyghur Latin Yéziqi) made from Uyghur Arabic script (UEY).

The two scripts have the same 32 letters one for one, so the Latin is made by rule, not
by hand: `to_latin`. What a rule cannot know is left to the Arabic text's author:

- The hamza carrier ئ is not a letter of its own: it starts every word that begins with a
  vowel (ئۇيغۇر) and is not written in Latin there (uyghur); inside a word it is written
  as an apostrophe (مەسئۇل, mes'ul; ئەسئەت, es'et).
- ULY writes five sounds with two Latin letters (ch, gh, ng, sh, zh). Where two letters
  that are separate sounds meet and would read as one of those, an apostrophe goes
  between them: n'g (نەمەنگان, nemen'gan; باشلانغۇچ, bashlan'ghuch), s'h (ئىسھاق,
  is'haq), z'h and g'h.
- ە (U+06D5) is the vowel e; Arabic ه (U+0647) looks the same and is not a Uyghur letter.
  Neither it nor any other Arabic-script letter outside the Uyghur alphabet is guessed
  at: `to_latin` raises `NotUyghurError`, and `advocacy i18n lint` finds them first, with
  their lines, in a catalogue (`foreign_letters`).
- Capitals: Arabic script has none. With `capitalize=True` the first letter of the text
  and of each sentence (after . ! or ?) is a capital; proper nouns cannot be told from
  other words (Sherqiy türkistan, not Türkistan), so text that names places or people
  needs its Latin written by a person.

Placeholders (`%(name)s`, `{name}`, `$name`), HTML tags and entities and links pass
through untouched, and so does text already in Latin letters: `to_latin` of its own
output gives the same text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

# The Uyghur alphabet's order, each letter as UEY writes it and as ULY does.
LETTERS: Final[dict[str, str]] = {
    "\u0627": "a",  # ا
    "\u06d5": "e",  # ە
    "\u0628": "b",  # ب
    "\u067e": "p",  # پ
    "\u062a": "t",  # ت
    "\u062c": "j",  # ج
    "\u0686": "ch",  # چ
    "\u062e": "x",  # خ
    "\u062f": "d",  # د
    "\u0631": "r",  # ر
    "\u0632": "z",  # ز
    "\u0698": "zh",  # ژ
    "\u0633": "s",  # س
    "\u0634": "sh",  # ش
    "\u063a": "gh",  # غ
    "\u0641": "f",  # ف
    "\u0642": "q",  # ق
    "\u0643": "k",  # ك
    "\u06af": "g",  # گ
    "\u06ad": "ng",  # ڭ
    "\u0644": "l",  # ل
    "\u0645": "m",  # م
    "\u0646": "n",  # ن
    "\u06be": "h",  # ھ
    "\u0648": "o",  # و
    "\u06c7": "u",  # ۇ
    "\u06c6": "ö",  # ۆ
    "\u06c8": "ü",  # ۈ
    "\u06cb": "w",  # ۋ
    "\u06d0": "é",  # ې
    "\u0649": "i",  # ى
    "\u064a": "y",  # ي
}
HAMZA: Final = "\u0626"  # ئ, the carrier of a vowel that starts a syllable

PUNCTUATION: Final[dict[str, str]] = {
    "\u060c": ",",  # ، Arabic comma
    "\u061b": ";",  # ؛ Arabic semicolon
    "\u061f": "?",  # ؟ Arabic question mark
    "\u06d4": ".",  # ۔ Arabic full stop
    "\u066a": "%",  # ٪ Arabic percent sign
    "\u066b": ".",  # ٫ Arabic decimal separator
    "\u066c": ",",  # ٬ Arabic thousands separator
}
DIGITS: Final[dict[str, str]] = {
    **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic ٠-٩
    **{chr(0x06F0 + n): str(n) for n in range(10)},  # Extended Arabic-Indic ۰-۹
}
# Joining controls that change a letter's shape, not the text: tatweel, ZWNJ, ZWJ and the
# byte-order mark (which some editors leave at the start of a line).
IGNORED: Final = frozenset("\u0640\u200c\u200d\ufeff")

# Arabic-script letters that are easily typed for a Uyghur one (Arabic and Persian
# keyboards), and what Uyghur writes instead.
CONFUSABLES: Final[dict[str, str]] = {
    "\u0647": "Uyghur writes ە (U+06D5) for e and ھ (U+06BE) for h",
    "\u0629": "Uyghur writes ە (U+06D5) for e",
    "\u06c1": "Uyghur writes ە (U+06D5) for e and ھ (U+06BE) for h",
    "\u06cc": "Uyghur writes ى (U+0649) for i and ي (U+064A) for y",
    "\u06a9": "Uyghur writes ك (U+0643) for k",
    "\u0621": "Uyghur writes the hamza on its carrier ئ (U+0626)",
    "\u0623": "Uyghur writes ا (U+0627) for a, after ئ (U+0626) at a word's start",
    "\u0625": "Uyghur writes ا (U+0627) for a, after ئ (U+0626) at a word's start",
    "\u0624": "Uyghur writes ئ (U+0626) before ۇ (U+06C7)",
}

# Letters that ULY writes with two Latin letters, read as one sound: a Latin letter that
# ends one Uyghur letter and the one that starts the next, which need an apostrophe
# between them to be read as two sounds (n'g, s'h, z'h, g'h).
# (No Uyghur letter's Latin ends in c, so ch is never made by two letters.)
_DIGRAPH_PAIRS: Final = frozenset({("n", "g"), ("s", "h"), ("z", "h"), ("g", "h")})

# The placeholders of printf, str.format (and Jinja's {{ }}) and string.Template: with
# links, HTML comments, tags and entities, the spans that pass through as they are.
PLACEHOLDER: Final = re.compile(
    r"%(?:\([^)\s]*\))?[#0\-+]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]"
    r"|\{\{.*?\}\}|\{[^{}\s]*\}"
    r"|\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*"
)
_LINK: Final = (
    r"(?:https?://|mailto:)[^\s<>\"'\u060c\u061b\u061f]*[^\s<>\"'\u060c\u061b\u061f.,;:!?)]"
)
_MARKUP: Final = re.compile(
    r"(?P<markup><!--.*?-->|</?[A-Za-z][^<>]*>"
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)"
    rf"|(?P<word>{_LINK}|{PLACEHOLDER.pattern})",
    re.DOTALL,
)


class NotUyghurError(ValueError):
    """The text has an Arabic-script character that is not part of Uyghur writing."""

    def __init__(self, character: str, offset: int) -> None:
        self.character = character
        self.offset = offset
        super().__init__(f"{describe(character)} at character {offset + 1} is not Uyghur")


@dataclass(frozen=True)
class ForeignLetter:
    """An Arabic-script character in a text that Uyghur does not write."""

    offset: int
    character: str

    @property
    def message(self) -> str:
        hint = CONFUSABLES.get(self.character)
        return f"{describe(self.character)} is not Uyghur" + (f": {hint}" if hint else "")


def describe(character: str) -> str:
    """A character as a translator can find it: itself, its code point and its name."""
    name = unicodedata.name(character, "unnamed character").lower()
    return f"{character} (U+{ord(character):04X} {name})"


def _plain(character: str) -> str:
    """One character with Arabic presentation forms (a shaped glyph) made the letters."""
    if "\ufb50" <= character <= "\ufdff" or "\ufe70" <= character <= "\ufefe":
        return unicodedata.normalize("NFKC", character)
    return character


def _is_arabic(character: str) -> bool:
    return unicodedata.name(character, "").startswith("ARABIC")


def _known(character: str) -> bool:
    return (
        character in LETTERS
        or character == HAMZA
        or character in PUNCTUATION
        or character in DIGITS
        or character in IGNORED
    )


def _composes_hamza(text: str, offset: int) -> bool:
    """Whether this is a combining hamza above that makes the ي before it ئ (its NFD)."""
    return offset > 0 and text[offset - 1 : offset + 1] == "\u064a\u0654"


def foreign_letters(text: str) -> list[ForeignLetter]:
    """Each Arabic-script character in `text` that is not Uyghur, with its offset."""
    found = []
    for offset, character in enumerate(text):
        if _composes_hamza(text, offset):
            continue
        for plain in _plain(character):
            if _is_arabic(plain) and not _known(plain):
                found.append(ForeignLetter(offset, plain))
    return found


@dataclass
class _Writer:
    """The Latin written so far, and what the next letter needs to know of it."""

    capitalize: bool
    parts: list[str]
    # The Latin of the word's last letter; None between words. After a word's first
    # hamza, which writes nothing, the word has started but has no letter yet: "".
    last: str | None = None
    sentence_start: bool = True

    def letter(self, latin: str) -> None:
        if self.last and (self.last[-1], latin[0]) in _DIGRAPH_PAIRS:
            self.parts.append("'")
        if self.capitalize and self.sentence_start:
            latin = latin[0].upper() + latin[1:]
        self.sentence_start = False
        self.parts.append(latin)
        self.last = latin

    def hamza(self) -> None:
        if self.last is None:
            self.last = ""
        else:
            self.parts.append("'")
            self.last = "'"

    def other(self, text: str) -> None:
        self.parts.append(text)
        self.last = None
        for character in text:
            if character in ".!?":
                self.sentence_start = True
            elif character.isalnum():
                self.sentence_start = False


def to_latin(text: str, *, capitalize: bool = False) -> str:
    """Uyghur text in Arabic script, written in ULY; anything not Uyghur passes through.

    Raises NotUyghurError on an Arabic-script letter Uyghur does not use (such as
    Arabic ه for ە), rather than guessing which Uyghur letter was meant.
    """
    writer = _Writer(capitalize=capitalize, parts=[])
    position = 0
    for span in _MARKUP.finditer(text):
        _write_uyghur(writer, text, position, span.start())
        if span.lastgroup == "markup":
            writer.parts.append(span.group())
            writer.last = None
        else:
            writer.other(span.group())
        position = span.end()
    _write_uyghur(writer, text, position, len(text))
    return "".join(writer.parts)


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern of proper names (Arabic script, as a catalogue lists them) in ULY: a
    name is found at a word's start, with any suffix after it (ئۇيغۇرلار, Uyghurlar)."""
    latin = sorted({to_latin(name).lower() for name in names if name.strip()}, key=len)
    if not latin:
        return None
    alternatives = "|".join(re.escape(name) for name in reversed(latin))
    return re.compile(rf"(?<![^\W\d_'])(?:{alternatives})", re.IGNORECASE)


def capitalize_names(latin: str, pattern: re.Pattern[str] | None) -> str:
    """Latin text with each word of the names pattern finds written with a capital: rule
    cannot tell a name from a word (Arabic script has no capitals), so a list does."""
    if pattern is None:
        return latin
    return pattern.sub(lambda found: _capitalized_words(found.group()), latin)


def _capitalized_words(phrase: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in phrase.split(" "))


def _write_uyghur(writer: _Writer, text: str, start: int, end: int) -> None:
    for offset in range(start, end):
        character = text[offset]
        if _composes_hamza(text, offset):
            continue
        if text[offset : offset + 2] == "\u064a\u0654":
            character = HAMZA
        for plain in _plain(character):
            _write_character(writer, plain, offset)


def _write_character(writer: _Writer, character: str, offset: int) -> None:
    if character in LETTERS:
        writer.letter(LETTERS[character])
    elif character == HAMZA:
        writer.hamza()
    elif character in IGNORED:
        return
    elif character in PUNCTUATION:
        writer.other(PUNCTUATION[character])
    elif character in DIGITS:
        writer.other(DIGITS[character])
    elif _is_arabic(character):
        raise NotUyghurError(character, offset)
    else:
        writer.other(character)

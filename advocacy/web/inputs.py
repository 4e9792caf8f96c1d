"""Cleaning what people type: Unicode kept, control characters and stray space removed.

Unicode's format characters (category Cf) are removed too: invisible, they can reorder
what a page or an export shows (the bidi embeddings, overrides and isolates, U+202A–U+202E
and U+2066–U+2069), or make two strings that look alike differ (zero-width space U+200B,
word joiner U+2060, byte order mark U+FEFF), so one person could pledge twice under one
visible address. Two are kept where they do their work: the zero-width non-joiner U+200C
(Persian, Uyghur in Arabic script: "stop this letter joining the next") and the zero-width
joiner U+200D (Indic scripts, after a virama), only between two letters or marks beyond
ASCII. An email address keeps none (clean_email).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Unicode's control characters (category Cc), a set its stability policy fixes forever.
# Replaced in one scan: a Python loop over unicodedata.category cost 50 µs for 1,000
# characters, paid before the length check could refuse a long field.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The same without the newline, for text that keeps its lines.
CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

ZWNJ, ZWJ = "\u200c", "\u200d"
# Direction marks (left-to-right, right-to-left, Arabic letter mark): invisible, but they
# only set the direction of the characters beside them, as mixed Uyghur and English text
# may need; a note keeps them, a name or address does not.
MARKS = "\u200e\u200f\u061c"
# Unicode's format characters (category Cf) as of Unicode 15; a test checks that every one
# the running Python knows is here (tests/web/test_invisible_characters.py). Listed, not
# computed: a scan of every code point at import would cost a third of a second.
FORMAT_RANGES = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
FORMAT = re.compile(f"[{FORMAT_RANGES}]")
# What cleaning removes or collapses (a regular expression's class): spaces, control and
# format characters. A required field must hold something else (the API's schema says so).
INVISIBLE = f"\\s\x00-\x1f\x7f-\x9f{FORMAT_RANGES}"
VISIBLE = f"[^{INVISIBLE}]"
# All of them but the joiners (a name) and also the direction marks (a note).
FORMAT_BUT_JOINERS = re.compile(f"(?![{ZWNJ}{ZWJ}])[{FORMAT_RANGES}]")
FORMAT_BUT_JOINERS_AND_MARKS = re.compile(f"(?![{ZWNJ}{ZWJ}{MARKS}])[{FORMAT_RANGES}]")
JOINER_RUN = re.compile(f"[{ZWNJ}{ZWJ}]+")


def clean_line(value: Any) -> Any:
    """Return one line of text: NFC, no control or stray format characters, single spaces."""
    if not isinstance(value, str):
        return _not_text(value)
    value = unicodedata.normalize("NFC", value)
    # Control characters (NUL above all, which PostgreSQL refuses) become spaces.
    value = CONTROL.sub(" ", value)
    value = _joiners_in_place(FORMAT_BUT_JOINERS.sub("", value))
    return " ".join(value.split())


def clean_email(value: Any) -> Any:
    """Return an email address as typed, without any format character (clean_line besides)."""
    if not isinstance(value, str):
        return _not_text(value)
    return clean_line(FORMAT.sub("", value))


def clean_text(value: Any) -> Any:
    """Return multi-line text: NFC, newlines kept (at most one blank line), no controls."""
    if not isinstance(value, str):
        return _not_text(value)
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = CONTROL_BUT_NEWLINE.sub(" ", value)
    value = _joiners_in_place(FORMAT_BUT_JOINERS_AND_MARKS.sub("", value))
    text = "\n".join(" ".join(line.split()) for line in value.split("\n")).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def _joiners_in_place(value: str) -> str:
    """Keep a zero-width (non-)joiner only between letters or marks of a script beyond ASCII."""
    if ZWNJ not in value and ZWJ not in value:
        return value
    return JOINER_RUN.sub(_joiner, value)


def _joiner(match: re.Match[str]) -> str:
    text, (start, end) = match.string, match.span()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return match.group() if _joins(before) and _joins(after) else ""


def _joins(char: str) -> bool:
    return char > "\x7f" and unicodedata.category(char)[0] in "LM"


def _not_text(value: Any) -> Any:
    # None is an empty field; anything else (a file part sent in a text field) is not
    # text at all, and counts as nothing typed.
    return None if value is None else ""

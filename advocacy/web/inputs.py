"""Cleaning what people type: Unicode kept, control characters and stray space removed."""

from __future__ import annotations

import unicodedata
from typing import Any


def clean_line(value: Any) -> Any:
    """Return one line of text: NFC, no control characters, single spaces, trimmed."""
    if not isinstance(value, str):
        return _not_text(value)
    value = unicodedata.normalize("NFC", value)
    # Control characters (NUL above all, which PostgreSQL refuses) become spaces.
    value = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return " ".join(value.split())


def clean_text(value: Any) -> Any:
    """Return multi-line text: NFC, newlines kept (at most one blank line), no controls."""
    if not isinstance(value, str):
        return _not_text(value)
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for raw in value.split("\n"):
        line = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in raw)
        lines.append(" ".join(line.split()))
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def _not_text(value: Any) -> Any:
    # None is an empty field; anything else (a file part sent in a text field) is not
    # text at all, and counts as nothing typed.
    return None if value is None else ""

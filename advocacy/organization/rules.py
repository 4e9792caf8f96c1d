"""What each field of the organization's identity may hold: one set of rules for the
settings form and the command line.

Text is cleaned as everything typed into this service is (`web.inputs`: Unicode NFC,
control and invisible format characters out), then checked. Nothing is refused for
holding markup: every page escapes these fields, and the footer and privacy text become
plain paragraphs, never HTML. A link (the website) must be an http(s) address, and an
email an address, because they become links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from advocacy.models import (
    EMAIL_MAX,
    ORG_ADDRESS_MAX,
    ORG_FOOTER_MAX,
    ORG_NAME_MAX,
    ORG_PRIVACY_TEXT_MAX,
    ORG_SHORT_NAME_MAX,
    ORG_WEBSITE_MAX,
)
from advocacy.web.inputs import clean_email, clean_line, clean_text

# Deliberately loose, as the pledge form's: one @, something on each side, a dot in the
# domain; and none of the characters that would make a mail program read two addresses,
# a comment or a display name.
EMAIL_SHAPE = re.compile(
    r"^[^@\s,;:<>()\[\]\"\\]+@[^@\s,;:<>()\[\]\"\\]+\.[^@\s,;:<>()\[\]\"\\]+$"
)
# A host name: labels of letters (any script: an IDN), digits and dashes, with a dot.
HOST_SHAPE = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
# Characters no address needs that would only be trouble in a page or a link.
URL_TROUBLE = re.compile(r"[\s<>\"'`{}|\\^]")
# The replacement character: what the form parser makes of bytes that were not UTF-8 (a
# lone surrogate's, say). A name with one in it did not arrive as it was typed.
REPLACEMENT = "\ufffd"
ADDRESS_LINES_MAX = 8


class IdentityError(ValueError):
    """Some fields cannot be saved as given; `problems` says why, field by field."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))
        self.problems = dict(problems)


@dataclass(frozen=True)
class Field:
    """One field of the identity: its label, its limit and how its text is cleaned."""

    name: str
    label: str
    max_length: int
    clean: Callable[[Any], Any]
    check: Callable[[str], str | None] | None = None


def _email_problem(text: str) -> str | None:
    if not EMAIL_SHAPE.match(text):
        return "Enter one email address, like contact@example.org."
    return None


def _website_problem(text: str) -> str | None:
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "Enter the website's full address, starting with https://."
    if (
        "@" in parts.netloc
        or not HOST_SHAPE.match(parts.hostname or "")
        or URL_TROUBLE.search(text)
    ):
        return "Enter the website's address alone, like https://example.org."
    return None


def _address_problem(text: str) -> str | None:
    if len(text.split("\n")) > ADDRESS_LINES_MAX:
        return f"Write the postal address on at most {ADDRESS_LINES_MAX} lines."
    return None


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        Field("name", "Organization's name", ORG_NAME_MAX, clean_line),
        Field("short_name", "Short name", ORG_SHORT_NAME_MAX, clean_line),
        Field("email", "Contact email", EMAIL_MAX, clean_email, _email_problem),
        Field("privacy_email", "Privacy contact email", EMAIL_MAX, clean_email, _email_problem),
        Field("address", "Postal address", ORG_ADDRESS_MAX, clean_text, _address_problem),
        Field("website", "Website", ORG_WEBSITE_MAX, clean_line, _website_problem),
        Field("footer", "Words for the footer", ORG_FOOTER_MAX, clean_text),
        Field(
            "privacy_text", "Your own words on the privacy page", ORG_PRIVACY_TEXT_MAX, clean_text
        ),
    )
}


def clean(name: str, value: Any) -> str:
    """Return a field's text as it is kept: cleaned, and "" for nothing (or not text)."""
    cleaned = FIELDS[name].clean(value)
    return cleaned if isinstance(cleaned, str) else ""


def problem(name: str, text: str) -> str | None:
    """Return why a field's cleaned text cannot be saved, or None. "" is always allowed."""
    field = FIELDS[name]
    if not text:
        return None
    if REPLACEMENT in text or _has_surrogate(text):
        return (
            f"The {field.label.lower()} has a character that did not arrive whole (shown "
            f"as {REPLACEMENT}). Type it again."
        )
    if len(text) > field.max_length:
        return f"Keep the {field.label.lower()} to {field.max_length:,} characters or fewer."
    return field.check(text) if field.check is not None else None


def _has_surrogate(text: str) -> bool:
    # A command-line argument that was not UTF-8 reaches Python as lone surrogates.
    return any("\ud800" <= char <= "\udfff" for char in text)


def checked(values: Mapping[str, Any]) -> dict[str, str]:
    """Return the given fields cleaned, or raise IdentityError naming every problem."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not fields of the identity: {sorted(unknown)}")
    cleaned = {name: clean(name, value) for name, value in values.items()}
    problems = {
        name: message
        for name, text in cleaned.items()
        if (message := problem(name, text)) is not None
    }
    if problems:
        raise IdentityError(problems)
    return cleaned

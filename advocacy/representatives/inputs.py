"""What a supporter types for a look-up, and what is wrong with it.

The forms (pledges' address forms, the look-up API's) check the fields with these; the
finder takes an `Address` and raises `LookupInputError` for a place it cannot find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext

# ASCII digits only: Python's \d also matches other scripts' digits ("٩٦٩١٠").
ZIP_PATTERN = re.compile(r"^([0-9]{5})(?:-[0-9]{4})?$")
# Shown beside the form's field in the page's language (English in the JSON API).
ZIP_MISSING = lazy_gettext("Please enter your 5-digit ZIP code.")
ZIP_MALFORMED = lazy_gettext("Please enter a 5-digit ZIP code, like %(example)s.", example="98101")


def zip_problem(text: str) -> str | None:
    """Say what is wrong with a cleaned ZIP code field, or None (ZIP+4 is fine)."""
    if not text:
        return str(ZIP_MISSING)
    return None if ZIP_PATTERN.match(text) else str(ZIP_MALFORMED)


@dataclass(frozen=True)
class Address:
    """Where a supporter lives, as typed: the ZIP code at least."""

    street: str = ""
    city: str = ""
    state: str = ""
    zip5: str = ""


class LookupInputError(ValueError):
    """What the supporter typed names no place we know; fields says which and why."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(str(message) for message in fields.values()))
        self.fields = fields

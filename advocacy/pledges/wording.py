"""The results page's numbers and days in the page's language.

The look-up says its days and ordinals in English ("January 3, 2027", "119th"), as the
API and the organizers' pages want them; a supporter's page in another language writes
them as that language does: days with CLDR's patterns (advocacy.web.languages), the
ordinal from the catalogue (Uyghur writes "119-").
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import pgettext
from markupsafe import Markup, escape

from advocacy.congress.calendar import congress_start, ordinal, sworn_in
from advocacy.web.languages import current_language, format_date


def page_ordinal(number: int) -> str:
    """Return "119th" on an English page, the catalogue's ordinal on another."""
    if current_language().is_english:
        return ordinal(number)
    return str(
        pgettext("an ordinal number, as in the 119th Congress", "%(number)sth", number=number)
    )


def page_sworn_in(congress: int) -> str:
    """Return the day a Congress is sworn in, as the page's language writes a day."""
    if current_language().is_english:
        return sworn_in(congress)
    return format_date(congress_start(congress).date())


def day_in_language(text: str) -> str:
    """Return a day the look-up wrote in English ("November 3, 2026") in the page's
    language; as it is when it is not such a day."""
    if current_language().is_english:
        return text
    try:
        day = datetime.strptime(text, "%B %d, %Y").date()
    except ValueError:
        return text
    return format_date(day)


def isolate(value: object, direction: str = "") -> Markup:
    """Return value (a name, a ZIP code, a seat code) isolated from the sentence around
    it, so that right-to-left text never reorders it: <bdi>, with dir="ltr" for codes and
    numbers. English pages, all left to right, show it as it is."""
    if current_language().is_english:
        return escape(value)
    if direction:
        return Markup('<bdi dir="%s">%s</bdi>') % (direction, value)
    return Markup("<bdi>%s</bdi>") % (value,)

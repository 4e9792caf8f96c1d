"""What the letters API takes: the member and the supporter signing."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from advocacy.congress.members import BIOGUIDE_PATTERN
from advocacy.congress.states import STATE_NAMES
from advocacy.letters.drafting import Supporter
from advocacy.models import CITY_MAX, NAME_MAX, NOTE_MAX, STREET_MAX
from advocacy.web.inputs import clean_line, clean_text

# The representatives' own rule (ZIP+4 accepted), which letters may not import.
ZIP_PATTERN = r"^[0-9]{5}(?:-[0-9]{4})?$"


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


class LetterForm(FlaskForm):
    bioguide = StringField(
        filters=[clean_line, _upper],
        validators=[
            DataRequired("Give the member's bioguide ID, like C000127."),
            Regexp(
                BIOGUIDE_PATTERN.pattern, message="Give the member's bioguide ID, like C000127."
            ),
        ],
    )
    name = StringField(
        filters=[clean_line],
        validators=[
            DataRequired("Please enter your name."),
            Length(max=NAME_MAX, message=f"Please keep your name under {NAME_MAX} characters."),
        ],
    )
    city = StringField(
        filters=[clean_line],
        validators=[
            Optional(),
            Length(max=CITY_MAX, message=f"Please keep the city under {CITY_MAX} characters."),
        ],
    )
    state = StringField(
        filters=[clean_line, _upper],
        validators=[
            Optional(),
            AnyOf(list(STATE_NAMES), message="Please give a US state or territory code, like WA."),
        ],
    )
    # The street and ZIP code close the letter (never in a URL or a log: the API takes
    # them in a POST body).
    street = StringField(
        filters=[clean_line],
        validators=[
            Optional(),
            Length(
                max=STREET_MAX, message=f"Please keep the street under {STREET_MAX} characters."
            ),
        ],
    )
    zip = StringField(
        filters=[clean_line],
        validators=[
            Optional(),
            Regexp(ZIP_PATTERN, message="Please enter a 5-digit ZIP code, like 98101."),
        ],
    )
    note = TextAreaField(
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=f"Please keep this under {NOTE_MAX} characters."),
        ],
    )

    def supporter(self) -> Supporter:
        """Return the person signing, from the validated fields."""
        return Supporter(
            name=self.name.data,
            city=self.city.data or "",
            state=self.state.data or "",
            note=self.note.data or "",
            zip=(self.zip.data or "")[:5],
            street=self.street.data or "",
        )

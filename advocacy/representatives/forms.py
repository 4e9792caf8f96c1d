"""The address fields, shared by the pledge form and the results page's address form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from advocacy.models import CITY_MAX, STREET_MAX
from advocacy.representatives.states import STATE_NAMES
from advocacy.text import clean_line

ZIP_PATTERN = r"^\d{5}(-\d{4})?$"

STATE_CHOICES = [SelectChoice("", "Choose your state")] + [
    SelectChoice(code, name)
    for code, name in sorted(STATE_NAMES.items(), key=lambda item: item[1])
]


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _street(required: bool) -> StringField:
    first = DataRequired("Please enter your street address.") if required else Optional()
    return StringField(
        "Street address",
        filters=[clean_line],
        validators=[
            first,
            Length(
                max=STREET_MAX, message=f"Please keep the street under {STREET_MAX} characters."
            ),
        ],
    )


class AddressForm(FlaskForm):
    street = _street(required=False)
    city = StringField(
        "City",
        filters=[clean_line],
        validators=[
            Optional(),
            Length(max=CITY_MAX, message=f"Please keep the city under {CITY_MAX} characters."),
        ],
    )
    state = SelectField(
        "State",
        choices=STATE_CHOICES,
        filters=[clean_line, _upper],
        validate_choice=False,
        validators=[
            Optional(),
            AnyOf(list(STATE_NAMES), message="Please choose a US state or territory."),
        ],
    )
    zip = StringField(
        "ZIP code",
        filters=[clean_line],
        validators=[
            DataRequired("Please enter your 5-digit ZIP code."),
            Regexp(ZIP_PATTERN, message="Please enter a 5-digit ZIP code, like 98101."),
        ],
    )

    def address(self) -> dict[str, str]:
        """Return the address fields as the representative finder takes them."""
        return {
            "street": self.street.data or "",
            "city": self.city.data or "",
            "state": self.state.data or "",
            "zip5": self.zip5(),
        }

    def zip5(self) -> str:
        """Return the five-digit ZIP (ZIP+4 is accepted and shortened)."""
        return str(self.zip.data or "")[:5]

    def errors_by_field(self) -> dict[str, str]:
        """Return the first message for each field that failed."""
        return {str(name): messages[0] for name, messages in self.errors.items() if messages}


class StreetAddressForm(AddressForm):
    """The results page's form: the street is what makes the look-up exact."""

    street = _street(required=True)

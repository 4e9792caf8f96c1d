"""The API's own form: a look-up by address, written on one line or in fields."""

from __future__ import annotations

from typing import Any

from wtforms import StringField
from wtforms.validators import Length, Optional

from advocacy.pledges.forms import AddressForm, zip_field
from advocacy.web.inputs import clean_line

ONELINE_ADDRESS_MAX = 300


class LookupForm(AddressForm):
    """The representatives API: an address on one line, or the fields, or a ZIP or state."""

    address = StringField(
        "Address",
        filters=[clean_line],
        validators=[
            Optional(),
            Length(
                max=ONELINE_ADDRESS_MAX,
                message=f"Please keep the address under {ONELINE_ADDRESS_MAX} characters.",
            ),
        ],
    )
    zip = zip_field(required=False)

    def validate(self, extra_validators: Any = None) -> bool:
        """Also require something to look up: an address, a ZIP code or a state."""
        valid = bool(super().validate(extra_validators))
        if not (self.address.data or self.zip.data or self.state.data or self.errors):
            self.address.errors = ["Please enter an address, or at least a ZIP code or state."]
            return False
        return valid

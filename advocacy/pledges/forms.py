"""The supporter's forms: one definition of each input, for the HTML pages and the JSON API.

Views turn a validated form into plain inputs (`Address`, `PledgeInput`) for the services.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.headerregistry import Address as MailAddress
from typing import Any

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError

from advocacy.congress.states import STATE_NAMES
from advocacy.models import CITY_MAX, EMAIL_MAX, NAME_MAX, NOTE_MAX, REF_MAX, STREET_MAX
from advocacy.pledges import codes
from advocacy.pledges.service import PledgeInput
from advocacy.pledges.wording import isolate
from advocacy.representatives.inputs import ZIP_MALFORMED, ZIP_MISSING, ZIP_PATTERN, Address
from advocacy.web.inputs import clean_email, clean_line, clean_text

# Deliberately loose: one @, something on each side, a dot in the domain.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

STATE_CHOICES = [SelectChoice("", lazy_gettext("Choose your state"))] + [
    SelectChoice(code, name)
    for code, name in sorted(STATE_NAMES.items(), key=lambda item: item[1])
]


def with_example(message: Any, example: str) -> LazyString:
    """message (lazy, naming %(example)s) with an example typed in Latin letters, isolated
    on another language's page (<bdi>) so that it never reorders the sentence around it.
    Markup: a page shows a lazy message as it is; the API reads it in English."""
    return LazyString(lambda: Markup(escape(str(message))) % {"example": isolate(example, "ltr")})


EXAMPLE_EMAIL = "name@example.org"
EMAIL_UNDELIVERABLE = with_example(
    lazy_gettext(
        "Please enter one email address like %(example)s, without spaces, commas or "
        "brackets: we send a link to it to confirm your pledge."
    ),
    EXAMPLE_EMAIL,
)


# An address made of dot-atoms alone (nearly all of them): certainly read as typed. The
# email package's parser, which decides the rest, costs a tenth of a pledge's time.
PLAIN_ADDRESS = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$"
)


def deliverable_email(_form: Any, field: Any) -> None:
    """Refuse an address a mail server would read differently (two of them, a comment)."""
    text = field.data or ""
    if PLAIN_ADDRESS.match(text):
        return
    try:
        parsed = MailAddress(addr_spec=text).addr_spec
    except (ValueError, IndexError, HeaderParseError):
        parsed = ""
    if parsed != text:
        raise ValidationError(EMAIL_UNDELIVERABLE)


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _street(required: bool) -> StringField:
    first = (
        DataRequired(lazy_gettext("Please enter your street address.")) if required else Optional()
    )
    return StringField(
        lazy_gettext("Street address"),
        filters=[clean_line],
        validators=[
            first,
            Length(
                max=STREET_MAX,
                message=lazy_gettext(
                    "Please keep the street under %(max)d characters.", max=STREET_MAX
                ),
            ),
        ],
    )


def zip_field(required: bool) -> StringField:
    """Return a ZIP code field (ZIP+4 accepted), required or not."""
    first = DataRequired(ZIP_MISSING) if required else Optional()
    return StringField(
        lazy_gettext("ZIP code"),
        filters=[clean_line],
        validators=[first, Regexp(ZIP_PATTERN.pattern, message=ZIP_MALFORMED)],
    )


class AddressForm(FlaskForm):
    """Where the supporter lives: the ZIP code at least; the street makes it exact."""

    street = _street(required=False)
    city = StringField(
        lazy_gettext("City"),
        filters=[clean_line],
        validators=[
            Optional(),
            Length(
                max=CITY_MAX,
                message=lazy_gettext(
                    "Please keep the city under %(max)d characters.", max=CITY_MAX
                ),
            ),
        ],
    )
    state = SelectField(
        lazy_gettext("State"),
        choices=STATE_CHOICES,
        filters=[clean_line, _upper],
        validate_choice=False,
        validators=[
            Optional(),
            AnyOf(
                list(STATE_NAMES), message=lazy_gettext("Please choose a US state or territory.")
            ),
        ],
    )
    zip = zip_field(required=True)

    def to_address(self) -> Address:
        """Return the validated address as the representative finder takes it."""
        return Address(
            street=self.street.data or "",
            city=self.city.data or "",
            state=self.state.data or "",
            # ZIP+4 is accepted and shortened.
            zip5=str(self.zip.data or "")[:5],
        )


class StreetAddressForm(AddressForm):
    """The results page's form: the street is what makes the look-up exact."""

    street = _street(required=True)


class PledgeFieldsForm(AddressForm):
    """The pledge itself: what the JSON API takes, and what PledgeForm guards for the pages.

    No session CSRF token: the API takes only JSON. The API builds this form, not
    PledgeForm, because WTForms builds every field on every request and a JSON body never
    carries the guard's fields.
    """

    class Meta:
        csrf = False

    name = StringField(
        lazy_gettext("Your name"),
        filters=[clean_line],
        validators=[
            DataRequired(lazy_gettext("Please enter your name.")),
            Length(
                max=NAME_MAX,
                message=lazy_gettext(
                    "Please keep your name under %(max)d characters.", max=NAME_MAX
                ),
            ),
        ],
    )
    email = EmailField(
        lazy_gettext("Email"),
        filters=[clean_email],
        validators=[
            DataRequired(lazy_gettext("Please enter your email address.")),
            Length(max=EMAIL_MAX, message=lazy_gettext("That email address is too long.")),
            Regexp(
                EMAIL_PATTERN,
                message=with_example(
                    lazy_gettext("Please enter an email address like %(example)s."), EXAMPLE_EMAIL
                ),
            ),
            deliverable_email,
        ],
    )
    note = TextAreaField(
        lazy_gettext("Why this matters to you"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(
                max=NOTE_MAX,
                message=lazy_gettext("Please keep this under %(max)d characters.", max=NOTE_MAX),
            ),
        ],
    )
    consent = BooleanField(lazy_gettext("The organizers may contact me about this campaign"))
    # DESIGN.md's `quote`: off by default; the note is kept only when it is ticked.
    quote = BooleanField(
        lazy_gettext(
            "My words above may be quoted, without my name, to my members of Congress' offices"
        )
    )
    ref = HiddenField(
        filters=[clean_line],
        validators=[
            Optional(),
            Length(max=REF_MAX, message=lazy_gettext("The partner reference is too long.")),
        ],
    )

    def pledge_input(self) -> PledgeInput:
        """Return the validated pledge as the pledge service takes it."""
        return PledgeInput(
            name=self.name.data,
            email=self.email.data,
            address=self.to_address(),
            note=self.note.data or "",
            consent=bool(self.consent.data),
            quote=bool(self.quote.data),
            ref=self.ref.data or "",
        )


class PledgeForm(PledgeFieldsForm):
    """The pledge from the campaign page or the widget, with the fields that guard it.

    No session CSRF token: the campaign page and the widget are the same for every visitor
    (cacheable, cookieless), so their posts are guarded by a signed token for the campaign
    and the Origin check instead (advocacy.web.formguard).
    """

    started = HiddenField()
    # The honeypot: hidden from people, filled in by naive bots.
    contact_me_by_fax_only = StringField(lazy_gettext("Leave this field empty"))


CODE_MALFORMED = with_example(
    lazy_gettext(
        "That is not a code from our emails: it has 20 letters and digits, like "
        "%(example)s. Please copy it from the email again."
    ),
    "K7QX2-M9PDA-3VW8E-TB6HJ",
)


def _code_format(_form: Any, field: Any) -> None:
    if codes.normalized(field.data or "") is None:
        raise ValidationError(CODE_MALFORMED)


class CodeForm(FlaskForm):
    """The code from a supporter's email, to confirm or to withdraw their pledge.

    The page is opened from the email in the supporter's own browser, so the session's
    CSRF token guards it. A mail scanner that opens the link only GETs, which changes
    nothing; the code arrives in the page's fragment, which no request carries.
    """

    code = StringField(
        lazy_gettext("The code from the email"),
        filters=[clean_line],
        validators=[
            DataRequired(lazy_gettext("Please enter the code from the email.")),
            _code_format,
        ],
    )

    def normalized_code(self) -> str:
        """Return the code as stored (call after validate())."""
        code = codes.normalized(self.code.data or "")
        if code is None:
            raise ValueError("the form was not validated")
        return code

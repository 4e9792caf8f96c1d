"""The organizers' forms: sign in, sign out, export, confirm a map, invite and accept an
invitation, change someone's roles, create an event, passkeys and asking again before an
export (each a CSRF-protected POST)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    Field,
    Form,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Regexp,
    ValidationError,
)

from advocacy.events.schedule import DEFAULT_TIME_ZONE, LONGEST, TIME_ZONES
from advocacy.models import EVENT_NAME_MAX, EVENT_PLACE_MAX, ORGANIZER_EMAIL_MAX
from advocacy.organizers.accounts import PASSWORD_MAX, PASSWORD_MIN
from advocacy.web.inputs import CONTROL, clean_line


class TextForm(FlaskForm):
    """A form read from the posted form's text fields only.

    Flask-WTF would also give a field a file part posted under its name, or a JSON body's
    values (numbers, lists, objects): none of them is text a person typed, and the
    validators and the accounts code expect text.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Form, formdata: Any) -> Any:
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None or wrapped is formdata:
                return wrapped  # nothing posted, or data the caller chose
            return request.form or None


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _no_control_characters(_form: Form, field: Field) -> None:
    # A NUL would reach the database (PostgreSQL refuses it); no address has one anyway.
    if isinstance(field.data, str) and CONTROL.search(field.data):
        raise ValidationError(
            "An email address cannot contain that character. Type your address again."
        )


class LoginForm(TextForm):
    email = StringField(
        "Email",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address."),
            Length(max=ORGANIZER_EMAIL_MAX, message="That is not an organizer's email address."),
            _no_control_characters,
        ],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Enter your password."),
            Length(max=PASSWORD_MAX, message="That password is too long."),
        ],
    )
    code = StringField(
        "One-time code",
        validators=[Length(max=16, message="Enter the six-digit code.")],
    )


class LogoutForm(TextForm):
    """Nothing but the CSRF token: signing out is a POST another site cannot forge."""


class ExportForm(TextForm):
    """Nothing but the CSRF token: an export is a POST another site cannot forge."""


class PasskeyActionForm(TextForm):
    """Nothing but the CSRF token: removing a passkey; the passkeys' script posts it too."""


class PasswordSwitchForm(TextForm):
    """An owner switching password sign-in on or off."""

    passwords = HiddenField(validators=[AnyOf(["on", "off"])])


class StepUpForm(TextForm):
    """A one-time code (or, for an account with no other factor, the password) given again."""

    answer = PasswordField(
        "One-time code",
        validators=[
            DataRequired("Enter the six-digit code from your authenticator app."),
            Length(max=PASSWORD_MAX, message="That is too long to be a code or a password."),
        ],
    )


class ConfirmMapForm(TextForm):
    """Confirm one flagged row of the changed-states table, as the organizer was shown it."""

    congress = HiddenField(validators=[DataRequired(), Regexp(r"^[1-9][0-9]{0,2}\Z")])
    state = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Z]{2}\Z")])
    # The row's lines on the page: if the table says otherwise by now, nothing is confirmed.
    lines = HiddenField(validators=[AnyOf(["new", "previous"])])


class InviteForm(TextForm):
    """An owner's invitation: the address; the roles are read by the view (one per campaign)."""

    email = StringField(
        "Their email address",
        filters=[_strip],
        validators=[
            DataRequired("Enter the email address of the person you are inviting."),
            Length(max=ORGANIZER_EMAIL_MAX, message="That address is too long."),
            _no_control_characters,
        ],
    )


class PeopleForm(TextForm):
    """Nothing but the CSRF token: a change to someone's account or roles (roles read apart)."""


class InvitationForm(TextForm):
    """The invitee chooses their password, twice."""

    password = PasswordField(
        "Choose a password",
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=PASSWORD_MIN,
                message=f"The password must be at least {PASSWORD_MIN} characters long.",
            ),
            Length(
                max=PASSWORD_MAX,
                message=f"The password must be at most {PASSWORD_MAX} characters long.",
            ),
        ],
    )
    confirm = PasswordField(
        "Type it again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", message="The two passwords are not the same. Type both again."),
        ],
    )


class LocalTimeField(DateTimeLocalField):
    """A date and time as the browser's date-and-time box sends it, in the form's zone."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, format="%Y-%m-%dT%H:%M", **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a date and a time, like 2027-04-05 and 18:30.") from error


class EventForm(TextForm):
    """A new event: its name, place, and local start and end in a chosen time zone."""

    name = StringField(
        "Name of the event",
        filters=[clean_line],
        validators=[
            DataRequired("Enter the event's name."),
            Length(
                max=EVENT_NAME_MAX,
                message=f"Keep the name under {EVENT_NAME_MAX} characters.",
            ),
        ],
    )
    place = StringField(
        "Place",
        filters=[clean_line],
        validators=[
            DataRequired("Enter where the event is."),
            Length(
                max=EVENT_PLACE_MAX,
                message=f"Keep the place under {EVENT_PLACE_MAX} characters.",
            ),
        ],
    )
    # InputRequired, not DataRequired: a time that could not be read keeps its own message.
    starts = LocalTimeField("Starts", validators=[InputRequired("Enter when the event starts.")])
    ends = LocalTimeField("Ends", validators=[InputRequired("Enter when the event ends.")])
    time_zone = SelectField(
        "Time zone of these times",
        choices=[SelectChoice(zone, words) for zone, words, _shown in TIME_ZONES],
        default=DEFAULT_TIME_ZONE,
        validate_choice=False,
        validators=[AnyOf([zone for zone, *_ in TIME_ZONES], message="Choose a time zone.")],
    )

    def validate_ends(self, field: Field) -> None:
        starts = self.starts.data
        if starts is None or field.data is None:
            return
        if field.data <= starts:
            raise ValidationError("The end must be after the start.")
        if field.data - starts > LONGEST:
            raise ValidationError(f"An event lasts at most {LONGEST.days} days.")

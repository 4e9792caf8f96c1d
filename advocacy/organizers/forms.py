"""The organizers' forms: sign in, sign out, export, confirm a map, invite and accept an
invitation, change someone's roles (each a CSRF-protected POST)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import Field, Form, HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Regexp, ValidationError

from advocacy.models import ORGANIZER_EMAIL_MAX
from advocacy.organizers.accounts import PASSWORD_MAX, PASSWORD_MIN
from advocacy.web.inputs import CONTROL


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

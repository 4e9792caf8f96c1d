"""The organizers' forms: sign in, sign out, confirm a map (each a CSRF-protected POST)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Regexp

from advocacy.models import ORGANIZER_EMAIL_MAX
from advocacy.organizers.accounts import PASSWORD_MAX


class LoginForm(FlaskForm):
    email = StringField(
        "Email",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired("Enter your email address."),
            Length(max=ORGANIZER_EMAIL_MAX, message="That is not an organizer's email address."),
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


class LogoutForm(FlaskForm):
    """Nothing but the CSRF token: signing out is a POST another site cannot forge."""


class ConfirmMapForm(FlaskForm):
    """Confirm one flagged row of the changed-states table, as the organizer was shown it."""

    congress = HiddenField(validators=[DataRequired(), Regexp(r"^[1-9][0-9]{0,2}$")])
    state = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Z]{2}$")])
    # The row's lines on the page: if the table says otherwise by now, nothing is confirmed.
    lines = HiddenField(validators=[AnyOf(["new", "previous"])])

"""The organizers' forms: sign in, sign out (a CSRF-protected POST)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

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

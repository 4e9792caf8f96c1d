"""The pledge form: the same fields and checks for the HTML page and the JSON API."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from advocacy.models import EMAIL_MAX, NAME_MAX, NOTE_MAX, REF_MAX
from advocacy.representatives.forms import AddressForm
from advocacy.text import clean_line, clean_text

# Deliberately loose: one @, something on each side, a dot in the domain.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class PledgeForm(AddressForm):
    name = StringField(
        "Your name",
        filters=[clean_line],
        validators=[
            DataRequired("Please enter your name."),
            Length(max=NAME_MAX, message=f"Please keep your name under {NAME_MAX} characters."),
        ],
    )
    email = EmailField(
        "Email",
        filters=[clean_line],
        validators=[
            DataRequired("Please enter your email address."),
            Length(max=EMAIL_MAX, message="That email address is too long."),
            Regexp(EMAIL_PATTERN, message="Please enter an email address like name@example.org."),
        ],
    )
    note = TextAreaField(
        "Why this matters to you",
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=f"Please keep this under {NOTE_MAX} characters."),
        ],
    )
    consent = BooleanField("The organizers may contact me about this campaign")
    ref = HiddenField(
        filters=[clean_line],
        validators=[Optional(), Length(max=REF_MAX, message="The partner reference is too long.")],
    )
    started = HiddenField()
    # The honeypot (formguard.HONEYPOT_FIELD): hidden from people, filled in by naive bots.
    contact_me_by_fax_only = StringField("Leave this field empty")

"""The settings pages' forms: the identity (text) and the logo (a file), each a POST with
the session's CSRF token. Their rules are `rules.py`'s, which the command line shares."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, Field, Form, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, ValidationError

from advocacy.organization import rules


class TextForm(FlaskForm):
    """A form read from the posted form's text fields only (as the organizers' forms are).

    Flask-WTF would also give a field a file part posted under its name, or a JSON body's
    values: neither is text a person typed, and the rules expect text.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Form, formdata: Any) -> Any:
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None or wrapped is formdata:
                return wrapped  # nothing posted, or data the caller chose
            return request.form or None


def _cleaned(name: str) -> Any:
    def clean(value: Any) -> Any:
        return rules.clean(name, value) if value is not None else None

    return clean


def _checked(_form: Form, field: Field) -> None:
    message = rules.problem(field.name, field.data or "")
    if message is not None:
        raise ValidationError(message)


def _field(kind: type[Field], name: str, *, required: str | None = None) -> Any:
    validators: list[Any] = [DataRequired(required)] if required else []
    return kind(
        rules.FIELDS[name].label, filters=[_cleaned(name)], validators=[*validators, _checked]
    )


class IdentityForm(TextForm):
    name = _field(StringField, "name", required="Enter the organization's name.")
    short_name = _field(StringField, "short_name")
    email = _field(EmailField, "email", required="Enter an email address supporters can write to.")
    privacy_email = _field(EmailField, "privacy_email")
    address = _field(TextAreaField, "address")
    website = _field(StringField, "website")
    footer = _field(TextAreaField, "footer")
    privacy_text = _field(TextAreaField, "privacy_text")

    def values(self) -> dict[str, str]:
        """Return every field's cleaned text, as the service takes it."""
        return {name: self[name].data or "" for name in rules.FIELDS}


class LogoForm(FlaskForm):
    """Upload a new logo, or remove the one there is (action)."""

    logo = FileField("Logo file")
    action = HiddenField(validators=[AnyOf(["upload", "remove"])])

"""The editor's forms: each change is a POST with the session's CSRF token.

The campaign's own fields are many and vary with it (a story section more or less), so
the editor form carries only the token, the version the edit started from and the
editor's summary; `typed.read_values` reads the fields from the same post. The preview
is a GET that changes nothing, and has no form here: its view reads its two choices.
"""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from advocacy.campaigns.content import SLUG_PATTERN, TITLE_MAX
from advocacy.models import VERSION_SUMMARY_MAX
from advocacy.organizers.forms import TextForm

_NUMBER = r"^[0-9]{1,9}\Z"
SLUG_RULE = (
    "Use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or a "
    "digit, such as uyghur-policy-act."
)


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class EditForm(TextForm):
    """A save: the campaign's fields come with it (see the module's docstring)."""

    base_version = HiddenField(validators=[InputRequired(), Regexp(_NUMBER)])
    summary = StringField(
        "What you changed (optional)",
        filters=[_strip],
        validators=[
            Length(
                max=VERSION_SUMMARY_MAX, message=f"Keep it under {VERSION_SUMMARY_MAX} characters."
            )
        ],
    )


class NewCampaignForm(TextForm):
    slug = StringField(
        "Web address",
        filters=[_strip],
        validators=[DataRequired(SLUG_RULE), Regexp(SLUG_PATTERN.pattern, message=SLUG_RULE)],
    )
    title = StringField(
        "Title",
        filters=[_strip],
        validators=[
            DataRequired("Give the campaign a title."),
            Length(max=TITLE_MAX, message=f"A title may have at most {TITLE_MAX} characters."),
        ],
    )


class CopyCampaignForm(NewCampaignForm):
    """A copy of another campaign's newest version, at a new web address."""

    source = SelectField("Copy of", validate_choice=True)


class PublishForm(TextForm):
    """Publish a version (an earlier one: roll back to it), as the editor was shown them."""

    version = HiddenField(validators=[InputRequired(), Regexp(_NUMBER)])
    # The newest version on the page: if another was saved since, nothing is published.
    latest = HiddenField(validators=[InputRequired(), Regexp(_NUMBER)])


class CloseForm(TextForm):
    """Nothing but the CSRF token: closing is a POST another site cannot forge."""


class HomeForm(TextForm):
    """Choose the campaign the site's home page shows (one of the live ones)."""

    slug = HiddenField(validators=[InputRequired(), Regexp(SLUG_PATTERN.pattern)])


def version_number(text: str | None) -> int:
    """A version's number from a form field or query argument; 0 for anything else."""
    return int(text) if text and text.isdigit() and len(text) < 10 else 0

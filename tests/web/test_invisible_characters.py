"""Invisible format characters in what people type (issue 19).

The adversarial test pledged with bidi controls and zero-width characters in names and
emails, and they were kept: an override (U+202E) reverses what the organizers' pages and
exports show after it, and a zero-width space makes an address that looks like another
count as a new pledge. They are removed now; the zero-width non-joiner, which Persian and
Uyghur in Arabic script need, stays in names.
"""

from __future__ import annotations

import unicodedata

import pytest
import sqlalchemy as sa
from contact_keys import hashed, opened, recipient
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, pledge_fields, submit_pledge

from advocacy.db import get_session
from advocacy.models import OutboxMail, Pledge
from advocacy.pledges.sealing import Contact
from advocacy.web.inputs import FORMAT, clean_email, clean_line, clean_text

PLEDGES = f"/api/v1/campaigns/{SLUG}/pledges"
ZWNJ, ZWJ = "\u200c", "\u200d"
# Uyghur in Arabic script, and a Persian name, each with a ZWNJ between two letters.
UYGHUR = "ئۇيغۇر" + ZWNJ + "ئېلى"
PERSIAN = "مهرانگیز" + ZWNJ + "ها"
# Hindi "kṣa" written with a ZWJ after the virama (half form).
HINDI = "क्" + ZWJ + "ष"


def stored(app: Flask) -> list[Pledge]:
    with app.app_context():
        return list(get_session().scalars(sa.select(Pledge).order_by(Pledge.id)))


def test_every_format_character_this_python_knows_is_listed() -> None:
    missing = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) == "Cf" and not FORMAT.match(chr(code))
    ]
    assert not missing


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",  # zero-width space
        "\u200e",
        "\u200f",  # left-to-right and right-to-left marks
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",  # embeddings, pop, overrides
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",  # isolates
        "\u2060",  # word joiner
        "\ufeff",  # byte order mark
        "\u00ad",  # soft hyphen
        "\u061c",  # Arabic letter mark
        "\U000e0041",  # a tag character
    ],
)
def test_names_and_emails_lose_invisible_controls(invisible: str) -> None:
    assert clean_line(f"Amina{invisible} Tursun{invisible}") == "Amina Tursun"
    assert clean_line(f"{invisible}Gülnar") == "Gülnar"
    assert clean_email(f"ami{invisible}na@exa{invisible}mple.org") == "amina@example.org"
    assert clean_line(invisible * 3) == ""  # nothing visible: an empty field


def test_a_name_keeps_the_joiners_its_script_needs() -> None:
    for name in (UYGHUR, PERSIAN, HINDI):
        assert clean_line(name) == name
        assert clean_text(f"{name}\n\nmore") == f"{name}\n\nmore"


@pytest.mark.parametrize(
    "typed",
    [
        "Amina" + ZWNJ + "Tursun",  # between ASCII letters: no script's joining
        ZWNJ + "Amina",  # at the edges
        "Amina" + ZWJ,
        UYGHUR.replace(ZWNJ, " " + ZWNJ),  # beside a space
        "👨" + ZWJ + "👩",  # an emoji sequence is not a name's
    ],
)
def test_a_joiner_anywhere_else_is_removed(typed: str) -> None:
    cleaned = clean_line(typed)
    assert ZWNJ not in cleaned and ZWJ not in cleaned


def test_an_email_keeps_no_joiner_at_all() -> None:
    assert clean_email("ئۇيغۇر" + ZWNJ + "ئېلى@example.org") == "ئۇيغۇرئېلى@example.org"


def test_a_note_keeps_direction_marks_but_no_overrides() -> None:
    # Mixed Uyghur and English may need a direction mark; an override reorders the rest.
    note = "H.R. 2635\u200f " + UYGHUR
    assert clean_text(note) == note
    assert clean_text("a\u202eb\u2066c\u2069\u200bd") == "abcd"


def test_a_pledge_through_the_api_is_stored_without_them(app: Flask, client: FlaskClient) -> None:
    body = pledge_fields(
        name="\u202eAmina\u200b Tursun\u2069", email="ami\u200bna@exa\ufeffmple.org"
    )
    assert client.post(PLEDGES, json=body).status_code == 202
    [pledge] = stored(app)
    assert pledge.email_hash == hashed("amina@example.org")
    with app.app_context():
        [row] = get_session().scalars(sa.select(OutboxMail))
        assert recipient(app, row) == Contact("Amina Tursun", "amina@example.org")


def test_an_invisible_character_does_not_make_a_second_pledge(
    app: Flask, client: FlaskClient
) -> None:
    assert client.post(PLEDGES, json=pledge_fields(email="amina@example.org")).status_code == 202
    again = pledge_fields(email="amina\u200b@example.org")
    assert client.post(PLEDGES, json=again).status_code == 202
    assert len(stored(app)) == 1


def test_a_name_of_nothing_but_invisible_characters_is_no_name(client: FlaskClient) -> None:
    response = client.post(PLEDGES, json=pledge_fields(name="\u200b\u202e\u2066"))
    assert response.status_code == 422
    assert response.get_json()["fields"]["name"] == "Please enter your name."


def test_the_page_form_keeps_an_uyghur_name_whole(app: Flask, client: FlaskClient) -> None:
    response = submit_pledge(client, name=UYGHUR, email="uyghur@example.org", consent="y")
    assert response.status_code == 303
    assert opened(stored(app)[0]) == Contact(UYGHUR, "uyghur@example.org")

"""The results page without the server keeping the address readable: a visit is sealed
under a key only the supporter's browser holds (advocacy/pledges/visits.py)."""

from __future__ import annotations

import base64
import json
import zlib

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, hidden_value, page_text, parse, submit_pledge
from plaintext import encodings_of, readable_in

from advocacy.db import get_session
from advocacy.models import SupporterVisit

THANKS = f"/c/{SLUG}/thanks"
TYPED = {
    "name": "Gulnar Abdurehim",
    "street": "1410 NE Campus Pkwy",
    "city": "Shoreline",
    "note": "Mening akam lagerda. ئاكام لاگېردا. 我的哥哥在营地里。",
}


def visit_rows(app: Flask) -> list[bytes]:
    """Return each visit row, every column's value as bytes, joined."""
    with app.app_context():
        rows = get_session().execute(sa.select(SupporterVisit.__table__)).all()
    return [
        b"\x00".join(v if isinstance(v, bytes) else str(v).encode() for v in row) for row in rows
    ]


def session_of(client: FlaskClient) -> dict[str, object]:
    """Read the session cookie as the browser holds it: signed, not encrypted."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    payload = cookie.value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if cookie.value.startswith("."):
        raw = zlib.decompress(raw)
    data: dict[str, object] = json.loads(raw)
    return data


def pledged(app: Flask, **fields: str) -> FlaskClient:
    client = app.test_client()
    assert submit_pledge(client, **{**TYPED, **fields}).status_code == 303
    return client


def test_the_visit_row_holds_nothing_the_supporter_typed(app: Flask) -> None:
    client = pledged(app)
    [row] = visit_rows(app)
    assert readable_in(row, TYPED.values()) == []
    # The helper would have found them written plainly: the check can fail.
    assert readable_in(json.dumps(TYPED).encode(), TYPED.values()) == list(TYPED.values())
    # And the browser's page still has them all.
    html = client.get(THANKS).get_data(as_text=True)
    assert "Thank you, Gulnar Abdurehim!" in html
    letter = parse(html).by_class("member")[0].one("textarea").text()
    assert TYPED["note"] in letter
    assert letter.rstrip().endswith("Gulnar Abdurehim\n1410 NE Campus Pkwy\nShoreline, WA 98105")


def test_the_key_is_in_the_browser_and_nowhere_in_the_database(app: Flask) -> None:
    client = pledged(app)
    kept = session_of(client)
    key = kept["visit_key"]
    assert isinstance(key, str) and len(base64.urlsafe_b64decode(key)) == 32
    [row] = visit_rows(app)
    assert not any(form in row for form in encodings_of(key))
    assert str(kept["visit"]).encode() in row  # the id finds the row; the key opens it


def test_another_browser_cannot_open_the_page(app: Flask) -> None:
    owner = pledged(app)
    kept = session_of(owner)

    stranger = app.test_client()
    assert stranger.get(THANKS).status_code == 302

    # Whoever has the database and the secret key (so can write a session cookie) has
    # the visit's id, but not its key: the page does not open.
    thief = app.test_client()
    with thief.session_transaction() as forged:
        forged["visit"] = kept["visit"]
    answer = thief.get(THANKS)
    assert answer.status_code == 302 and answer.headers["Location"] == f"/c/{SLUG}"
    with thief.session_transaction() as forged:
        forged["visit_key"] = base64.urlsafe_b64encode(bytes(32)).decode()
    assert thief.get(THANKS).status_code == 302
    with thief.session_transaction() as forged:
        forged["visit_key"] = "not a key"
    assert thief.get(THANKS).status_code == 302

    # The owner's page is unharmed.
    assert "Thank you, Gulnar Abdurehim!" in owner.get(THANKS).get_data(as_text=True)


def test_a_street_typed_on_the_results_page_is_sealed_too(app: Flask) -> None:
    client = pledged(app, street="", city="")
    street = "4000 15th Ave NE"
    token = hidden_value(client.get(THANKS).get_data(as_text=True), "csrf_token")
    typed = {"street": street, "city": "Lake Forest Park", "state": "WA", "zip": "98105"}
    answer = client.post(THANKS, data={**typed, "csrf_token": token})
    assert answer.status_code == 303
    html = client.get(THANKS).get_data(as_text=True)
    assert street in page_text(html) and "Lake Forest Park" in html
    [row] = visit_rows(app)
    assert readable_in(row, [street, "Lake Forest Park", TYPED["name"]]) == []

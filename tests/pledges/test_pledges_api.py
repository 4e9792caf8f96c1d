"""The pledge API: JSON only, 202 for new and repeat alike (the same answer, byte for
byte), counted once confirmed from the mailbox, 422 with fields."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from inbox import confirm_waiting
from pages import SLUG, pledge_fields

from advocacy.db import get_session
from advocacy.models import Pledge

URL = f"/api/v1/campaigns/{SLUG}/pledges"


def stored(app: Flask) -> list[Pledge]:
    with app.app_context():
        return list(get_session().scalars(sa.select(Pledge)))


def test_new_pledge_is_202_and_counts_once_confirmed(app: Flask, client: FlaskClient) -> None:
    response = client.post(URL, json=pledge_fields(consent=True, ref="partner.org"))
    assert response.status_code == 202
    body = response.get_json()
    assert set(body) == {"status", "message", "pledge_count", "representatives"}
    assert body["status"] == "accepted"
    assert "email" in body["message"]
    assert body["pledge_count"] == 0  # not until its owner confirms it
    assert body["representatives"]["district"] == 7
    [pledge] = stored(app)
    assert (pledge.consent, pledge.ref, pledge.state, pledge.district) == (
        True,
        "partner.org",
        "WA",
        7,
    )
    assert pledge.confirmed_at is None
    assert confirm_waiting(app) == 1
    assert client.get(f"/api/v1/campaigns/{SLUG}").get_json()["pledge_count"] == 1
    again = client.post(URL, json=pledge_fields(email="other@example.org"))
    assert again.get_json()["pledge_count"] == 1


def test_a_repeat_email_gets_the_same_answer_and_is_not_counted(
    app: Flask, client: FlaskClient
) -> None:
    first = client.post(URL, json=pledge_fields(email="Amina@Example.org"))
    again = client.post(URL, json=pledge_fields(email="amina@EXAMPLE.org"))
    # Nobody can learn from the answer whether an email had pledged: only the count
    # (public anyway) differs, and here it does not move.
    assert (again.status_code, again.headers["Content-Type"]) == (
        first.status_code,
        first.headers["Content-Type"],
    )
    assert again.get_data() == first.get_data()
    assert again.get_json()["pledge_count"] == 0
    assert len(stored(app)) == 1


def test_a_repeat_answer_is_byte_for_byte_a_new_ones(app: Flask, client: FlaskClient) -> None:
    client.post(URL, json=pledge_fields(email="first@example.org"))
    confirm_waiting(app)
    repeat = client.post(URL, json=pledge_fields(email="first@example.org"))
    new = client.post(URL, json=pledge_fields(email="second@example.org"))
    assert repeat.status_code == new.status_code == 202
    assert repeat.get_data() == new.get_data()
    assert repeat.get_json()["pledge_count"] == 1


def test_api_needs_no_csrf_token_even_with_csrf_on(app: Flask, client: FlaskClient) -> None:
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert client.post(URL, json=pledge_fields()).status_code == 202


def test_invalid_fields_are_422_with_a_message_per_field(client: FlaskClient) -> None:
    response = client.post(URL, json={"name": "", "email": "nope", "zip": "12"})
    assert response.status_code == 422
    body = response.get_json()
    assert set(body) == {"error", "fields"}
    assert body["fields"] == {
        "name": "Please enter your name.",
        "email": "Please enter an email address like name@example.org.",
        "zip": "Please enter a 5-digit ZIP code, like 98101.",
    }


def test_a_zip_that_matches_no_district_is_invalid(client: FlaskClient) -> None:
    response = client.post(URL, json=pledge_fields(zip="00000", state=None))
    assert response.status_code == 422
    assert "00000" in response.get_json()["fields"]["zip"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ["list"]}, "name"),
        ({"email": {"an": "object"}}, "email"),
        ({"consent": "yes"}, "consent"),
    ],
)
def test_wrong_types_are_422_not_500(
    client: FlaskClient, payload: dict[str, Any], field: str
) -> None:
    response = client.post(URL, json={**pledge_fields(), **payload})
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_form_encoded_body_is_415(client: FlaskClient) -> None:
    response = client.post(URL, data=pledge_fields())
    assert response.status_code == 415
    assert "application/json" in response.get_json()["error"]


def test_text_plain_body_is_415(client: FlaskClient) -> None:
    response = client.post(URL, data='{"name": "x"}', content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{broken json", "null"])
def test_a_body_that_is_not_a_json_object_is_400(client: FlaskClient, body: str) -> None:
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_unknown_campaign_is_404_json(client: FlaskClient) -> None:
    response = client.post("/api/v1/campaigns/nope/pledges", json=pledge_fields())
    assert response.status_code == 404
    assert response.get_json()["error"]


def test_get_is_405_json(client: FlaskClient) -> None:
    response = client.get(URL)
    assert response.status_code == 405
    assert "error" in response.get_json()


def test_api_writes_are_rate_limited(make_app: Any) -> None:
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="2 per minute").test_client()
    for n in range(2):
        assert client.post(URL, json=pledge_fields(email=f"r{n}@example.org")).status_code == 202
    response = client.post(URL, json=pledge_fields(email="r3@example.org"))
    assert response.status_code == 429
    assert set(response.get_json()) == {"error", "fields"}


def test_rate_limited_answers_say_when_to_retry(make_app: Any) -> None:
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="1 per minute").test_client()
    client.post(URL, json=pledge_fields(email="first@example.org"))
    response = client.post(URL, json=pledge_fields(email="second@example.org"))
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0

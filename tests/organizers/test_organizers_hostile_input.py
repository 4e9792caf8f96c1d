"""Hostile input to the organizers' pages: a 4xx with a message, never a 500."""

from __future__ import annotations

import io
import logging
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import EMAIL, PASSWORD, create_organizer, login, signed_in_client
from pages import SLUG, hidden_value, parse

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")


def _token(client: FlaskClient, path: str = "/organizers/login") -> str:
    return hidden_value(client.get(path).get_data(as_text=True), "csrf_token")


def _field_error(html: str, field: str) -> str:
    """The message shown beside a field (the template's <p id="FIELD-error">)."""
    return parse(html).by_id(f"{field}-error").squeezed()


# --- the sign-in form -----------------------------------------------------------------------


def test_an_oversize_sign_in_post_gets_413_with_the_error_page_and_one_log_line(
    make_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_KEY_PREFIX=f"oversize-{uuid.uuid4().hex}",
        ORGANIZERS_LOGIN_LIMIT="3 per minute",
    )
    client = app.test_client()
    data = {"csrf_token": _token(client), "email": EMAIL, "password": "x" * 70_000}
    with caplog.at_level(logging.INFO):
        response = client.post("/organizers/login", data=data)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "That was more text than we can take" in html and "<!doctype html>" in html.lower()
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    assert response.headers["Cache-Control"] == "no-store"
    # One line, no traceback (each used to log about 17 KB).
    assert len(caplog.records) == 1, [r.getMessage() for r in caplog.records]
    record = caplog.records[0]
    assert record.exc_info is None and "\n" not in record.getMessage()
    assert len(record.getMessage()) < 200

    # Counted by the throttle like any sign-in post: two more, then 429.
    for _ in range(2):
        assert client.post("/organizers/login", data=data).status_code == 413
    assert client.post("/organizers/login", data=data).status_code == 429
    assert login(client).status_code == 429


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "organizer\x00@example.org"),
        ("email", "organizer@example.org\x1b"),
        ("email", (io.BytesIO(b"organizer@example.org"), "address.txt")),
        ("password", (io.BytesIO(PASSWORD.encode()), "password.txt")),
    ],
    ids=["nul-in-email", "escape-in-email", "file-as-email", "file-as-password"],
)
def test_a_sign_in_field_that_is_not_text_gets_a_message_beside_it(
    app: Flask, field: str, value: Any
) -> None:
    create_organizer(app)
    client = app.test_client()
    data: dict[str, Any] = {"csrf_token": _token(client), "email": EMAIL, "password": PASSWORD}
    data[field] = value
    response = client.post("/organizers/login", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    message = _field_error(html, field)
    assert "Enter your" in message or "cannot contain" in message
    assert f'aria-describedby="{field}-error"' in html
    assert client.get("/organizers/").status_code == 302


def test_a_next_address_with_line_breaks_or_controls_is_dropped(app: Flask) -> None:
    create_organizer(app)
    for next_path in (
        "/organizers/\r\nSet-Cookie: a=b",
        "/organizers/\x00",
        "/organizers/" + "a" * 600,
    ):
        response = login(app.test_client(), next_path=next_path)
        assert response.status_code == 303
        assert response.headers["Location"] == "/organizers/"
        assert "Set-Cookie: a=b" not in str(response.headers)


def test_a_json_sign_in_body_is_not_read_as_the_form(app: Flask) -> None:
    create_organizer(app)
    client = app.test_client()
    token = _token(client)
    for body in ({"email": {"a": 1}, "password": 5}, {"email": [EMAIL], "password": [PASSWORD]}):
        response = client.post("/organizers/login", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "Enter your email address." in _field_error(html, "email")


@pytest.mark.parametrize(
    "code", ["١٢٣٤٥٦", "１２３４５６", "12345\x00", "9" * 16, "²²²²²²"], ids=repr
)
def test_odd_one_time_codes_are_a_wrong_code(app: Flask, code: str) -> None:
    create_organizer(app)
    assert app.test_cli_runner().invoke(args=["organizers", "totp", EMAIL]).exit_code == 0
    response = login(app.test_client(), code=code)
    assert response.status_code == 401
    assert "That code is not right" in response.get_data(as_text=True)


# --- every organizer route ------------------------------------------------------------------

ODD_SLUGS = ["%00", "é", "٧", "a" * 5000, "%E2%80%AE", "..%2F..", "x%0d%0aSet-Cookie:a=b"]
ODD_SEATS = ["WA-²", "WA-٧", "%00", "WA-%00", "WA-" + "9" * 5000, "é-1", "ǅ-1"]


def test_odd_addresses_on_every_organizer_page_are_404(app: Flask) -> None:
    client = signed_in_client(app)
    base = f"/organizers/c/{SLUG}"
    paths = [f"/organizers/c/{slug}/" for slug in ODD_SLUGS]
    paths += [f"/organizers/c/{slug}/report" for slug in ODD_SLUGS]
    paths += [f"/organizers/c/{slug}/pledges.csv" for slug in ODD_SLUGS]
    paths += [f"/organizers/c/{slug}/districts.csv" for slug in ODD_SLUGS]
    paths += [f"{base}/report/{seat}" for seat in ODD_SEATS]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, (path[:80], response.status_code)
        for header in SECURITY_HEADERS:
            assert header in response.headers


def test_odd_query_values_are_ignored(app: Flask) -> None:
    client = signed_in_client(app)
    for query in ("sort=%00", "sort=" + "x" * 5000, "sort=٧", "consented=²", "next=%00"):
        response = client.get(f"/organizers/c/{SLUG}/?{query}")
        assert response.status_code == 200, query
    for next_path in ("/organizers/%00", "/organizers/%0d%0aX:y", "/organizers/" + "é" * 3000):
        page = app.test_client().get(f"/organizers/login?next={next_path}")
        assert page.status_code == 200


@pytest.mark.parametrize("path", ["/organizers/", "/organizers/logout", "EXPORT"])
def test_file_parts_and_huge_values_in_organizer_posts_are_4xx(app: Flask, path: str) -> None:
    client = signed_in_client(app)
    if path == "EXPORT":
        path = f"/organizers/c/{SLUG}/pledges.csv"
    token = _token(client, "/organizers/")
    bodies: list[dict[str, Any]] = [
        {"csrf_token": token, "congress": (io.BytesIO(b"120"), "c.txt"), "state": "MO"},
        {"csrf_token": token, "congress": "١٢٠", "state": "MO", "lines": "new"},
        {"csrf_token": token, "congress": "9" * 5000, "state": "M\x00", "lines": "new"},
        {"csrf_token": (io.BytesIO(token.encode()), "token.txt")},
    ]
    for data in bodies:
        response = client.post(path, data=data)
        assert response.status_code < 500, (path, response.status_code)
    too_big = client.post(path, data={"csrf_token": token, "state": "x" * 70_000})
    assert too_big.status_code == 413
    for header in SECURITY_HEADERS:
        assert header in too_big.headers

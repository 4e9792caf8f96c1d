"""Headers every response carries, whatever answered it: views, errors, 304s, static files."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG
from werkzeug.test import TestResponse

STATS = f"/api/v1/campaigns/{SLUG}"
SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=(), payment=()",
}
HSTS = "Strict-Transport-Security"


def assert_secure(response: TestResponse) -> None:
    headers = response.headers
    assert headers.getlist("Content-Security-Policy") == [headers["Content-Security-Policy"]]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    for name, value in SECURITY.items():
        assert headers.getlist(name) == [value], name


@pytest.mark.parametrize(
    "path",
    [
        STATS,
        "/api/v1/representatives?zip=98105",
        "/api/v1/campaigns/no-such-campaign",
        "/api/v1/representatives?zip=abc",
        f"/c/{SLUG}",
        "/no/such/page",
        "/static/css/site.css",
        "/healthz",
    ],
)
def test_every_kind_of_answer_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:  # a static file's answer holds the file open
        assert_secure(response)
        assert HSTS not in response.headers  # development: no HTTPS promised


def test_a_304_carries_the_security_headers_and_the_cors_header(client: FlaskClient) -> None:
    etag = client.get(STATS).headers["ETag"]
    again = client.get(STATS, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert_secure(again)


def test_an_unexpected_error_answers_500_with_the_security_headers(make_app: Any) -> None:
    app: Flask = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", view_func=broken)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert_secure(response)


def test_production_answers_promise_https(make_app: Any) -> None:
    app: Flask = make_app(
        ENV="production",
        PUBLIC_URL="https://act.example.org",
        MAIL_SERVER="smtp.example.org",
        MAIL_FROM="act@example.org",
    )
    client = app.test_client()
    for path in (STATS, "/no/such/page"):
        headers = client.get(path).headers
        assert headers.getlist(HSTS) == ["max-age=31536000; includeSubDomains"]


def test_a_header_the_view_sets_is_kept_and_not_repeated(client: FlaskClient) -> None:
    # The organizers' pages send no referrer at all.
    response = client.get("/organizers/login")
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]
    for name, value in SECURITY.items():
        if name != "Referrer-Policy":
            assert response.headers.getlist(name) == [value], name


def test_api_answers_set_no_cookie(client: FlaskClient) -> None:
    for path in (STATS, "/api/v1/representatives?zip=98105"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")


def test_a_session_started_without_a_cookie_is_saved_and_read_back(
    client: FlaskClient,
) -> None:
    # The sign-in form keeps its CSRF token in the session.
    first = client.get("/organizers/login")
    assert "session=" in first.headers["Set-Cookie"]
    assert "Cookie" in first.headers["Vary"]
    with client.session_transaction() as session:
        token = session["csrf_token"]
    second = client.get("/organizers/login")
    assert "Set-Cookie" not in second.headers  # the same session, unchanged
    with client.session_transaction() as session:
        assert session["csrf_token"] == token

"""Headers that say how to go on (issue 19): Retry-After where it means something, Allow on 405.

The adversarial test found that, with rate limits on, every answer of a limited view
carried Flask-Limiter's Retry-After (successful ones too), that a 503's own
"Retry-After: 30" became 29 to 60, and that 405 answers named no allowed method.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from pages import SLUG, pledge_fields, submit_pledge

from advocacy.pledges import views as pledge_views
from advocacy.representatives.service import RepresentativesUnavailableError
from advocacy.web.errors import RETRY_AFTER_SECONDS

PLEDGES = f"/api/v1/campaigns/{SLUG}/pledges"
LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_WRITE": "5 per minute"}


@pytest.fixture
def limited(make_app: Any) -> FlaskClient:
    client: FlaskClient = make_app(**LIMITED).test_client()
    return client


def test_successful_limited_answers_carry_no_retry_after(limited: FlaskClient) -> None:
    answers = [
        limited.post(PLEDGES, json=pledge_fields(email="api@example.org")),
        submit_pledge(limited, email="form@example.org"),
        limited.get("/api/v1/representatives?zip=98105"),
        limited.post(PLEDGES, json=pledge_fields(zip="1")),  # a 422 is no reason to wait
    ]
    assert [a.status_code for a in answers] == [202, 303, 200, 422]
    for answer in answers:
        assert "Retry-After" not in answer.headers, answer.status_code
        # The limit's own headers stay: a client can still pace itself.
        assert answer.headers["X-RateLimit-Limit"]


def test_a_429_still_says_when_to_retry(limited: FlaskClient) -> None:
    for n in range(5):
        limited.post(PLEDGES, json=pledge_fields(email=f"r{n}@example.org"))
    refused = limited.post(PLEDGES, json=pledge_fields(email="late@example.org"))
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_a_503_keeps_its_own_retry_after_on_a_limited_api(
    limited: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable() -> Any:
        raise RepresentativesUnavailableError("no data")

    # The member data cannot be loaded: the app's finder holder says so.
    monkeypatch.setattr(limited.application.extensions["advocacy.finder"], "get", unavailable)
    answer = limited.get("/api/v1/representatives?zip=98105")
    assert answer.status_code == 503
    assert answer.headers.getlist("Retry-After") == [str(RETRY_AFTER_SECONDS)]


def test_a_503_keeps_its_own_retry_after_on_the_limited_form(
    limited: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_down(*_args: Any, **_kwargs: Any) -> Any:
        raise sa.exc.OperationalError("INSERT", {}, Exception("the database is down"))

    monkeypatch.setattr(pledge_views, "record_with_visit", database_down)
    answer = submit_pledge(limited, email="down@example.org")
    assert answer.status_code == 503
    assert answer.headers.getlist("Retry-After") == [str(RETRY_AFTER_SECONDS)]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", f"/c/{SLUG}", {"GET", "POST"}),
        ("PUT", f"/c/{SLUG}/widget", {"GET", "POST"}),
        ("POST", "/healthz", {"GET"}),
        ("GET", PLEDGES, {"POST"}),
        ("PATCH", "/api/v1/representatives", {"GET", "POST"}),
        ("DELETE", "/api/v1/openapi.json", {"GET"}),
    ],
)
def test_a_405_names_the_methods_the_path_takes(
    client: FlaskClient, method: str, path: str, allowed: set[str]
) -> None:
    answer = client.open(path, method=method)
    assert answer.status_code == 405
    methods = {m.strip() for m in answer.headers["Allow"].split(",")}
    # Werkzeug adds HEAD to GET and OPTIONS to every rule.
    assert methods - {"HEAD", "OPTIONS"} == allowed
    # Still our own error answer (a page, or the API's error object).
    if path.startswith("/api/"):
        assert set(answer.get_json()) == {"error", "fields"}
    else:
        assert "cannot be used that way" in answer.get_data(as_text=True)

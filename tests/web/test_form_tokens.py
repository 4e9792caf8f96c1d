"""The cookie-free form tokens (issue 19): the fill time cannot be skipped, tokens wear out.

The campaign page and the blank widget are the same for every visitor and may be cached,
so their forms carry a token shared by everyone served in one window. The adversarial
test found that such a token worked for 6 hours and any number of pledges, and that the
minimum fill time ran from the start of the token's minute, so fetching late in a minute
skipped it. Now the fill time runs from the latest moment the page could have been
served (the window's end), a private token stamped with the real load time is fetched by
the page's script or comes with any answer to a post, and each token is good for a few
sends only, counted in the rate-limit storage.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from pages import SLUG, hidden_value, pledge_fields
from werkzeug.test import TestResponse

from advocacy.db import get_session
from advocacy.models import Pledge
from advocacy.pledges import guard
from advocacy.web import formguard
from advocacy.web.extensions import limiter

WIDGET = f"/c/{SLUG}/widget"
OWN_ORIGIN = "http://localhost"
SECRET = "test-secret-key-not-for-production"
W = formguard.WINDOW_SECONDS
# A window's start, so each test knows where in the window it stands.
T0 = 1_800_000_000 - 1_800_000_000 % 60
# Rate limits on (counting needs them), the per-client budget out of the way.
COUNTING = {"RATELIMIT_ENABLED": True, "RATELIMIT_WRITE": "1000 per minute"}
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def live_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start with Flask-Limiter trusting its storage.

    Its "storage is down, count in memory" flag belongs to the process, not to an app, and
    is cleared only by a limited request finding the storage up again: a test of a dead
    Redis (tests/base/test_faults.py) leaves it set, and the counts would then move from the
    fallback memory to the storage halfway through a test.
    """
    monkeypatch.setattr(limiter, "_storage_dead", False)


@pytest.fixture
def widget_clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """Fix the widget's clock (its seam, guard.now); tests move it by hand."""
    clock = {"now": float(T0 + 1)}
    monkeypatch.setattr(guard, "now", lambda: clock["now"])
    return clock


def payload(token: str, salt: str) -> dict[str, Any]:
    data: dict[str, Any] = URLSafeSerializer(SECRET, salt=salt).loads(token)
    return data


def pledge_count(app: Flask) -> int:
    with app.app_context():
        return len(list(get_session().scalars(sa.select(Pledge.id))))


def widget_page_token(client: FlaskClient) -> str:
    return hidden_value(client.get(WIDGET).get_data(as_text=True), "started")


def post_widget(client: FlaskClient, token: str, email: str) -> TestResponse:
    data = {"started": token, "name": "Amina Tursun", "email": email, "zip": "98105"}
    return client.post(WIDGET, data=data, headers={"Origin": OWN_ORIGIN})


def post_page(client: FlaskClient, token: str, **fields: Any) -> TestResponse:
    return client.post(f"/c/{SLUG}", data={"started": token, **pledge_fields(**fields)})


def check(token: str, now: float, min_seconds: float = 2.0, salt: str = guard.WIDGET.salt) -> Any:
    return formguard.check_bound_submission(
        SECRET, salt, SLUG, token, "", min_seconds=min_seconds, max_age_seconds=3600, now=now
    )


# --- the fill time -----------------------------------------------------------------------------


@pytest.mark.parametrize("fetched_at", [0, 1, W // 2, W - 1])
def test_a_shared_token_fetched_anywhere_in_its_window_waits_from_the_windows_end(
    fetched_at: int,
) -> None:
    # The finding: fetched late in its minute, a token had already "waited" that long.
    token = formguard.issue_bound_token(
        SECRET, guard.WIDGET.salt, SLUG, formguard.window_start(T0)
    )
    moment = T0 + fetched_at
    assert not check(token, now=moment).ok  # sent at once: refused, wherever in the window
    assert not check(token, now=T0 + W + 1.9).ok
    assert check(token, now=T0 + W + 2).ok


def test_a_private_token_waits_from_its_own_moment() -> None:
    issued = T0 + 7.25
    token = formguard.issue_private_token(SECRET, guard.WIDGET.salt, SLUG, issued)
    assert payload(token, guard.WIDGET.salt)["w"] == 0
    assert not check(token, now=issued + 1.9).ok
    verdict = check(token, now=issued + 2)
    assert verdict.ok and not verdict.shared
    # Each one is its own (a nonce), so uses are counted per visitor.
    assert formguard.issue_private_token(SECRET, guard.WIDGET.salt, SLUG, issued) != token


def test_a_token_signed_before_this_change_counts_its_minute_window() -> None:
    legacy = URLSafeSerializer(SECRET, salt=guard.WIDGET.salt).dumps({"for": SLUG, "at": T0})
    assert not check(legacy, now=T0 + 59).ok
    assert check(legacy, now=T0 + 62).ok


@pytest.mark.parametrize("issued", ["1800000000", None, True, [1]])
def test_a_signed_token_without_a_time_is_refused(issued: Any) -> None:
    odd = URLSafeSerializer(SECRET, salt=guard.WIDGET.salt).dumps({"for": SLUG, "at": issued})
    assert not check(odd, now=T0).ok


def test_without_a_minimum_the_fill_time_is_not_checked() -> None:
    token = formguard.issue_bound_token(SECRET, guard.WIDGET.salt, SLUG, T0)
    assert check(token, now=T0 + 1, min_seconds=0).ok


def test_a_bot_fetching_the_widget_late_in_a_window_is_refused_then_a_person_is_not(
    make_app: Any, widget_clock: dict[str, float]
) -> None:
    app = make_app(MIN_FILL_SECONDS=2)
    client = app.test_client()
    widget_clock["now"] = T0 + W - 0.5  # the window's last moment
    token = widget_page_token(client)
    refused = post_widget(client, token, "bot@example.org")
    assert refused.status_code == 422
    assert "quicker than we expected" in refused.get_data(as_text=True)
    # A person without JavaScript who loaded it then and took their time: accepted.
    widget_clock["now"] = T0 + W + 15
    assert post_widget(client, token, "person@example.org").status_code == 200
    assert pledge_count(app) == 1


def test_an_answer_to_a_post_carries_a_private_token_stamped_when_it_was_made(
    make_app: Any, widget_clock: dict[str, float]
) -> None:
    app = make_app(MIN_FILL_SECONDS=2)
    client = app.test_client()
    widget_clock["now"] = T0 + 1
    shared = widget_page_token(client)
    # Sent at once (an autofilled form, say): the form comes back with a token of its own,
    # so the person waits two seconds from now, not until the window's end.
    again = post_widget(client, shared, "quick@example.org")
    assert again.status_code == 422
    html = again.get_data(as_text=True)
    assert 'value="quick@example.org"' in html
    private = hidden_value(html, "started")
    assert payload(private, guard.WIDGET.salt)["w"] == 0
    widget_clock["now"] = T0 + 3
    assert post_widget(client, private, "quick@example.org").status_code == 200


def test_the_campaign_page_answer_to_a_post_carries_a_private_token(make_app: Any) -> None:
    app = make_app(MIN_FILL_SECONDS=0.3)
    client = app.test_client()
    shared = hidden_value(client.get(f"/c/{SLUG}").get_data(as_text=True), "started")
    assert payload(shared, guard.CAMPAIGN_PAGE.salt)["w"] == W
    response = post_page(client, shared, name="Quick Typist")
    assert response.status_code == 422  # the window has not ended
    private = hidden_value(response.get_data(as_text=True), "started")
    assert payload(private, guard.CAMPAIGN_PAGE.salt)["w"] == 0
    time.sleep(0.35)
    assert post_page(client, private, name="Quick Typist").status_code == 303


# --- the script's token --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page_path", "token_path", "salt"),
    [
        (f"/c/{SLUG}", f"/c/{SLUG}/form-token", guard.CAMPAIGN_PAGE.salt),
        (WIDGET, f"{WIDGET}/form-token", guard.WIDGET.salt),
    ],
)
def test_the_form_names_where_its_script_fetches_a_private_token(
    client: FlaskClient, page_path: str, token_path: str, salt: str
) -> None:
    html = client.get(page_path).get_data(as_text=True)
    form = re.search(r"<form[^>]*pledge-form[^>]*>", html)
    assert form and f'data-token-url="{token_path}"' in form.group(0)
    first, second = client.get(token_path), client.get(token_path)
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert first.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in first.headers and "Cookie" not in first.headers.get("Vary", "")
    token = first.get_json()["started"]
    assert token != second.get_json()["started"]
    data = payload(token, salt)
    assert data["for"] == SLUG and data["w"] == 0
    assert abs(data["at"] - time.time()) < 5


def test_a_fetched_token_lets_a_person_send_two_seconds_after_loading(
    make_app: Any, widget_clock: dict[str, float]
) -> None:
    app = make_app(MIN_FILL_SECONDS=2)
    client = app.test_client()
    widget_clock["now"] = T0 + 1
    token = client.get(f"{WIDGET}/form-token").get_json()["started"]
    widget_clock["now"] = T0 + 2
    assert post_widget(client, token, "early@example.org").status_code == 422
    widget_clock["now"] = T0 + 3  # long before the window's end
    assert post_widget(client, token, "early@example.org").status_code == 200


def test_a_token_for_an_unknown_campaign_is_a_404(client: FlaskClient) -> None:
    assert client.get("/c/no-such-campaign/form-token").status_code == 404
    assert client.get("/c/no-such-campaign/widget/form-token").status_code == 404


def test_the_scripts_swap_the_token_without_cookies() -> None:
    # Both scripts fetch from the form's data-token-url, same origin, with no cookie;
    # without JavaScript the shared token in the page stays (the tests above).
    for name in ("form.js", "widget.js"):
        script = (REPO / "static" / "js" / name).read_text()
        assert 'getAttribute("data-token-url")' in script, name
        assert 'credentials: "omit"' in script and 'cache: "no-store"' in script, name


# --- uses per token ----------------------------------------------------------------------------


def test_a_private_token_is_good_for_a_few_sends_then_the_form_comes_back(
    make_app: Any,
) -> None:
    app = make_app(**COUNTING, FORM_TOKEN_USES=3)
    client = app.test_client()
    token = client.get(f"{WIDGET}/form-token").get_json()["started"]
    for n in range(3):
        assert post_widget(client, token, f"family{n}@example.org").status_code == 200
    used_up = post_widget(client, token, "fourth@example.org")
    assert used_up.status_code == 422
    html = used_up.get_data(as_text=True)
    assert "already been sent several times" in html
    assert 'value="fourth@example.org"' in html  # nothing typed is lost
    fresh = hidden_value(html, "started")
    assert post_widget(client, fresh, "fourth@example.org").status_code == 200
    assert pledge_count(app) == 4


def test_a_shared_token_is_good_for_its_windows_visitors_not_for_a_flood(
    make_app: Any,
) -> None:
    app = make_app(**COUNTING, FORM_WINDOW_TOKEN_USES=5)
    client = app.test_client()
    token = hidden_value(client.get(f"/c/{SLUG}").get_data(as_text=True), "started")
    statuses = [post_page(client, token, email=f"v{n}@example.org").status_code for n in range(8)]
    assert statuses == [303] * 5 + [422] * 3
    assert pledge_count(app) == 5
    # Another form's token is counted apart.
    other = client.get(f"/c/{SLUG}/form-token").get_json()["started"]
    assert post_page(client, other, email="other@example.org").status_code == 303


def test_a_refused_send_does_not_use_up_the_token(make_app: Any) -> None:
    app = make_app(**COUNTING, FORM_TOKEN_USES=1)
    client = app.test_client()
    token = client.get(f"/c/{SLUG}/form-token").get_json()["started"]
    # A mistake in a field is sent back before the token is looked at.
    assert post_page(client, token, zip="123").status_code == 422
    assert post_page(client, token).status_code == 303
    assert post_page(client, token, email="again@example.org").status_code == 422


def test_with_rate_limits_off_no_uses_are_counted(make_app: Any) -> None:
    # Load tests and scripted checks switch rate limits off; this is one of them.
    app = make_app(RATELIMIT_ENABLED=False, FORM_TOKEN_USES=1)
    client = app.test_client()
    token = client.get(f"/c/{SLUG}/form-token").get_json()["started"]
    for n in range(3):
        assert post_page(client, token, email=f"n{n}@example.org").status_code == 303


def test_the_storage_keeps_a_digest_not_the_token(make_app: Any) -> None:
    app = make_app(**COUNTING)
    client = app.test_client()
    token = client.get(f"/c/{SLUG}/form-token").get_json()["started"]
    assert post_page(client, token).status_code == 303
    keys = json.dumps(list(getattr(limiter.storage, "storage", {}).keys()))
    assert "form-token" in keys and token not in keys


def test_uses_are_counted_across_processes_through_redis(
    make_app: Any, redis_config: dict[str, Any]
) -> None:
    # Two apps on one Redis stand for two server processes.
    shared = {
        **redis_config,
        "RATELIMIT_WRITE": "1000 per minute",
        "RATELIMIT_KEY_PREFIX": f"advocacy-test-{uuid.uuid4().hex}",
        "FORM_TOKEN_USES": 2,
    }
    first = make_app(**shared).test_client()
    token = first.get(f"{WIDGET}/form-token").get_json()["started"]
    assert post_widget(first, token, "one@example.org").status_code == 200
    second = make_app(**shared).test_client()
    assert post_widget(second, token, "two@example.org").status_code == 200
    assert post_widget(first, token, "three@example.org").status_code == 422

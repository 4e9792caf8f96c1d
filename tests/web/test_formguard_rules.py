"""The cookie-free form guard's rules, one at a time: what it refuses and with which
words, where its limits fall, which posts are another site's, and how a token's sends are
counted (for as long as the token lives, under the app's own key prefix)."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from flask import Flask
from itsdangerous import URLSafeSerializer

from advocacy.pledges.guard import FormGuard
from advocacy.web import formguard
from advocacy.web.extensions import limiter
from advocacy.web.formguard import GuardVerdict

SECRET = "test-secret-key-not-for-production"
SALT = "advocacy.test-form"
SLUG = "uyghur-policy-act"
T0 = 1_800_000_000  # a window's start: 1_800_000_000 % WINDOW_SECONDS == 0
MAX_AGE = 3600


def signed(**payload: Any) -> str:
    return URLSafeSerializer(SECRET, salt=SALT).dumps(payload)


def check(token: str, now: float, *, honeypot: str = "", min_seconds: float = 2.0) -> Any:
    return formguard.check_bound_submission(
        SECRET,
        SALT,
        SLUG,
        token,
        honeypot,
        min_seconds=min_seconds,
        max_age_seconds=MAX_AGE,
        now=now,
    )


@pytest.fixture(autouse=True)
def live_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    # The "storage is down" flag is the process's (tests/web/test_form_tokens.py says why).
    monkeypatch.setattr(limiter, "_storage_dead", False)


# --- what is refused, and with which words --------------------------------------------------


def test_a_filled_honeypot_is_refused_whatever_the_token() -> None:
    token = signed(**{"for": SLUG, "at": T0, "w": 0})
    assert check(token, T0 + 60, honeypot=" x ") == GuardVerdict(False, formguard.REFUSED)
    assert check(token, T0 + 60, honeypot="  ") == GuardVerdict(True)


@pytest.mark.parametrize(
    "token",
    [
        "not a token",
        URLSafeSerializer("another key", salt=SALT).dumps({"for": SLUG, "at": T0, "w": 0}),
        URLSafeSerializer(SECRET, salt="another form").dumps({"for": SLUG, "at": T0, "w": 0}),
        signed(**{"for": "another-campaign", "at": T0, "w": 0}),
        signed(**{"for": SLUG, "at": "T0", "w": 0}),
        signed(**{"for": SLUG, "at": T0, "w": "10"}),
        signed(**{"for": SLUG, "at": T0, "w": -5}),
        URLSafeSerializer(SECRET, salt=SALT).dumps([SLUG, T0]),
    ],
    ids=["garbled", "other key", "other form", "other campaign", "text time", "text window",
         "negative window", "not a mapping"],
)  # fmt: skip
def test_a_token_that_is_not_this_forms_asks_for_a_resend(token: str) -> None:
    assert check(token, T0 + 60) == GuardVerdict(False, formguard.RESEND)


def test_a_token_is_good_until_its_max_age_and_not_a_moment_after() -> None:
    token = signed(**{"for": SLUG, "at": T0, "w": 0})
    assert check(token, T0 + MAX_AGE) == GuardVerdict(True)
    assert check(token, T0 + MAX_AGE + 0.001) == GuardVerdict(False, formguard.TOO_OLD)


def test_a_send_quicker_than_the_minimum_comes_back() -> None:
    token = signed(**{"for": SLUG, "at": T0, "w": 0})
    assert check(token, T0 + 1.999) == GuardVerdict(False, formguard.TOO_QUICK)
    assert check(token, T0 + 2) == GuardVerdict(True)


def test_any_window_makes_a_token_shared() -> None:
    assert check(signed(**{"for": SLUG, "at": T0, "w": 1}), T0 + 60) == GuardVerdict(
        True, shared=True
    )
    assert check(signed(**{"for": SLUG, "at": T0, "w": 0}), T0 + 60).shared is False


def test_without_a_moment_the_check_reads_the_time_now() -> None:
    token = formguard.issue_private_token(SECRET, SALT, SLUG, time.time() - 5)
    verdict = formguard.check_bound_submission(
        SECRET, SALT, SLUG, token, "", min_seconds=2, max_age_seconds=MAX_AGE
    )
    assert verdict == GuardVerdict(True)


# --- which answers share a token ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "window_token"), [("GET", True), ("HEAD", True), ("POST", False)]
)
def test_pages_fetched_by_get_or_head_share_the_windows_token(
    method: str, window_token: bool
) -> None:
    with Flask(__name__).test_request_context(method=method):
        assert formguard.answer_is_shared() is window_token
        token = formguard.issue_form_token(SECRET, SALT, SLUG, T0 + 3.25)
    data = URLSafeSerializer(SECRET, salt=SALT).loads(token)
    expected = (T0, formguard.WINDOW_SECONDS) if window_token else (T0 + 3.25, 0)
    assert (data["at"], data["w"]) == expected


def test_a_cached_page_names_the_window_it_was_made_in() -> None:
    guard = FormGuard(SALT)
    with Flask(__name__).test_request_context(method="GET"):
        token = guard.issue_token(SECRET, SLUG, at=T0 + 7)
    assert URLSafeSerializer(SECRET, salt=SALT).loads(token)["at"] == T0


# --- another site's posts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "fetch_site", "own", "foreign"),
    [
        ("http://localhost", None, "http://localhost/", False),
        ("http://localhost/", None, "http://localhost/", False),
        (" HTTP://LocalHost ", None, "http://localhost/", False),
        ("http://localhostx", None, "http://LOCALHOSTX/", False),
        (None, None, "http://localhost/", False),
        (None, "same-origin", "http://localhost/", False),
        ("https://partner.example", None, "http://localhost/", True),
        ("http://LOCALHOSTX", None, "http://localhost/", True),
        ("http://localhost:8080", None, "http://localhost/", True),
        (None, "cross-site", "http://localhost/", True),
        ("http://localhost", " Cross-Site ", "http://localhost/", True),
    ],
)
def test_a_post_from_another_sites_page_is_foreign(
    origin: str | None, fetch_site: str | None, own: str, foreign: bool
) -> None:
    assert formguard.is_foreign_origin(origin, fetch_site, own) is foreign


def test_the_request_says_where_a_post_comes_from() -> None:
    app = Flask(__name__)
    with app.test_request_context(method="POST", headers={"Origin": "https://partner.example"}):
        assert formguard.is_foreign_post(formguard.request)
    with app.test_request_context(method="POST", headers={"Sec-Fetch-Site": "cross-site"}):
        assert formguard.is_foreign_post(formguard.request)
    with app.test_request_context(method="POST", headers={"Origin": "http://localhost"}):
        assert not formguard.is_foreign_post(formguard.request)


# --- counting a token's sends ---------------------------------------------------------------


def counting_app(make_app: Any, **settings: Any) -> Flask:
    app: Flask = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="1000 per minute", **settings)
    return app


def form_token_keys() -> list[str]:
    return [key for key in getattr(limiter.storage, "storage", {}) if "form-token" in key]


@pytest.mark.parametrize("prefix", ["", "advocacy-staging"])
def test_a_tokens_sends_are_counted_as_long_as_it_lives_under_the_apps_prefix(
    make_app: Any, prefix: str
) -> None:
    app = counting_app(make_app, FORM_TOKEN_USES=2, RATELIMIT_KEY_PREFIX=prefix)
    token = formguard.issue_private_token(SECRET, SALT, SLUG, T0)
    accepted = GuardVerdict(True)
    with app.app_context():
        limiter.storage.reset()
        assert formguard.spend_use(SALT, token, accepted) == accepted
        (key,) = form_token_keys()
        assert key.startswith(f"LIMITER/{prefix}/form-token/" if prefix else "LIMITER/form-token/")
        lives = limiter.storage.get_expiry(key) - time.time()
        assert lives >= app.config["FORM_MAX_AGE_SECONDS"]
        assert formguard.spend_use(SALT, token, accepted) == accepted
        assert formguard.spend_use(SALT, token, accepted) == GuardVerdict(False, formguard.USED_UP)


def test_a_shared_token_is_counted_by_the_windows_allowance(make_app: Any) -> None:
    app = counting_app(make_app, FORM_TOKEN_USES=1, FORM_WINDOW_TOKEN_USES=3)
    token = formguard.issue_bound_token(SECRET, SALT, SLUG, T0)
    shared = GuardVerdict(True, shared=True)
    with app.app_context():
        limiter.storage.reset()
        assert [formguard.spend_use(SALT, token, shared).ok for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]


def test_a_refused_verdict_is_not_counted(make_app: Any) -> None:
    app = counting_app(make_app, FORM_TOKEN_USES=1)
    refused = GuardVerdict(False, formguard.TOO_QUICK)
    with app.app_context():
        limiter.storage.reset()
        assert formguard.spend_use(SALT, "token", refused) == refused
        assert form_token_keys() == []


def test_when_the_storage_fails_the_send_goes_through_and_the_log_says_so(
    make_app: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app = counting_app(make_app)

    def down(*args: object) -> bool:
        raise ConnectionError("storage unreachable")

    accepted = GuardVerdict(True)
    with app.app_context():
        monkeypatch.setattr(limiter.limiter, "hit", down)
        with caplog.at_level(logging.WARNING, logger="advocacy.web.formguard"):
            assert formguard.spend_use(SALT, "token", accepted) == accepted
    assert [r.getMessage() for r in caplog.records] == [
        "form token uses not counted: ConnectionError"
    ]

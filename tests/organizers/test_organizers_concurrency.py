"""Races on the organizers' sign-in, with real concurrent requests to a live threaded server:
the throttle counts parallel guesses before checking any, and one one-time code opens one
session however many sign-ins race with it."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyotp
import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from organizer_pages import EMAIL, PASSWORD, create_organizer, live_server
from pages import hidden_value

from advocacy.db import get_session
from advocacy.models import Organizer, OrganizerSession
from advocacy.organizers import accounts

GUESSES = 40
LIMIT = 5


def _signed_form(base: str) -> tuple[requests.Session, str]:
    """A browser that has loaded the sign-in page: its cookie and the form's token."""
    browser = requests.Session()
    page = browser.get(f"{base}/organizers/login", timeout=10)
    return browser, hidden_value(page.text, "csrf_token")


def _post_in_parallel(base: str, fields: dict[str, str], count: int) -> list[int]:
    """Post the sign-in form from count browsers at the same moment; return the statuses."""
    browsers = [_signed_form(base) for _ in range(count)]
    barrier = threading.Barrier(count)

    def post(index: int) -> int:
        browser, token = browsers[index]
        barrier.wait()
        response = browser.post(
            f"{base}/organizers/login",
            data={"csrf_token": token, **fields},
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(post, range(count)))


def _throttled_app(make_app: Any, **settings: Any) -> Flask:
    app: Flask = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_KEY_PREFIX=f"race-{uuid.uuid4().hex}",
        ORGANIZERS_LOGIN_LIMIT="1000 per minute",
        ORGANIZERS_ACCOUNT_LIMIT=f"{LIMIT} per 15 minutes",
        ORGANIZERS_ACCOUNT_CEILING="1000 per 15 minutes",
        **settings,
    )
    return app


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the password checks the server makes (each one a guess tested)."""
    checks: list[int] = []
    real_verify = accounts._verify

    def counting(password_hash: str, password: str) -> bool:
        checks.append(1)
        return real_verify(password_hash, password)

    monkeypatch.setattr(accounts, "_verify", counting)
    return checks


def _guess_in_parallel(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    create_organizer(app)
    checks = _count_checks(monkeypatch)
    with live_server(app) as base:
        statuses = _post_in_parallel(
            base, {"email": EMAIL, "password": "a wrong guess, in parallel"}, GUESSES
        )
    # 40 parallel guesses used to get 12 checked against a limit of 5.
    assert statuses.count(401) == LIMIT, statuses
    assert statuses.count(429) == GUESSES - LIMIT, statuses
    assert len(checks) == LIMIT


def test_parallel_guesses_are_counted_before_any_password_is_checked(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _guess_in_parallel(_throttled_app(make_app), monkeypatch)


def test_parallel_guesses_are_counted_before_checking_with_redis_too(
    make_app: Any, monkeypatch: pytest.MonkeyPatch, redis_config: dict[str, Any]
) -> None:
    settings = {k: v for k, v in redis_config.items() if not k.startswith("RATELIMIT_KEY")}
    settings.pop("RATELIMIT_ENABLED")
    _guess_in_parallel(_throttled_app(make_app, **settings), monkeypatch)


TRIALS = 12
RACERS = 6


def test_one_totp_code_opens_one_session_however_many_race(app: Flask) -> None:
    """The adversary's race: one code opened two sessions in 2 of 12 concurrent trials."""
    create_organizer(app)
    assert app.test_cli_runner().invoke(args=["organizers", "totp", EMAIL]).exit_code == 0
    with app.app_context():
        organizer = accounts.find_organizer(get_session(), EMAIL)
        assert organizer is not None and organizer.totp_secret is not None
        secret, organizer_id = organizer.totp_secret, organizer.id
    opened = []
    with live_server(app) as base:
        for _trial in range(TRIALS):
            with app.app_context():
                db = get_session()
                db.execute(
                    sa.update(Organizer)
                    .where(Organizer.id == organizer_id)
                    .values(totp_last_step=None)
                )
                db.commit()
            fields = {"email": EMAIL, "password": PASSWORD, "code": pyotp.TOTP(secret).now()}
            statuses = _post_in_parallel(base, fields, RACERS)
            opened.append(statuses.count(303))
            assert statuses.count(303) + statuses.count(401) == RACERS, statuses
    assert opened == [1] * TRIALS
    with app.app_context():
        sessions = get_session().scalar(sa.select(sa.func.count()).select_from(OrganizerSession))
    assert sessions == TRIALS


def test_a_used_step_is_claimed_in_the_database(app: Flask) -> None:
    organizer_id = create_organizer(app)
    with app.app_context():
        db = get_session()
        assert accounts._claim_step(db, organizer_id, 100)
        assert not accounts._claim_step(db, organizer_id, 100)
        assert not accounts._claim_step(db, organizer_id, 99)
        assert accounts._claim_step(db, organizer_id, 101)
        db.commit()
        assert db.scalar(sa.select(Organizer.totp_last_step)) == 101

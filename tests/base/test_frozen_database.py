"""A database that stops answering without going down, with real parts.

PostgreSQL is reached through a proxy that can freeze: connections stay open and nothing
is answered, as when the server's process is stopped (SIGSTOP) or its machine hangs. Every
wait for it has a deadline on the app's side (advocacy/db_postgres.py); past it the
request answers 503 with Retry-After and the form filled in, and for a while after, the
requests that need the database fail at once instead of each holding a server thread
(advocacy.db.DatabasePause). /healthz says so within a second or two, static files never
wait, and service comes back by itself after the thaw with every acknowledged pledge kept.
On SQLite the same failure is a database file that another process keeps locked.

Time bounds here are generous: they fail only if a request waited for the freeze to end.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from apps import base_config
from contact_keys import hashed
from databases import on_postgres, scratch_database
from flask import Flask
from freezable_proxy import FreezableProxy
from live_servers import Answer, app_environment, ask, granian
from pages import SLUG, hidden_value, pledge_fields

from advocacy import create_app
from advocacy.campaigns.service import install_shipped_campaigns
from advocacy.config import ConfigError
from advocacy.db import DatabasePause, DatabasePausedError, create_db_engine, get_session
from advocacy.migrate import upgrade

PLEDGES = f"/api/v1/campaigns/{SLUG}/pledges"
STATIC = "/static/css/site.css"
ON_POSTGRES = pytest.mark.skipif(
    not on_postgres(), reason="freezes PostgreSQL (ADVOCACY_DATABASE_URL)"
)
ON_SQLITE = pytest.mark.skipif(on_postgres(), reason="locks the SQLite file the suite runs on")
# Short deadlines keep the tests quick; the mechanism is the same at the default (5 s).
TIMEOUT = "1"  # ADVOCACY_DATABASE_TIMEOUT: the app gives up on the server after 2 s
# What "without waiting for the freeze" means: far below how long the freeze lasts.
BOUND = 10.0


@pytest.fixture
def frozen_db(tmp_path: Path) -> Iterator[tuple[str, str, FreezableProxy]]:
    """A database of its own, migrated; its URL, and its URL through a freezable proxy."""
    with scratch_database(tmp_path, "frozen") as direct:
        schema_app = create_app(base_config(tmp_path, direct))
        upgrade(schema_app)
        with schema_app.app_context():
            install_shipped_campaigns(get_session())
            get_session().commit()
        schema_app.extensions["advocacy.engine"].dispose()
        url = sa.make_url(direct)
        proxy = FreezableProxy((url.host or "127.0.0.1", url.port or 5432))
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        try:
            yield direct, proxied, proxy
        finally:
            proxy.close()


def stored_emails(url: str) -> set[str]:
    """The hashes of the emails pledged (compare with contact_keys.hashed)."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return set(connection.execute(sa.text("SELECT email_hash FROM pledges")).scalars())
    finally:
        engine.dispose()


def wait_for(check: Callable[[], bool], seconds: float) -> bool:
    """Try until check() is true or the time is up (service recovering by itself)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@ON_POSTGRES
def test_a_frozen_database_is_a_503_within_the_deadline_that_keeps_the_form_and_recovers(
    make_app: Callable[..., Flask],
    frozen_db: tuple[str, str, FreezableProxy],
    caplog: pytest.LogCaptureFixture,
) -> None:
    direct, proxied, proxy = frozen_db
    client = make_app(DATABASE_URL=proxied, DATABASE_TIMEOUT=TIMEOUT).test_client()
    html_before = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert client.post(PLEDGES, json=pledge_fields(email="before@example.org")).status_code == 202

    proxy.freeze()
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        started = time.monotonic()
        api = client.post(PLEDGES, json=pledge_fields(email="during-api@example.org"))
        api_seconds = time.monotonic() - started
        started = time.monotonic()
        health = client.get("/healthz")
        health_seconds = time.monotonic() - started
        form = client.post(
            f"/c/{SLUG}",
            data={
                "started": hidden_value(html_before, "started"),
                **pledge_fields(email="during@example.org", name="Gulnar Ablimit"),
            },
        )
        static = client.get(STATIC)
        static.close()  # a file response
        elapsed = time.monotonic() - started + api_seconds
    assert api_seconds < BOUND, f"a pledge waited {api_seconds:.1f} s for a frozen database"
    assert api.status_code == 503 and api.headers["Retry-After"] == "30"
    assert "not answering" in api.get_json()["error"]
    # Its own short deadline, or at once once the database is known not to answer.
    assert health_seconds < 5, f"/healthz took {health_seconds:.1f} s"
    assert health.status_code == 503
    assert health.get_json()["database"] == "unavailable"
    assert form.status_code == 503 and form.headers["Retry-After"] == "30"
    html = form.get_data(as_text=True)
    assert 'value="Gulnar Ablimit"' in html and 'value="during@example.org"' in html
    assert "Nothing you typed has been lost" in html
    assert static.status_code == 200
    assert elapsed < 2 * BOUND
    # One line per failure, no tracebacks.
    assert all(record.exc_info is None for record in caplog.records)

    proxy.thaw()
    # Back by itself: within a pause (5 s) and a deadline, with no restart.
    assert wait_for(lambda: client.get("/healthz").status_code == 200, 30)
    again = client.post(PLEDGES, json=pledge_fields(email="after@example.org"))
    assert again.status_code == 202
    assert {hashed("before@example.org"), hashed("after@example.org")} <= stored_emails(direct)


@pytest.mark.slow
@ON_POSTGRES
def test_under_load_a_frozen_database_fails_fast_and_static_files_keep_being_served(
    frozen_db: tuple[str, str, FreezableProxy], tmp_path: Path
) -> None:
    """The incident: 2 workers x 4 threads, pledges arriving, the database frozen 15 s."""
    direct, proxied, proxy = frozen_db
    env = app_environment(tmp_path / "instance", proxied, DATABASE_TIMEOUT=TIMEOUT)
    with granian(env, tmp_path / "granian.log") as port:
        page = ask(port, "GET", f"/c/{SLUG}")
        assert page.status == 200
        started_token = hidden_value(page.body, "started")
        acknowledged = []
        for n in range(3):
            answer = ask(port, "POST", PLEDGES, json_body=pledge_fields(email=f"b{n}@example.org"))
            assert answer.status == 202, answer.body
            acknowledged.append(f"b{n}@example.org")

        freeze_seconds = 15.0
        proxy.freeze()
        frozen_at = time.monotonic()
        stop = threading.Event()
        pledges: list[tuple[str, Answer]] = []

        def pledge_again_and_again(worker: int) -> None:
            n = 0
            while not stop.is_set():
                email = f"load-{worker}-{n}@example.org"
                pledges.append(
                    (email, ask(port, "POST", PLEDGES, json_body=pledge_fields(email=email)))
                )
                n += 1
                time.sleep(0.2)

        # More pledging clients than the server has threads (8).
        clients = [
            threading.Thread(target=pledge_again_and_again, args=(i,), daemon=True)
            for i in range(12)
        ]
        for thread in clients:
            thread.start()
        others: list[tuple[str, Answer]] = []
        time.sleep(0.5)  # every thread busy with a pledge
        while time.monotonic() - frozen_at < freeze_seconds - BOUND / 2:
            others.append(("static", ask(port, "GET", STATIC)))
            others.append(("healthz", ask(port, "GET", "/healthz")))
            form = pledge_fields(email="form@example.org", name="Gulnar Ablimit")
            others.append(
                ("form", ask(port, "POST", f"/c/{SLUG}", form={"started": started_token, **form}))
            )
            time.sleep(1)
        stop.set()
        for thread in clients:
            thread.join(timeout=BOUND)
        while time.monotonic() - frozen_at < freeze_seconds:
            time.sleep(0.1)
        proxy.thaw()
        thawed_at = time.monotonic()

        assert not any(thread.is_alive() for thread in clients), "a pledge waited for the thaw"
        during = [answer for _, answer in pledges + others]
        slowest = max(answer.seconds for answer in during)
        assert slowest < BOUND, f"a request waited {slowest:.1f} s for the frozen database"
        assert all(answer.finished < thawed_at for answer in during)
        assert len(pledges) > 12
        for email, answer in pledges:
            assert answer.status == 503, (email, answer.status, answer.body[:200])
            assert answer.headers["retry-after"] == "30"
        for kind, answer in others:
            if kind == "static":
                assert answer.status == 200 and "--ink" in answer.body
            elif kind == "healthz":
                assert answer.status == 503 and '"unavailable"' in answer.body
                assert answer.seconds < 5
            else:
                assert answer.status == 503 and answer.headers["retry-after"] == "30"
                assert 'value="Gulnar Ablimit"' in answer.body

        # Back by itself after the thaw, with no restart: each worker process within its
        # pause (5 s) and a deadline. Then every pledge is taken.
        statuses: list[int] = []
        streak, until = 0, time.monotonic() + 30
        while streak < 8 and time.monotonic() < until:
            email = f"after-{len(statuses)}@example.org"
            answer = ask(port, "POST", PLEDGES, json_body=pledge_fields(email=email))
            statuses.append(answer.status)
            if answer.status == 202:
                acknowledged.append(email)
                streak += 1
            else:
                streak = 0
                time.sleep(0.2)
        assert streak == 8, f"not back within 30 s of the thaw: {statuses}"
        assert set(statuses) <= {202, 503}
        assert wait_for(lambda: ask(port, "GET", "/healthz").status == 200, 10)
    # Every pledge acknowledged to a supporter is in the database.
    assert {hashed(email) for email in acknowledged} <= stored_emails(direct)


@pytest.mark.slow
@ON_SQLITE
def test_a_locked_sqlite_file_is_a_503_within_the_busy_timeout_that_keeps_the_form(
    make_app: Callable[..., Flask], migrated_url: str
) -> None:
    app = make_app(DATABASE_TIMEOUT="0.5")
    client = app.test_client()
    html_before = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert client.post(PLEDGES, json=pledge_fields(email="before@example.org")).status_code == 202

    # Another process holds the write lock (a stuck script, an operator's open transaction).
    locker = sqlite3.connect(sa.make_url(migrated_url).database or "", timeout=0)
    try:
        locker.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        api = client.post(PLEDGES, json=pledge_fields(email="during-api@example.org"))
        form = client.post(
            f"/c/{SLUG}",
            data={
                "started": hidden_value(html_before, "started"),
                **pledge_fields(email="during@example.org", name="Gulnar Ablimit"),
            },
        )
        elapsed = time.monotonic() - started
        # Readers go on (WAL): the database answers, only writes wait.
        health = client.get("/healthz")
        static = client.get(STATIC)
        static.close()
    finally:
        locker.rollback()
        locker.close()
    assert elapsed < BOUND
    assert api.status_code == 503 and api.headers["Retry-After"] == "30"
    assert form.status_code == 503 and form.headers["Retry-After"] == "30"
    assert 'value="Gulnar Ablimit"' in form.get_data(as_text=True)
    assert health.status_code == 200
    assert static.status_code == 200

    assert client.post(PLEDGES, json=pledge_fields(email="after@example.org")).status_code == 202
    with app.app_context():
        emails = set(get_session().scalars(sa.text("SELECT email_hash FROM pledges")))
    assert {hashed("before@example.org"), hashed("after@example.org")} <= emails
    assert hashed("during-api@example.org") not in emails


def test_the_pause_fails_fast_then_lets_one_request_find_out() -> None:
    now = [100.0]
    pause = DatabasePause(5.0, clock=lambda: now[0])
    pause.check()  # not paused: nothing happens
    pause.trip()
    with pytest.raises(DatabasePausedError):
        pause.check()
    now[0] += 5.0
    pause.check()  # over: this request asks the database
    with pytest.raises(DatabasePausedError):
        pause.check()  # the others keep failing fast while it does
    pause.clear()  # it answered
    pause.check()
    pause.check()


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan"])
def test_a_database_timeout_must_be_a_positive_number_of_seconds(
    tmp_path: Path, value: str
) -> None:
    with pytest.raises(ConfigError, match="ADVOCACY_DATABASE_TIMEOUT"):
        create_app(
            {**base_config(tmp_path, f"sqlite:///{tmp_path}/x.db"), "DATABASE_TIMEOUT": value}
        )

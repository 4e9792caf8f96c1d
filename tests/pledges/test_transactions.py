"""No database connection waits on the geocoder inside a transaction (PostgreSQL).

Under a spike, a supporter waiting on a slow geocoder must not hold an open transaction:
on PostgreSQL that pins a pooled connection (and its snapshot) for up to the geocoder's
timeout, and the pool runs dry.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fake_census import running_fake_census
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, hidden_value, submit_pledge

from advocacy.db import create_db_engine, get_session
from advocacy.models import Pledge

pytestmark = pytest.mark.skipif(
    not os.environ.get("ADVOCACY_DATABASE_URL", "").startswith("postgresql"),
    reason="pg_stat_activity is PostgreSQL's; CI runs this on PostgreSQL",
)

ADDRESS = {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98109"}


def transactions_open(url: str) -> list[str]:
    """Return the state of every other connection to this database inside a transaction."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT state FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND state LIKE 'idle in transaction%'"
                )
            ).scalars()
            return list(rows)
    finally:
        engine.dispose()


def pledge_by_form(client: FlaskClient) -> int:
    return submit_pledge(client, email="waiting@example.org", **ADDRESS).status_code


def pledge_by_api(client: FlaskClient) -> int:
    body = {"name": "Amina", "email": "waiting-api@example.org", **ADDRESS}
    return client.post(f"/api/v1/campaigns/{SLUG}/pledges", json=body).status_code


def refine_address(client: FlaskClient) -> int:
    submit_pledge(client, email="refine@example.org", zip="98101", city="Seattle", state="WA")
    token = hidden_value(client.get(f"/c/{SLUG}/thanks").get_data(as_text=True), "csrf_token")
    return client.post(f"/c/{SLUG}/thanks", data={"csrf_token": token, **ADDRESS}).status_code


@pytest.mark.parametrize(
    ("path", "expected"),
    [(pledge_by_form, 303), (pledge_by_api, 202), (refine_address, 303)],
    ids=["form", "api", "refine"],
)
def test_no_transaction_is_open_while_the_geocoder_is_slow(
    make_app: Callable[..., Flask],
    migrated_url: str,
    path: Callable[[FlaskClient], int],
    expected: int,
) -> None:
    with running_fake_census() as census:
        app = make_app(GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=10, MIN_FILL_SECONDS=0)
        client = app.test_client()
        status: dict[str, Any] = {}

        def run() -> None:
            status["code"] = path(client)

        census.mode = "slow"
        census.slow_seconds = 10
        before = len(census.requests)
        thread = threading.Thread(target=run)
        thread.start()
        deadline = time.monotonic() + 10
        while len(census.requests) == before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(census.requests) > before, "the geocoder was never asked"
        time.sleep(0.2)  # the request is now waiting on the geocoder
        try:
            assert transactions_open(migrated_url) == []
        finally:
            census.stopping.set()
            thread.join(timeout=15)
    assert status.get("code") == expected
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count()).select_from(Pledge)) == 1

"""Rate limits that tolerate a shared address (README, *Rate limits*): an event's own
budget while it is on, the everyday per-address budget elsewhere, and the JSON API's.

Limits are counted in memory here, one app per test; each test's requests come from one
address (the test client's), as a campus or a carrier-grade NAT would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from event_pages import add_event, pledge_through_event
from flask import Flask
from pages import SLUG, hidden_value, pledge_fields

from advocacy.config import DEFAULTS
from advocacy.db import get_session
from advocacy.events import schedule
from advocacy.models import Pledge

LIMITS_ON = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


def _stored(app: Flask, ref: str | None = None) -> int:
    with app.app_context():
        query = sa.select(sa.func.count()).select_from(Pledge)
        if ref is not None:
            query = query.where(Pledge.ref == ref)
        return int(get_session().scalar(query) or 0)


@pytest.mark.slow
def test_two_hundred_people_behind_one_address_pledge_at_an_event(make_app: Any) -> None:
    # The everyday budget is kept small: it must neither refuse nor count these pledges.
    app = make_app(**LIMITS_ON, RATELIMIT_WRITE="5 per minute")
    code = add_event(app, starts_in=timedelta(minutes=-5))
    statuses = []
    for n in range(200):
        # Each person's own browser: the event's page, then its script's token.
        person = app.test_client()
        response = pledge_through_event(
            person, code, name=f"Student Number{n}", email=f"student{n}@campus.example.edu"
        )
        statuses.append(response.status_code)
    assert statuses == [303] * 200
    assert _stored(app, f"event-{code}") == 200
    # The address's everyday budget is whole: a pledge from the campaign page goes through.
    client = app.test_client()
    page = client.get(f"/c/{SLUG}").get_data(as_text=True)
    data = {"started": hidden_value(page, "started"), **pledge_fields(email="after@example.org")}
    assert client.post(f"/c/{SLUG}", data=data).status_code == 303


@pytest.mark.slow
def test_a_script_of_a_thousand_posts_from_one_address_is_stopped(make_app: Any) -> None:
    # The shipped numbers: 30 a minute, 300 an hour, 1,000 a day.
    app = make_app(**LIMITS_ON)
    client = app.test_client()
    statuses: dict[int, int] = {}
    for n in range(1000):
        # The strongest script: a fresh token of its own for every post, a new address each.
        token = client.get(f"/c/{SLUG}/form-token").get_json()["started"]
        fields = pledge_fields(email=f"bot{n}@example.org", name=f"Bot Number{n}")
        status = client.post(f"/c/{SLUG}", data={"started": token, **fields}).status_code
        statuses[status] = statuses.get(status, 0) + 1
    accepted = statuses.get(303, 0)
    # 30 a minute, counted per clock minute: a run across a minute's turn may get twice.
    assert 30 <= accepted <= 60
    assert statuses.get(429, 0) == 1000 - accepted
    assert _stored(app) == accepted


def test_an_events_link_outside_its_time_has_the_everyday_budget(make_app: Any) -> None:
    app = make_app(**LIMITS_ON, RATELIMIT_WRITE="3 per minute")
    over = add_event(app, starts_in=timedelta(days=-2), lasts=timedelta(hours=3))
    later = add_event(app, starts_in=timedelta(days=3), name="Next week's evening")
    client = app.test_client()
    statuses = [
        pledge_through_event(client, code, email=f"late{n}@example.org").status_code
        for n, code in enumerate([over, later, over, over])
    ]
    assert statuses == [303, 303, 303, 429]
    # Still attributed to the events: the budget changed, not where the pledges came from.
    assert _stored(app, f"event-{over}") == 2 and _stored(app, f"event-{later}") == 1
    # And the everyday budget is the one the campaign page shares.
    response = client.post(f"/c/{SLUG}", data=pledge_fields())
    assert response.status_code == 429


def test_an_events_own_budget_is_bounded_and_kept_per_event(make_app: Any) -> None:
    app = make_app(**LIMITS_ON, RATELIMIT_EVENT="3 per 10 minutes")
    first = add_event(app)
    second = add_event(app, name="The same evening, next room")
    client = app.test_client()
    statuses = [
        pledge_through_event(client, first, email=f"room1-{n}@example.org").status_code
        for n in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    assert pledge_through_event(client, second, email="room2@example.org").status_code == 303


def test_the_json_api_has_a_tighter_budget_of_its_own(make_app: Any) -> None:
    app = make_app(**LIMITS_ON, RATELIMIT_API_WRITE="2 per minute")
    client = app.test_client()
    statuses = [
        client.post(
            f"/api/v1/campaigns/{SLUG}/pledges", json=pledge_fields(email=f"api{n}@example.org")
        ).status_code
        for n in range(3)
    ]
    assert statuses == [202, 202, 429]


def test_the_shipped_limits_are_the_documented_ones() -> None:
    assert DEFAULTS["RATELIMIT_WRITE"] == "30 per minute;300 per hour;1000 per day"
    assert DEFAULTS["RATELIMIT_API_WRITE"] == "10 per minute;60 per hour"
    assert DEFAULTS["RATELIMIT_EVENT"] == "300 per 10 minutes"


def test_an_event_is_on_from_an_hour_before_it_starts_to_an_hour_after_it_ends() -> None:
    starts = datetime(2027, 4, 5, 22, 0, tzinfo=UTC)
    ends = starts + timedelta(hours=2)
    minute = timedelta(minutes=1)
    assert not schedule.is_on(starts, ends, starts - timedelta(hours=1) - minute)
    assert schedule.is_on(starts, ends, starts - timedelta(hours=1))
    assert schedule.is_on(starts, ends, ends + timedelta(hours=1))
    assert not schedule.is_on(starts, ends, ends + timedelta(hours=1) + minute)
    # SQLite gives stored times back without their zone: they are UTC.
    naive = starts.replace(tzinfo=None)
    assert schedule.is_on(naive, ends.replace(tzinfo=None), starts)

"""Helpers for the events tests: an event added by hand or through the organizers' form,
its page opened and its form sent as a browser would (the page, then the script's own
token), and the event's code read back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, hidden_value, pledge_fields
from werkzeug.test import TestResponse

from advocacy.db import get_session
from advocacy.events.service import NewEvent, create_event
from advocacy.models import Campaign, Event, utcnow


def add_event(
    app: Flask,
    *,
    starts_in: timedelta = timedelta(minutes=-30),
    lasts: timedelta = timedelta(hours=2),
    slug: str = SLUG,
    name: str = "Baren remembrance evening",
    place: str = "Kane Hall, University of Washington, Seattle",
) -> str:
    """Add an event starting starts_in from now (real time: budgets run on it); return its code."""
    starts = utcnow() + starts_in
    with app.app_context():
        db = get_session()
        campaign_id = db.scalar(sa.select(Campaign.id).where(Campaign.slug == slug))
        assert campaign_id is not None
        new = NewEvent(name, place, starts, starts + lasts, "America/Los_Angeles")
        event = create_event(db, campaign_id, new, None)
        db.commit()
        return event.code


def event_codes(app: Flask) -> list[str]:
    with app.app_context():
        return list(get_session().scalars(sa.select(Event.code).order_by(Event.id)))


def pledge_through_event(client: FlaskClient, code: str, **fields: Any) -> TestResponse:
    """Open the event's page, fetch a token of one's own as its script does, send the form."""
    page = client.get(f"/e/{code}")
    assert page.status_code == 200, page.status_code
    token = client.get(f"/e/{code}/form-token").get_json()["started"]
    html = page.get_data(as_text=True)
    data = {"started": token, "ref": hidden_value(html, "ref"), **pledge_fields(**fields)}
    return client.post(f"/e/{code}", data=data)


def local_form(moment: datetime) -> str:
    """A time as a datetime-local box sends it."""
    return moment.strftime("%Y-%m-%dT%H:%M")

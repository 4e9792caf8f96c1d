"""Helpers for the organizer tests: accounts, signing in through the form, exports, seeded
pledges, and the app on a live threaded server for concurrent requests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import factories
import sqlalchemy as sa
from data_files import SNAPSHOT_MOMENT
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, hidden_value
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from advocacy.db import get_session
from advocacy.models import Campaign
from advocacy.organizers import accounts
from advocacy.organizers import roles as organizer_roles
from advocacy.pledges import tallies

EMAIL = "organizer@example.org"
PASSWORD = "correct horse battery staple"


def create_organizer(
    app: Flask,
    email: str = EMAIL,
    password: str = PASSWORD,
    *,
    owner: bool = True,
    roles: dict[str, str] | None = None,
) -> int:
    """Add an organizer: an owner, unless roles ({campaign slug: "editor" or "viewer"})."""
    with app.app_context():
        db = get_session()
        organizer = accounts.create_organizer(db, email, password, owner=owner and not roles)
        if roles:
            ids = {c.slug: c.id for c in db.scalars(sa.select(Campaign))}
            organizer_roles.set_roles(db, organizer.id, {ids[s]: r for s, r in roles.items()})
        get_session().commit()
        return organizer.id


def login(
    client: FlaskClient,
    email: str = EMAIL,
    password: str = PASSWORD,
    code: str = "",
    next_path: str | None = None,
) -> TestResponse:
    """Load the sign-in page, then post its form."""
    page = client.get("/organizers/login")
    data = {
        "csrf_token": hidden_value(page.get_data(as_text=True), "csrf_token"),
        "email": email,
        "password": password,
        "code": code,
    }
    if next_path:
        data["next"] = next_path
    return client.post("/organizers/login", data=data)


def signed_in_client(app: Flask) -> FlaskClient:
    create_organizer(app)
    client = app.test_client()
    response = login(client)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


STEP_UP_FORM = "/step-up"


def step_up(client: FlaskClient, path: str, answer: str = PASSWORD) -> TestResponse:
    """Answer the page asking again before the contacts' export (at the export's path):
    the password, for an account with neither passkey nor code, or a code."""
    page = client.get(path).get_data(as_text=True)
    assert STEP_UP_FORM in page, "no page asking again"
    token = hidden_value(page, "csrf_token")
    return client.post(
        path.rsplit("/", 1)[0] + STEP_UP_FORM, data={"csrf_token": token, "answer": answer}
    )


def download(client: FlaskClient, path: str) -> TestResponse:
    """Download an export as the dashboard does: the page's button posts its CSRF token
    (asked again first, with the password, where the page asks)."""
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    if f'{STEP_UP_FORM}"' in page.get_data(as_text=True):
        assert step_up(client, path).status_code == 303
        page = client.get(path)
    token = hidden_value(page.get_data(as_text=True), "csrf_token")
    return client.post(path, data={"csrf_token": token})


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """Serve the app from a threaded server on 127.0.0.1; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="organizers-live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# The test apps' clock: "today" on the dashboard is its day.
NOW = SNAPSHOT_MOMENT

# (state, district, city, ref, consent, note, days ago, email, name)
SEED: list[tuple[Any, ...]] = [
    ("WA", 7, "Seattle", "uhrp", True, "My cousin has been detained since 2017.", 0),
    ("WA", 7, "Seattle", "uhrp", False, "PRIVATE note never in the report", 0),
    ("WA", 7, "Shoreline", "", True, "", 1),
    ("WA", 9, "Renton", "", True, "Please act now.", 3),
    ("VA", 8, "Arlington", "cfu", False, "", 10),
    ("VA", 8, "Arlington", "cfu", True, '=HYPERLINK("http://evil")', 10),
    ("VA", None, "", "", False, "", 20),
    ("AK", 0, "Anchorage", "", False, "", 2),
]


def seed_pledges(app: Flask, rows: list[tuple[Any, ...]] = SEED, slug: str = SLUG) -> int:
    """Insert pledges with known seats, refs, consent and days; return the campaign id."""
    with app.app_context():
        session = get_session()
        campaign = factories.campaign(session, slug)
        for index, (state, district, city, ref, consent, note, days_ago) in enumerate(rows):
            moment = NOW - timedelta(days=days_ago)
            factories.pledge(
                session,
                campaign.id,
                name=f"Supporter Number{index}",
                email=f"supporter{index}@example.org",
                city=city,
                state=state,
                district=district,
                consent=consent,
                ref=ref,
                created_at=moment,
                # Confirmed from their mailbox as they pledged: counted supporters.
                confirmed_at=moment,
            )
            if note and consent:
                # Words agreed to be quoted: kept apart from the pledge (pledges.quotes).
                factories.quote(session, campaign.id, note, state, district, city, moment)
        # The campaign launched 30 days ago, so the chart starts there.
        campaign.created_at = NOW - timedelta(days=30)
        session.flush()
        # Inserted behind the app's back, so counted as a bulk load is.
        tallies.recount(session, campaign.id)
        session.commit()
        return campaign.id

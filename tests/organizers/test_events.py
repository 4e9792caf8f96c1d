"""A campaign's events in the organizers' room: creating one (its form's checks, the
time zone, the audit line), who may, its link, short address, poster and QR code, and
its confirmed pledges on the dashboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import segno
import sqlalchemy as sa
from event_pages import add_event, event_codes, pledge_through_event
from flask import Flask
from flask.testing import FlaskClient
from inbox import PUBLIC_URL, confirm_waiting
from organizer_pages import create_organizer, login
from pages import SLUG, hidden_value, page_text, parse, table_rows
from werkzeug.test import TestResponse

from advocacy.db import get_session
from advocacy.models import AuditEvent, Event, as_utc

EVENTS = f"/organizers/c/{SLUG}/events"
EDITOR = "editor@example.org"
VIEWER = "viewer@example.org"
GOOD = {
    "name": "Baren remembrance evening",
    "place": "Kane Hall, University of Washington, Seattle",
    "starts": "2027-04-05T18:30",
    "ends": "2027-04-05T21:00",
    "time_zone": "America/New_York",
}


@pytest.fixture
def events_app(make_app: Any) -> Flask:
    app: Flask = make_app(PUBLIC_URL=PUBLIC_URL)
    create_organizer(app, EDITOR, roles={SLUG: "editor"})
    create_organizer(app, VIEWER, roles={SLUG: "viewer"})
    return app


def _as(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, email=email).status_code == 303
    return client


def _create(client: FlaskClient, **fields: str) -> TestResponse:
    token = hidden_value(client.get(EVENTS).get_data(as_text=True), "csrf_token")
    return client.post(EVENTS, data={"csrf_token": token, **{**GOOD, **fields}})


def _dark_modules(svg: str) -> set[tuple[int, int]]:
    """Read back which modules an SVG drawn by segno paints: its path's runs, row by row."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path is not None
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    number = r"(-?\d+(?:\.\d+)?)"
    for command, first, second in re.findall(rf"([Mmh]){number}(?: {number})?", path.group(1)):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            run = int(float(first))
            dark.update((int(y), int(x) + step) for step in range(run))
            x += run
    border = min(row for row, _ in dark)  # the finder pattern's top-left module
    return {(row - border, column - border) for row, column in dark}


def _encodes(svg: str, url: str) -> bool:
    """Tell whether the SVG draws the QR code segno makes for url (at any error level)."""
    drawn = _dark_modules(svg)
    for level in "lmqh":
        matrix = segno.make(url, error=level).matrix
        wanted = {(r, c) for r, row in enumerate(matrix) for c, bit in enumerate(row) if bit}
        if drawn == wanted:
            return True
    return False


def test_an_editor_creates_an_event_with_a_link_a_short_address_and_an_audit_line(
    events_app: Flask,
) -> None:
    editor = _as(events_app, EDITOR)
    response = _create(editor)
    assert response.status_code == 303
    [code] = event_codes(events_app)
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}", code)
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    text = page_text(page)
    link = f"{PUBLIC_URL}/e/{code}"
    assert f"Event created: Baren remembrance evening. Its link is {link}." in text
    item = parse(page).by_id(f"event-{code}").squeezed()
    assert "April 5, 2027, 6:30 PM to 9:00 PM, US Eastern time" in item
    assert f"Short address act.example.org/e/{code}" in item
    assert "Confirmed pledges 0" in item
    with events_app.app_context():
        event = get_session().scalar(sa.select(Event))
        assert event is not None
        # 6:30 PM in New York in April (daylight time) is 22:30 UTC.
        assert as_utc(event.starts_at) == datetime(2027, 4, 5, 22, 30, tzinfo=UTC)
        assert as_utc(event.ends_at) == datetime(2027, 4, 6, 1, 0, tzinfo=UTC)
        assert event.time_zone == "America/New_York"
        actions = list(get_session().scalars(sa.select(AuditEvent.action)))
    assert f"campaign event {code} created" in actions


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends": "2027-04-05T18:00"}, "ends", "The end must be after the start."),
        ({"ends": "2027-04-05T18:30"}, "ends", "The end must be after the start."),
        ({"ends": "2027-04-13T18:30"}, "ends", "An event lasts at most 7 days."),
        ({"starts": "next Tuesday"}, "starts", "Enter a date and a time, like 2027-04-05"),
        ({"starts": ""}, "starts", "Enter when the event starts."),
        ({"name": ""}, "name", "Enter the event's name."),
        ({"name": "x" * 121}, "name", "Keep the name under 120 characters."),
        ({"place": " "}, "place", "Enter where the event is."),
        ({"place": "p" * 201}, "place", "Keep the place under 200 characters."),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Choose a time zone."),
    ],
)
def test_a_mistake_in_the_event_form_is_shown_beside_its_field(
    events_app: Flask, fields: dict[str, str], field: str, message: str
) -> None:
    response = _create(_as(events_app, EDITOR), **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in parse(html).by_id(f"{field}-error").text()
    assert "Please check" in parse(html).by_id("error-summary").squeezed()
    # What was typed stays in the form.
    assert hidden_value(html, "place") == fields.get("place", GOOD["place"]).strip()
    assert event_codes(events_app) == []


def test_a_viewer_sees_events_and_posters_but_cannot_create_one(events_app: Flask) -> None:
    code = add_event(events_app)
    viewer = _as(events_app, VIEWER)
    page = viewer.get(EVENTS)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert parse(html).find_all("form", class_="event-form") == []
    assert "its editors and the organization's owners create them" in page_text(html)
    assert viewer.get(f"{EVENTS}/{code}/poster").status_code == 200
    # The sign-out form's token: the viewer's session has one, the page no event form.
    token = hidden_value(html, "csrf_token")
    response = viewer.post(EVENTS, data={"csrf_token": token, **GOOD})
    assert response.status_code == 403
    assert event_codes(events_app) == [code]


def test_nobody_signed_out_sees_events(events_app: Flask) -> None:
    code = add_event(events_app)
    client = events_app.test_client()
    for path in (EVENTS, f"{EVENTS}/{code}/poster", f"{EVENTS}/{code}/qr.svg"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/organizers/login?next=")
    # Without a session's CSRF token, the post goes no further.
    assert client.post(EVENTS, data=GOOD).status_code == 400
    assert event_codes(events_app) == [code]


def test_the_poster_carries_a_qr_code_of_the_events_full_link(events_app: Flask) -> None:
    code = add_event(events_app, name="Baren remembrance evening")
    viewer = _as(events_app, VIEWER)
    poster = viewer.get(f"{EVENTS}/{code}/poster")
    assert poster.status_code == 200
    html = poster.get_data(as_text=True)
    link = f"{PUBLIC_URL}/e/{code}"
    svgs = re.findall(r"<svg[^>]*class=\"qr\".*?</svg>", html, flags=re.S)
    assert len(svgs) == 1
    assert _encodes(svgs[0], link)
    assert not _encodes(svgs[0], f"{PUBLIC_URL}/e/{code.lower()}")
    text = page_text(html)
    assert "Baren remembrance evening" in text and f"act.example.org/e/{code}" in text
    # The campaign's ask, as its content says it.
    assert "Add your name" in text or "pledge" in text.lower()
    # Nothing on the poster comes from another site.
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', html)).replace(
        PUBLIC_URL, ""
    )

    download = viewer.get(f"{EVENTS}/{code}/qr.svg")
    assert download.status_code == 200
    assert download.mimetype == "image/svg+xml"
    assert download.headers["Content-Disposition"] == f'attachment; filename="event-{code}-qr.svg"'
    assert _encodes(download.get_data(as_text=True), link)


def test_an_unknown_event_has_no_poster(events_app: Flask) -> None:
    viewer = _as(events_app, VIEWER)
    assert viewer.get(f"{EVENTS}/ZZZZZZ/poster").status_code == 404
    assert viewer.get(f"{EVENTS}/ZZZZZZ/qr.svg").status_code == 404


def test_pledges_through_an_event_are_counted_on_the_dashboard(events_app: Flask) -> None:
    code = add_event(events_app, name="Baren remembrance evening")
    quiet = add_event(events_app, name="A quiet evening")
    supporter = events_app.test_client()
    for n in range(3):
        assert pledge_through_event(supporter, code, email=f"e{n}@example.org").status_code == 303
    assert confirm_waiting(events_app) == 3
    viewer = _as(events_app, VIEWER)
    dashboard = viewer.get(f"/organizers/c/{SLUG}/").get_data(as_text=True)
    rows = {
        row[0].split(" (")[0]: (row[0], row[-1]) for row in table_rows(dashboard, "events-table")
    }
    assert rows.keys() == {"Baren remembrance evening", "A quiet evening"}
    assert rows["Baren remembrance evening"][1] == "3"
    assert rows["A quiet evening"][1] == "0"
    assert f"act.example.org/e/{code})" in rows["Baren remembrance evening"][0]
    assert f"act.example.org/e/{quiet})" in rows["A quiet evening"][0]
    # An event is not a partner: its pledges are not listed again under partners.
    assert "Every pledge so far came through a supporter's share link or an event" in (
        page_text(dashboard)
    )
    page = viewer.get(EVENTS).get_data(as_text=True)
    assert "Confirmed pledges 3" in parse(page).by_id(f"event-{code}").squeezed()

"""A campaign's events in the organizers' room: the list, a new event, its poster and QR.

On the organizers' blueprint (`views.bp`), behind its door (`signin.py`). Anyone who may
see the campaign sees its events, their links and counts, and prints their posters;
creating one takes the `events` role (owners and the campaign's editors), is a POST with
the session's CSRF token, and is a line in the audit trail. The events themselves, their
page and budget are `advocacy.events`'.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, g, redirect, render_template, url_for

from advocacy import clock
from advocacy.campaigns.content import content_of
from advocacy.campaigns.lifecycle import page_copy
from advocacy.campaigns.service import stored_campaign_or_404
from advocacy.db import get_session
from advocacy.events import poster, schedule
from advocacy.events.service import NewEvent, create_event, find_event
from advocacy.models import Campaign, Event
from advocacy.organizers import accounts, roles
from advocacy.organizers.event_rows import event_link, event_row, event_rows
from advocacy.organizers.forms import EventForm
from advocacy.organizers.views import bp


def _page(camp: Campaign, form: EventForm | None = None, status: int = 200) -> tuple[str, int]:
    db = get_session()
    may_create = roles.may(db, g.organizer, "events", camp)
    html = render_template(
        "organizers/events.html",
        campaign=camp,
        rows=event_rows(camp),
        form=form or EventForm(formdata=None),
        may_create=may_create,
        margin_hours=int(schedule.MARGIN.total_seconds() // 3600),
        event_limit=current_app.config["RATELIMIT_EVENT"],
    )
    return html, status


@bp.get("/c/<slug>/events")
def events_page(slug: str) -> Any:
    camp = stored_campaign_or_404(get_session(), slug)
    roles.check("view", camp)
    return _page(camp)


@bp.post("/c/<slug>/events")
def create_event_view(slug: str) -> Any:
    db = get_session()
    camp = stored_campaign_or_404(db, slug)
    roles.check("events", camp)
    form = EventForm()
    if not form.validate_on_submit():
        return _page(camp, form, 422)
    zone = form.time_zone.data
    new = NewEvent(
        name=form.name.data,
        place=form.place.data,
        starts_at=schedule.to_utc(form.starts.data, zone),
        ends_at=schedule.to_utc(form.ends.data, zone),
        time_zone=zone,
    )
    event = create_event(db, camp.id, new, g.organizer.id)
    accounts.record_event(db, g.organizer.id, f"campaign event {event.code} created", camp.slug)
    db.commit()
    flash(f"Event created: {event.name}. Its link is {event_link(event)}.", "status")
    return redirect(url_for("organizers.events_page", slug=camp.slug, _anchor="events-title"), 303)


def _event_of(slug: str, code: str) -> tuple[Campaign, Event]:
    db = get_session()
    camp = stored_campaign_or_404(db, slug)
    roles.check("view", camp)
    event = find_event(db, code)
    if event is None or event.campaign_id != camp.id:
        abort(404)
    return camp, event


@bp.get("/c/<slug>/events/<code>/poster")
def event_poster(slug: str, code: str) -> Any:
    """The printable poster: the event, the campaign's ask, the QR code and short address."""
    camp, event = _event_of(slug, code)
    link = event_link(event)
    content = content_of(camp)
    return render_template(
        "organizers/event_poster.html",
        campaign=camp,
        content=content,
        copy=page_copy(content, clock.now()),
        row=event_row(event, 0),
        qr=poster.qr_svg(link, f"QR code: {link}"),
    )


@bp.get("/c/<slug>/events/<code>/qr.svg")
def event_qr(slug: str, code: str) -> Response:
    """The QR code alone, as an SVG file to put on a flyer or a slide."""
    _camp, event = _event_of(slug, code)
    link = event_link(event)
    response = Response(poster.qr_file(link, f"QR code: {link}"), mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event.code}-qr.svg"'
    return response

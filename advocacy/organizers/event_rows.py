"""What the organizers' pages show of a campaign's events: the events page, the poster and
the dashboard's lines (its times in its own zone, its link, whether it is on, its count)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from advocacy.db import get_session
from advocacy.events import schedule
from advocacy.events.service import events_of, pledge_counts
from advocacy.models import Campaign, Event, utcnow
from advocacy.web.links import public_url_for


def event_link(event: Event) -> str:
    """Return the event's full public link (from ADVOCACY_PUBLIC_URL): the QR code's."""
    return public_url_for(current_app, "events.page", code=event.code)


def event_row(event: Event, count: int) -> dict[str, Any]:
    """Return what a page shows of one event: its times in its zone, link, state, count."""
    zone = event.time_zone
    now = utcnow()
    ends = schedule.in_zone(event.ends_at, zone)
    return {
        "event": event,
        "link": event_link(event),
        "short": event_link(event).split("://", 1)[-1],
        "starts": schedule.in_zone(event.starts_at, zone),
        "ends": ends,
        "zone_name": schedule.ZONE_NAMES.get(zone, zone),
        "on": schedule.is_on(event.starts_at, event.ends_at, now),
        "over": now > ends + schedule.MARGIN,
        "count": count,
    }


def event_rows(campaign: Campaign) -> list[dict[str, Any]]:
    """Return the campaign's events as the events page and the dashboard show them."""
    db = get_session()
    events = events_of(db, campaign.id)
    counts = pledge_counts(db, campaign.id, events)
    return [event_row(event, counts[event.code]) for event in events]

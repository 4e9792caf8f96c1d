"""The service's clock: the moment of the Congress calendar the service lives at.

`now()` is the real time, or the moment a test or a rehearsal sets with CLOCK in the
app's config (a callable returning an aware datetime, read at every call). It moves what
depends on the calendar of Congress, and what the service says about it:

- which Congress sits, who sits (terms start and end), which map draws the districts,
  and so every look-up and ZIP answer (the finder reads `of(app)`);
- the campaign page's and the letters' words: the bill's status and the ask, the dates
  in letters; `advocacy campaigns check`;
- the data files' status and age (`advocacy data status`, the dashboard), which rows of
  the changed-states table are shown for checking, and a map confirmation's date;
- the dashboard's "today" (its counts by day and chart) and export files' names.

It does not move, on purpose, what is measured in real seconds between real events, or
agreed on with other processes and the database:

- security windows: form tokens' fill time and age (web.formguard, the widget's and the
  campaign page's forms) and their use counts, every rate limit (whether an event is on,
  for its pledge budget, included) and the organizers' sign-in throttle (counted in
  Redis, shared by processes), TOTP codes, organizers' sessions and device cookies,
  confirmation and withdrawal codes' validity, supporters' visits (personal data kept
  three days): a moved clock must not open or stretch them;
- what rows record (created_at, confirmed_at and the day a pledge counts on, audit
  events): when things happened, `models.utcnow`, as other processes and the database
  record them;
- the outbox's leases, retries and expiry, shared by every sender through the database;
- retention (`advocacy pledges purge`): a promise kept in real days;
- durations (caches, deadlines, the geocoder's breaker, the pool's pings): time.monotonic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app, has_app_context

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Return the real time, in UTC."""
    return datetime.now(UTC)


def app_clock() -> Clock:
    """Return the current app's clock, or the real one outside an app."""
    if has_app_context():
        clock: Clock | None = current_app.config.get("CLOCK")
        if clock is not None:
            return clock
    return system_clock


def of(app: Flask) -> Clock:
    """Return a clock for one app that reads its CLOCK at every call (threads need no context)."""

    def now() -> datetime:
        clock: Clock | None = app.config.get("CLOCK")
        return (clock or system_clock)()

    return now


def now() -> datetime:
    """Return the current app's idea of now, aware, in UTC."""
    return app_clock()().astimezone(UTC)

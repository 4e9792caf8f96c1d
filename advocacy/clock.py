"""The service's clock: the real time, or one a test or a rehearsal sets.

Which Congress is sitting, and so which members and maps are current, depends on the
time; setting CLOCK (a callable returning an aware datetime) in the app's config moves
the whole service to another moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app, has_app_context

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


def now() -> datetime:
    """Return the current app's idea of now, aware, in UTC."""
    return app_clock()().astimezone(UTC)

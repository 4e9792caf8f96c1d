"""An event's rules that need no database: its short code, its times and when it is on.

The code is what people type from a poster (/e/<code>): six characters from an alphabet
without look-alikes (no 0 or O, 1, I or L, no U), read in any case. An organizer gives
the times as local times in a zone they choose (US Eastern unless they say otherwise);
they are stored in UTC and shown in that zone again.

While an event is on, from MARGIN before it starts until MARGIN after it ends, pledges
through its page have a budget of their own (RATELIMIT_EVENT, per event and client
address) instead of the per-address one: a room of people on one network pledging at
once is what an event is for. The margin covers a room that fills early and a poster
read on the way out. Whether it is on is judged by the real time, never the app's CLOCK
(advocacy/clock.py): a rate limit's window is measured in real seconds.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH: Final = 6
MARGIN: Final = timedelta(hours=1)
# The longest an event may last: its budget is for a gathering, not a standing exemption.
LONGEST: Final = timedelta(days=7)

# The zones an organizer chooses from, in the order offered (the first is the default):
# the zone, the form's words for it, and the words beside a time shown in it.
TIME_ZONES: Final = (
    ("America/New_York", "US Eastern (New York, Washington)", "US Eastern time"),
    ("America/Chicago", "US Central (Chicago)", "US Central time"),
    ("America/Denver", "US Mountain (Denver)", "US Mountain time"),
    ("America/Phoenix", "Arizona (Phoenix)", "Arizona time"),
    ("America/Los_Angeles", "US Pacific (Los Angeles, Seattle)", "US Pacific time"),
    ("America/Anchorage", "Alaska (Anchorage)", "Alaska time"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)", "Hawaii time"),
    ("UTC", "UTC", "UTC"),
)
DEFAULT_TIME_ZONE: Final = TIME_ZONES[0][0]
ZONE_NAMES: Final = {zone: shown for zone, _choice, shown in TIME_ZONES}


def new_code() -> str:
    """Return a random short code (30⁶, about 729 million, of them)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """Return the code as stored (upper case), or None if text cannot be one."""
    code = text.strip().upper()
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


EVENT_REF_PREFIX: Final = "event-"


def event_ref(code: str) -> str:
    """Return the ref the event's pledges carry (counted by the ref tallies)."""
    return f"{EVENT_REF_PREFIX}{code}"


def is_event_ref(ref: str) -> bool:
    """Whether a ref is an event's (the dashboard lists those under events, not partners)."""
    return ref.startswith(EVENT_REF_PREFIX)


def to_utc(local: datetime, zone: str) -> datetime:
    """Return a naive local time in the zone as an aware UTC time."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def in_zone(moment: datetime, zone: str) -> datetime:
    """Return a stored time (aware, or naive UTC as SQLite gives it) in the zone."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone))


def is_on(starts_at: datetime, ends_at: datetime, at: datetime) -> bool:
    """Tell whether an event's budget applies at `at`: within MARGIN of its times."""
    start, end = (m if m.tzinfo else m.replace(tzinfo=UTC) for m in (starts_at, ends_at))
    return start - MARGIN <= at <= end + MARGIN

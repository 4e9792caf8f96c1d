"""What every table shares: the field limits of forms, API and columns, and the time."""

from __future__ import annotations

from datetime import UTC, datetime

# Field limits, shared by the forms, the API and the columns.
NAME_MAX = 100
EMAIL_MAX = 254
CITY_MAX = 100
STREET_MAX = 200
NOTE_MAX = 2000
REF_MAX = 64
# An organizer's address, wherever one is kept (accounts, versions, the identity's editor).
ORGANIZER_EMAIL_MAX = EMAIL_MAX


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Return a stored time as an aware UTC datetime (SQLite hands back naive ones)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)

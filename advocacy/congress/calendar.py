"""Which Congress sits when: a new one is sworn in at noon Eastern on January 3 of odd years.

Every district number belongs to a Congress's map and every member's term to a Congress,
so the service asks this module, with the app's clock, which Congress is sitting.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

# Noon Eastern on January 3 is 17:00 UTC: Eastern time is always UTC-5 in January.
SWEARING_IN_HOUR_UTC = 17


def congress_on(moment: datetime) -> int:
    """Return the number of the Congress sitting at an aware datetime (valid since 1935)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("congress_on needs a timezone-aware datetime")
    utc = moment.utctimetuple()
    start_year = utc.tm_year if utc.tm_year % 2 else utc.tm_year - 1
    if start_year == utc.tm_year and (utc.tm_mon, utc.tm_mday, utc.tm_hour) < (
        1,
        3,
        SWEARING_IN_HOUR_UTC,
    ):
        start_year -= 2
    return (start_year - 1789) // 2 + 1


def congress_start(congress: int) -> datetime:
    """Return the moment a Congress is sworn in (noon Eastern, January 3)."""
    return datetime(1789 + 2 * (congress - 1), 1, 3, SWEARING_IN_HOUR_UTC, tzinfo=UTC)


def congress_end(congress: int) -> datetime:
    """Return the moment a Congress ends: when the next one is sworn in."""
    return congress_start(congress + 1)


def sworn_in(congress: int) -> str:
    """Return the day a Congress is sworn in as people write it: "January 3, 2027"."""
    start = congress_start(congress)
    return f"{start:%B} {start.day}, {start.year}"


def sworn_in_at(congress: int) -> str:
    """Return the moment a Congress is sworn in as Washington's clock reads: "2027-01-03 12:00 ET".

    Also the moment the previous Congress ends.
    """
    eastern = congress_start(congress) - timedelta(hours=5)  # January: always UTC-5
    return f"{eastern:%Y-%m-%d %H:%M} ET"


def term_instant(day: date) -> datetime:
    """Return the moment a term dated `day` in congress-legislators starts or ends.

    Terms change hands at noon Eastern; the file gives only the day.
    """
    return datetime(day.year, day.month, day.day, SWEARING_IN_HOUR_UTC, tzinfo=UTC)


def ordinal(n: int) -> str:
    """Return an English ordinal: 1st, 2nd, 3rd, 11th, 119th, 121st."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def congress_name(congress: int) -> str:
    """Return "the 120th Congress"."""
    return f"the {ordinal(congress)} Congress"

"""Which Congress sits when: sworn in at noon Eastern on January 3 of odd years, and terms
that change hands at that same noon."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

import pytest

from advocacy.congress.calendar import (
    congress_end,
    congress_name,
    congress_on,
    congress_start,
    ordinal,
    sworn_in,
    sworn_in_at,
    term_instant,
)

EASTERN = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("moment", "congress"),
    [
        (datetime(2026, 1, 1, 0, 0, tzinfo=UTC), 119),
        (datetime(2026, 1, 2, 23, 59, tzinfo=UTC), 119),
        (datetime(2026, 1, 3, 16, 59, tzinfo=UTC), 119),
        (datetime(2026, 1, 3, 17, 0, tzinfo=UTC), 119),
        (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), 119),
        (datetime(2028, 1, 2, 12, 0, tzinfo=UTC), 120),
    ],
)
def test_an_even_years_first_days_belong_to_the_congress_sworn_in_a_year_before(
    moment: datetime, congress: int
) -> None:
    # Only odd years have a swearing-in: noon on January 3 of an even year is a day like
    # any other in the second session.
    assert congress_on(moment) == congress


@pytest.mark.parametrize(
    ("moment", "congress"),
    [
        (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), 119),
        (datetime(2027, 1, 2, 23, 59, tzinfo=UTC), 119),
        (datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC), 119),
        (datetime(2027, 1, 3, 17, 0, tzinfo=UTC), 120),
        (datetime(2027, 1, 3, 18, 0, tzinfo=UTC), 120),
        (datetime(2027, 1, 4, 0, 0, tzinfo=UTC), 120),
        (datetime(2027, 2, 1, 0, 0, tzinfo=UTC), 120),
        (datetime(2027, 12, 31, 23, 59, tzinfo=UTC), 120),
    ],
)
def test_an_odd_year_changes_congress_at_noon_eastern_on_january_3(
    moment: datetime, congress: int
) -> None:
    assert congress_on(moment) == congress


def test_the_moment_is_read_in_utc_whatever_its_zone() -> None:
    # Late on January 2 in Washington is already January 3 in UTC, hours before noon.
    assert congress_on(datetime(2027, 1, 2, 22, 0, tzinfo=EASTERN)) == 119
    assert congress_on(datetime(2027, 1, 3, 11, 59, tzinfo=EASTERN)) == 119
    assert congress_on(datetime(2027, 1, 3, 12, 0, tzinfo=EASTERN)) == 120
    # A zone ahead of UTC: January 4 at 1:00 in Tokyo is before noon in Washington.
    tokyo = timezone(timedelta(hours=9))
    assert congress_on(datetime(2027, 1, 4, 1, 0, tzinfo=tokyo)) == 119
    assert congress_on(datetime(2027, 1, 4, 2, 0, tzinfo=tokyo)) == 120


class NoOffset(tzinfo):
    """A zone that does not know its offset: the moment is as naive as one without a zone."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None


@pytest.mark.parametrize("zone", [None, NoOffset()])
def test_a_naive_moment_is_refused(zone: tzinfo | None) -> None:
    with pytest.raises(ValueError, match="^congress_on needs a timezone-aware datetime$"):
        congress_on(datetime(2027, 1, 3, 17, 0, tzinfo=zone))


@pytest.mark.parametrize("congress", [74, 118, 119, 120, 121, 150])
def test_a_congress_starts_and_ends_at_the_swearing_in(congress: int) -> None:
    start = congress_start(congress)
    assert start == datetime(1789 + 2 * (congress - 1), 1, 3, 17, 0, tzinfo=UTC)
    assert congress_on(start) == congress
    assert congress_on(start - timedelta(microseconds=1)) == congress - 1
    assert congress_end(congress) == congress_start(congress + 1)
    assert congress_on(congress_end(congress) - timedelta(microseconds=1)) == congress


def test_the_119th_and_120th_congresses_are_sworn_in_on_their_days() -> None:
    assert congress_start(119) == datetime(2025, 1, 3, 17, 0, tzinfo=UTC)
    assert congress_start(120) == datetime(2027, 1, 3, 17, 0, tzinfo=UTC)
    assert congress_start(120).astimezone(EASTERN).hour == 12


def test_the_swearing_in_is_written_as_people_write_it() -> None:
    assert sworn_in(120) == "January 3, 2027"
    assert sworn_in(121) == "January 3, 2029"
    assert sworn_in_at(120) == "2027-01-03 12:00 ET"
    assert sworn_in_at(119) == "2025-01-03 12:00 ET"


def test_a_term_changes_hands_at_noon_eastern_on_its_day() -> None:
    assert term_instant(date(2027, 1, 3)) == datetime(2027, 1, 3, 17, 0, tzinfo=UTC)
    # Not only on January 3: an appointed senator's term ends at noon on Election Day.
    assert term_instant(date(2026, 11, 3)) == datetime(2026, 11, 3, 17, 0, tzinfo=UTC)
    assert term_instant(date(2027, 1, 3)).astimezone(EASTERN).hour == 12
    assert term_instant(date(2027, 1, 3)) == congress_start(120)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (14, "14th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (119, "119th"),
        (120, "120th"),
        (121, "121st"),
        (122, "122nd"),
        (123, "123rd"),
    ],
)
def test_ordinals_read_as_english(n: int, text: str) -> None:
    assert ordinal(n) == text


def test_a_congress_is_named_with_its_ordinal() -> None:
    assert congress_name(120) == "the 120th Congress"
    assert congress_name(121) == "the 121st Congress"

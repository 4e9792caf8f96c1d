"""The geocoder answers kept in the app's database (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from advocacy.models import GeocodeCacheEntry
from advocacy.representatives.cache import DatabaseGeocodeCache, cache_key, normalize_address
from advocacy.representatives.geocoder import GeocodeResult

AUSTIN = GeocodeResult("TX", 37, "1100 CONGRESS AVE, AUSTIN, TX, 78701", 119)
ADDRESS = "1100 Congress Ave., Austin, TX 78701"


@pytest.fixture
def sessions(app: Flask) -> sessionmaker[Session]:
    maker: sessionmaker[Session] = app.extensions["advocacy.sessionmaker"]
    return maker


@pytest.fixture
def cache(sessions: sessionmaker[Session]) -> DatabaseGeocodeCache:
    return DatabaseGeocodeCache(sessions, max_age=timedelta(days=30))


def rows(sessions: sessionmaker[Session]) -> list[GeocodeCacheEntry]:
    with sessions() as session:
        return list(session.scalars(sa.select(GeocodeCacheEntry)))


def test_unknown_address_is_a_miss(cache: DatabaseGeocodeCache) -> None:
    assert cache.get(ADDRESS, 119) == "miss"


def test_match_round_trip(cache: DatabaseGeocodeCache) -> None:
    cache.put(ADDRESS, 119, AUSTIN)
    assert cache.get(ADDRESS, 119) == AUSTIN


def test_water_round_trip_keeps_the_missing_district(cache: DatabaseGeocodeCache) -> None:
    water = GeocodeResult("WA", None, "2600 FAIRVIEW AVE E, SEATTLE, WA, 98102", 119)
    cache.put("2600 Fairview Ave E, Seattle, WA 98102", 119, water)
    assert cache.get("2600 Fairview Ave E, Seattle, WA 98102", 119) == water


def test_no_match_is_remembered(cache: DatabaseGeocodeCache) -> None:
    cache.put("1 Nowhere Rd, Austin, TX 78701", 119, None)
    assert cache.get("1 Nowhere Rd, Austin, TX 78701", 119) is None


def test_a_later_answer_replaces_the_earlier_one(cache: DatabaseGeocodeCache) -> None:
    cache.put(ADDRESS, 119, None)
    cache.put(ADDRESS, 119, AUSTIN)
    assert cache.get(ADDRESS, 119) == AUSTIN


def test_answers_are_per_congress(cache: DatabaseGeocodeCache) -> None:
    cache.put(ADDRESS, 119, AUSTIN)
    assert cache.get(ADDRESS, 120) == "miss"


def test_expired_answers_are_misses(sessions: sessionmaker[Session]) -> None:
    cache = DatabaseGeocodeCache(sessions, max_age=timedelta(days=30))
    cache.put(ADDRESS, 119, AUSTIN)
    with sessions() as session:
        session.execute(
            sa.update(GeocodeCacheEntry).values(
                expires_at=datetime.now(UTC) - timedelta(seconds=1)
            )
        )
        session.commit()
    assert cache.get(ADDRESS, 119) == "miss"


def test_no_match_expires_sooner_than_a_match(sessions: sessionmaker[Session]) -> None:
    cache = DatabaseGeocodeCache(
        sessions, max_age=timedelta(days=30), no_match_max_age=timedelta(hours=1)
    )
    cache.put(ADDRESS, 119, AUSTIN)
    cache.put("1 Nowhere Rd, Austin, TX", 119, None)
    expiry = {entry.matched: entry.expires_at for entry in rows(sessions)}
    now = datetime.now(UTC)

    def left(moment: datetime) -> timedelta:
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) - now

    assert timedelta(days=29) < left(expiry[True]) <= timedelta(days=30)
    assert timedelta(minutes=59) < left(expiry[False]) <= timedelta(hours=1)


def test_zero_max_age_keeps_nothing(sessions: sessionmaker[Session]) -> None:
    cache = DatabaseGeocodeCache(sessions, max_age=timedelta(0))
    cache.put(ADDRESS, 119, AUSTIN)
    assert cache.get(ADDRESS, 119) == "miss"


@pytest.mark.parametrize(
    "variant",
    [
        "1100 congress ave austin tx 78701",
        "  1100   CONGRESS AVE ,  AUSTIN,TX  78701 ",
        "1100 Congress Ave, Austin, TX, 78701.",
        "１１００ Congress Ave, Austin, TX 78701",  # full-width digits from a phone keyboard
    ],
)
def test_normalised_addresses_share_an_entry(cache: DatabaseGeocodeCache, variant: str) -> None:
    cache.put(ADDRESS, 119, AUSTIN)
    assert cache.get(variant, 119) == AUSTIN


def test_different_addresses_do_not_share_an_entry(cache: DatabaseGeocodeCache) -> None:
    cache.put(ADDRESS, 119, AUSTIN)
    assert cache.get("1101 Congress Ave, Austin, TX 78701", 119) == "miss"


def test_normalize_address() -> None:
    assert normalize_address("1100 Congress Ave., Austin") == "1100 congress ave austin"
    assert normalize_address("1100 congress ave austin") == "1100 congress ave austin"


def test_the_table_holds_no_typed_address(
    cache: DatabaseGeocodeCache, sessions: sessionmaker[Session]
) -> None:
    cache.put("742 Evergreen Terrace, Springfield, IL 62702", 119, None)
    cache.put(ADDRESS, 119, AUSTIN)
    entries = rows(sessions)
    assert len(entries) == 2
    for entry in entries:
        assert len(entry.key) == 64
        assert int(entry.key, 16) >= 0  # hex digest, nothing else
        values = " ".join(str(v) for v in vars(entry).values()).lower()
        assert "evergreen" not in values
        assert ADDRESS.lower() not in values
        assert normalize_address(ADDRESS) not in values
    assert {entry.key for entry in entries} == {
        cache_key("742 Evergreen Terrace, Springfield, IL 62702", 119),
        cache_key(ADDRESS, 119),
    }


def test_a_broken_database_is_a_miss_not_an_error(app: Flask) -> None:
    broken = sessionmaker(sa.create_engine("sqlite:///file:nowhere?mode=ro&uri=true"))
    cache = DatabaseGeocodeCache(broken, max_age=timedelta(days=1))
    cache.put(ADDRESS, 119, AUSTIN)  # must not raise
    assert cache.get(ADDRESS, 119) == "miss"

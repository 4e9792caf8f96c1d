"""Nobody can learn whether an address was looked up, and no address is kept but the
supporter's own, with their visit.

Addresses used to be kept for 30 days, shared by every supporter: a look-up of an address
someone else had looked up came back in 2 ms instead of 300 without asking the Census, and
the Census's matched address sat in the table in clear text. Now every look-up goes the
same way, to the Census, whoever looked the address up before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from apps import base_config
from fake_census import FakeCensus, running_fake_census
from flask import Flask
from pages import SLUG, submit_pledge

from advocacy import create_app
from advocacy.db import Base, create_db_engine, get_session
from advocacy.migrate import alembic_config, upgrade

LOOKUP = "/api/v1/representatives"
THANKS = f"/c/{SLUG}/thanks"
# Someone's home, and an address nobody has looked up; the fake Census matches both.
SEEN = {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98101"}
UNSEEN = {"street": "1100 Congress Ave", "city": "Austin", "state": "TX", "zip": "78701"}
SEEN_MATCHED = "400 BROAD ST, SEATTLE, WA, 98109"
# How the street may appear in a row: as typed, or as the Census wrote it back.
STREET_TEXT = ("400 broad", "broad st", "1100 congress", "congress ave")


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with running_fake_census() as fake:
        yield fake


@pytest.fixture
def app(make_app: Any, census: FakeCensus) -> Flask:
    flask_app: Flask = make_app(GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=2)
    return flask_app


def look_up(app: Flask, body: dict[str, str]) -> dict[str, Any]:
    response = app.test_client().post(LOOKUP, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer: dict[str, Any] = response.get_json()
    return answer


def rows_with_street(app: Flask) -> list[tuple[str, str]]:
    """Return (table, row) for every row of every table that holds a street's text."""
    found = []
    with app.app_context():
        session = get_session()
        for table in Base.metadata.sorted_tables:
            for row in session.execute(sa.select(table)):
                text = " ".join(str(value) for value in row).lower()
                if any(street in text for street in STREET_TEXT):
                    found.append((table.name, text))
    return found


# The attack: look up an address someone else looked up, and one nobody did.


def test_an_address_someone_looked_up_goes_the_same_way_as_one_nobody_did(
    app: Flask, census: FakeCensus
) -> None:
    supporter = look_up(app, SEEN)
    assert len(census.requests) == 1

    seen = look_up(app, SEEN)  # the attacker, guessing the supporter's home
    assert len(census.requests) == 2  # asked the Census: nothing answered from a copy
    unseen = look_up(app, UNSEEN)
    assert len(census.requests) == 3
    assert seen == supporter
    assert (seen["match"], seen["fallback"]) == (unseen["match"], unseen["fallback"])
    assert seen["match"] == "address" and seen["fallback"] is None


def test_a_one_line_address_someone_looked_up_asks_the_census_again(
    app: Flask, census: FakeCensus
) -> None:
    first = look_up(app, {"address": "400 Broad St, Seattle, WA 98101"})
    again = look_up(app, {"address": "400 broad st., seattle wa 98101"})
    assert len(census.requests) == 2
    assert again == first


def test_a_pledge_from_an_address_leaves_nothing_a_later_lookup_can_find(
    app: Flask, census: FakeCensus
) -> None:
    response = submit_pledge(app.test_client(), **SEEN)
    assert response.status_code == 303
    assert len(census.requests) == 1
    look_up(app, SEEN)
    assert len(census.requests) == 2


def test_while_the_census_is_down_a_seen_address_falls_back_like_any_other(
    app: Flask, census: FakeCensus
) -> None:
    # A copy kept to answer during an outage would be the same oracle: the attacker
    # would only have to wait for one.
    look_up(app, SEEN)
    census.mode = "error500"
    seen, unseen = look_up(app, SEEN), look_up(app, UNSEEN)
    for answer in (seen, unseen):
        assert (answer["match"], answer["fallback"]) == ("zip", "geocoder_unavailable")
        assert "matched_address" not in answer


# Nothing readable kept.


def test_no_street_is_kept_anywhere_after_lookups(app: Flask, census: FakeCensus) -> None:
    look_up(app, SEEN)
    look_up(app, UNSEEN)
    look_up(app, {"address": "400 Broad St, Seattle, WA 98101"})
    look_up(app, {**SEEN, "street": "1 Nowhere Rd"})  # no match
    assert len(census.requests) == 4
    assert rows_with_street(app) == []


def test_after_a_pledge_no_row_holds_the_address_readable(app: Flask, census: FakeCensus) -> None:
    client = app.test_client()
    response = submit_pledge(client, **SEEN)
    assert response.status_code == 303
    page = client.get(THANKS).get_data(as_text=True)
    assert SEEN_MATCHED in page
    # The visit keeps what the results page needs sealed under a key only the browser
    # holds (tests/pledges/test_sealed_visits.py); no row holds the street readable.
    assert rows_with_street(app) == []


# The supporter's own page.


def test_the_supporters_own_page_reloads_without_asking_the_census_again(
    app: Flask, census: FakeCensus
) -> None:
    mine = app.test_client()
    assert submit_pledge(mine, **SEEN).status_code == 303
    for _ in range(3):
        page = mine.get(THANKS)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert f"which the US Census matched as <strong>{SEEN_MATCHED}</strong>" in html
    assert len(census.requests) == 1

    # Someone else at the same address: the Census is asked for them, and the first
    # supporter's page is still theirs.
    other = app.test_client()
    assert submit_pledge(other, email="dilnur@example.org", **SEEN).status_code == 303
    assert len(census.requests) == 2
    assert SEEN_MATCHED in mine.get(THANKS).get_data(as_text=True)
    assert len(census.requests) == 2


# The addresses the old cache held: gone with its table (migration 0011).


def test_the_migration_drops_the_old_cache_with_every_address_in_it(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    flask_app = create_app(base_config(tmp_path, url))
    upgrade(flask_app, "0010")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO geocode_cache (key, congress, matched, state, district,"
                " matched_address, expires_at) VALUES (:k, 119, true, 'WA', 7, :a, :t)"
            ),
            {
                "k": hashlib.sha256(b"119|400 broad st seattle wa 98101").hexdigest(),
                "a": "400 BROAD ST, SEATTLE, WA, 98101",
                "t": datetime.now(UTC) + timedelta(days=10),
            },
        )
    upgrade(flask_app)
    assert "geocode_cache" not in sa.inspect(engine).get_table_names()
    # And back: the table returns empty, never with the addresses.
    command.downgrade(alembic_config(flask_app), "0010")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM geocode_cache")).scalar() == 0
    upgrade(flask_app)
    engine.dispose()

"""Migration 0016 from the previous release: a table of events, pledges left as they are;
and back down (the events go, their pledges and refs stay)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from apps import base_config
from databases import insert_campaign, query, table_names

from advocacy import create_app
from advocacy.db import create_db_engine
from advocacy.migrate import alembic_config, pending_changes, upgrade

T = "2026-12-05 20:00:00+00:00"


def test_upgrade_adds_events_and_downgrade_keeps_their_pledges(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0015")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        insert_campaign(connection, T)
    engine.dispose()
    assert "events" not in table_names(url)

    upgrade(app)
    assert pending_changes(app) == []
    assert "events" in table_names(url)
    engine = create_db_engine(url)
    with engine.begin() as connection:
        campaign_id = connection.execute(sa.text("SELECT id FROM campaigns")).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO events (campaign_id, code, name, place, starts_at, ends_at,"
                " time_zone, created_at) VALUES (:c, 'K7QX2M', 'Evening', 'Hall', :t, :t,"
                " 'America/New_York', :t)"
            ),
            {"c": campaign_id, "t": T},
        )
        connection.execute(
            sa.text(
                "INSERT INTO pledges (campaign_id, email_hash, zip, city,"
                " consent, ref, created_at) VALUES (:c, 'hash-of-a',"
                " '98105', '', false, 'event-K7QX2M', :t)"
            ),
            {"c": campaign_id, "t": T},
        )
        # One code per event, whichever campaign.
        duplicate = sa.text(
            "INSERT INTO events (campaign_id, code, name, place, starts_at, ends_at,"
            " time_zone, created_at) VALUES (:c, 'K7QX2M', 'Other', 'Hall', :t, :t, 'UTC', :t)"
        )
    engine.dispose()
    engine = create_db_engine(url)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(duplicate, {"c": campaign_id, "t": T})
    engine.dispose()
    app.extensions["advocacy.engine"].dispose()

    command.downgrade(alembic_config(app), "0015")
    assert "events" not in table_names(url)
    assert query(url, "SELECT ref FROM pledges")[0][0] == "event-K7QX2M"
    # Up once more, to the head (on PostgreSQL the suite's later tests share it).
    upgrade(app)
    assert "events" in table_names(url)
    assert query(url, "SELECT count(*) FROM events")[0][0] == 0
    app.extensions["advocacy.engine"].dispose()

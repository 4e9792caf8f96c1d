"""Migration 0018 from the previous release: results pages sealed, and notes kept only to
be quoted. Existing visits go (no browser holds a key for them), existing notes go (given
with the consent to be contacted, never to be quoted); pledges and their counts stay."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from apps import base_config
from databases import insert_campaign, query, table_names

from advocacy import create_app
from advocacy.db import create_db_engine
from advocacy.migrate import alembic_config, pending_changes, upgrade

T = "2026-12-05 20:00:00+00:00"
NOTE = "Mening dadam 2018-yildin beri yoq. ئاتام يوق."
STREET = "1410 NE Campus Pkwy"


def test_upgrade_deletes_old_notes_and_visits_and_keeps_pledges(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0017")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        campaign_id = insert_campaign(connection, T)
        pledge_id = connection.execute(
            sa.text(
                "INSERT INTO pledges (campaign_id, email_hash, zip, city, state, district,"
                " note, consent, ref, created_at) VALUES (:c, 'hash-of-a', '98105',"
                " 'Seattle', 'WA', 7, :note, true, '', :t) RETURNING id"
            ),
            {"c": campaign_id, "note": NOTE, "t": T},
        ).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO supporter_visits (id, campaign_id, pledge_id, pledge_created,"
                " name, street, city, state, zip, note, lookup, expires_at) VALUES ('v1', :c,"
                " :p, true, 'Amina Tursun', :street, 'Seattle', 'WA', '98105', :note, '{}', :t)"
            ),
            {"c": campaign_id, "p": pledge_id, "street": STREET, "note": NOTE, "t": T},
        )
    engine.dispose()

    upgrade(app)
    assert pending_changes(app) == []
    assert "pledge_quotes" in table_names(url)
    # The pledge stays, with its place and consent; its note is gone, and none was quoted.
    assert query(url, "SELECT city, state, district, consent FROM pledges") == [
        ("Seattle", "WA", 7, True)
    ]
    assert query(url, "SELECT count(*) FROM pledge_quotes") == [(0,)]
    assert query(url, "SELECT count(*) FROM supporter_visits") == [(0,)]
    engine = create_db_engine(url)
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("pledges")}
        visit_columns = {c["name"] for c in sa.inspect(engine).get_columns("supporter_visits")}
        quote_columns = {c["name"] for c in sa.inspect(engine).get_columns("pledge_quotes")}
    finally:
        engine.dispose()
    assert "note" not in columns
    assert visit_columns == {
        "id",
        "campaign_id",
        "pledge_id",
        "pledge_created",
        "sealed",
        "expires_at",
    }
    # Nothing in a quote's row leads back to a pledge or a person.
    assert quote_columns == {
        "id",
        "campaign_id",
        "state",
        "district",
        "congress",
        "city",
        "text",
        "created_on",
    }
    if url.startswith("sqlite"):
        data = Path(url.removeprefix("sqlite:///")).read_bytes()
        assert NOTE.encode() not in data and STREET.encode() not in data

    # Down again: the columns come back empty; the pledge is still there.
    app.extensions["advocacy.engine"].dispose()
    command.downgrade(alembic_config(app), "0017")
    assert query(url, "SELECT note FROM pledges") == [("",)]
    assert "pledge_quotes" not in table_names(url)

"""Migration 0009 from the previous release: pledges made then stay counted (as confirmed
when made), the withdraw links shown then keep working, and it goes back down cleanly."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from apps import base_config
from contact_keys import hashed
from data_files import SNAPSHOT_MOMENT
from inbox import post_code

from advocacy import create_app
from advocacy.db import create_db_engine, get_session
from advocacy.migrate import alembic_config, upgrade
from advocacy.models import Campaign, Pledge, as_utc
from advocacy.organizers import stats

LEGACY_TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012-_9"


def test_upgrade_from_the_previous_release_and_back(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0008")
    moment = SNAPSHOT_MOMENT - timedelta(days=2)
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO campaigns (id, slug, title, goal, is_default, content, created_at,"
                " updated_at) VALUES (1, 'c', 'C', 10, false, '{}', :t, :t)"
            ),
            {"t": moment},
        )
        for n, key in enumerate([hashlib.sha256(LEGACY_TOKEN.encode()).hexdigest(), None]):
            connection.execute(
                sa.text(
                    "INSERT INTO pledges (campaign_id, name, email, email_normalized, zip, city,"
                    " state, district, congress, note, consent, ref, created_at, withdraw_key)"
                    " VALUES (1, 'N', :e, :e, '98105', '', 'WA', 7, 119, '', true, '', :t, :k)"
                ),
                {"e": f"p{n}@example.org", "t": moment + timedelta(days=n), "k": key},
            )
        # Counted as the previous release counted them: as they were made.
        day = moment.date()
        counts = [
            "INSERT INTO pledge_counters (campaign_id, slot, pledges, updated_at)"
            " VALUES (1, 0, 2, :t)",
            "INSERT INTO pledge_tallies_by_day (campaign_id, day, slot, pledges, consented)"
            " VALUES (1, :d, 0, 1, 1), (1, :d1, 0, 1, 1)",
            "INSERT INTO pledge_tallies_by_seat (campaign_id, state, district, congress, slot,"
            " pledges) VALUES (1, 'WA', 7, 119, 0, 2)",
            "INSERT INTO pledge_tallies_by_ref (campaign_id, ref, slot, pledges)"
            " VALUES (1, '', 0, 2)",
        ]
        for statement in counts:
            connection.execute(
                sa.text(statement), {"t": moment, "d": day, "d1": day + timedelta(days=1)}
            )
    engine.dispose()

    # Up to the head, not just 0009: the app below maps today's tables (campaigns gained
    # columns in 0013), and the rows made by 0009 must survive every later migration.
    upgrade(app)
    with app.app_context():
        db = get_session()
        pledges = db.scalars(sa.select(Pledge).order_by(Pledge.id)).all()
        assert [as_utc(p.confirmed_at) for p in pledges] == [as_utc(p.created_at) for p in pledges]
        campaign = db.get(Campaign, 1)
        assert campaign is not None and campaign.pledge_count == 2
    # The link the earlier release showed still withdraws, and uncounts, that pledge.
    client = app.test_client()
    status, html = post_code(client, "withdraw", LEGACY_TOKEN, slug="c")
    # (Its page reads the same whether or not a pledge went: see test_withdraw.py.)
    assert status == 200 and "No pledge is left under this link" in html
    with app.app_context():
        db = get_session()
        assert db.scalars(sa.select(Pledge.email_hash)).all() == [hashed("p1@example.org")]
        # Uncounted on the day it was counted on: the tallies agree with a recount.
        assert stats.per_day(db, 1) == {day + timedelta(days=1): 1}
        assert stats.totals(db, 1).total == 1

    # Down again: unconfirmed pledges are not carried back; withdraw keys are.
    with app.app_context():
        db = get_session()
        db.execute(
            sa.insert(Pledge).values(
                campaign_id=1,
                email_hash=hashed("u@example.org"),
                zip="98105",
                created_at=moment,
            )
        )
        db.commit()
    app.extensions["advocacy.engine"].dispose()
    command.downgrade(alembic_config(app), "0008")
    engine = create_db_engine(url)
    with engine.connect() as connection:
        # (Migration 0017 is not undone: the hash stands where the address was.)
        rows = connection.execute(sa.text("SELECT email_normalized FROM pledges")).scalars().all()
        columns = {c["name"] for c in sa.inspect(connection).get_columns("pledges")}
        tables = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    assert rows == [hashed("p1@example.org")]
    assert "withdraw_key" in columns and "confirmed_at" not in columns
    assert not {"pledge_keys", "mail_outbox", "mail_budgets"} & tables
    # And up once more, to the head (on PostgreSQL the suite's later tests share it).
    upgrade(app)
    app.extensions["advocacy.engine"].dispose()

"""Migration 0020 from the previous release: an unsent email keeps the language of the page
its pledge was made on. Mail waiting from before is English (NULL) and is still sent;
down again, the column goes and the waiting mail stays."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from apps import base_config
from databases import insert_campaign, query

from advocacy import create_app
from advocacy.db import create_db_engine
from advocacy.migrate import alembic_config, pending_changes, upgrade

T = "2026-12-05 20:00:00+00:00"


def _outbox_columns(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return {c["name"] for c in sa.inspect(engine).get_columns("mail_outbox")}
    finally:
        engine.dispose()


def test_waiting_mail_from_before_is_english_and_the_language_is_kept_after(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0019")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        campaign_id = insert_campaign(connection, T)
        pledge_id = connection.execute(
            sa.text(
                "INSERT INTO pledges (campaign_id, email_hash, zip, city, consent, ref,"
                " created_at) VALUES (:c, 'hash-of-a', '98105', '', false, '', :t) RETURNING id"
            ),
            {"c": campaign_id, "t": T},
        ).scalar_one()
        outbox = sa.text(
            "INSERT INTO mail_outbox (pledge_id, kind, confirm_code, withdraw_code, recipient,"
            " created_at, next_attempt_at, attempts, last_error) VALUES (:p, 'confirm',"
            " 'K7QX2M9PDA3VW8ETB6HJ', 'C78S202SE85C900J86AY', :r, :t, :t, 0, '')"
        )
        connection.execute(outbox, {"p": pledge_id, "r": b"sealed", "t": T})
    engine.dispose()
    assert "language" not in _outbox_columns(url)

    upgrade(app)
    assert pending_changes(app) == []
    assert query(url, "SELECT kind, language FROM mail_outbox") == [("confirm", None)]
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE mail_outbox SET language = 'ug-Latn'"))
    engine.dispose()
    assert query(url, "SELECT language FROM mail_outbox") == [("ug-Latn",)]

    # Down again: the waiting mail stays, to be written in English.
    command.downgrade(alembic_config(app), "0019")
    assert "language" not in _outbox_columns(url)
    assert query(url, "SELECT kind FROM mail_outbox") == [("confirm",)]
    # Up once more, to the head (on PostgreSQL the suite's later tests share it).
    upgrade(app)
    assert "language" in _outbox_columns(url)
    app.extensions["advocacy.engine"].dispose()

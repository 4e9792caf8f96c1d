"""Migration 0019: organizers' passkeys, single-use challenges, the password switch and a
session's step-up time; and back down (passkeys forgotten, accounts and sessions kept)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from apps import base_config
from databases import table_names

from advocacy import create_app
from advocacy.db import create_db_engine
from advocacy.migrate import alembic_config, pending_changes, upgrade

T = "2026-12-05 20:00:00+00:00"
NEW_TABLES = {"organizer_passkeys", "webauthn_challenges", "sign_in_settings"}


def _columns(url: str, table: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return {c["name"] for c in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_upgrade_adds_passkeys_and_downgrade_keeps_accounts_and_sessions(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0018")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO organizers (email, password_hash, active, owner, created_at)"
                " VALUES ('o@example.org', 'x', true, true, :t)"
            ),
            {"t": T},
        )
        organizer_id = connection.execute(sa.text("SELECT id FROM organizers")).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO organizer_sessions (organizer_id, token_hash, created_at)"
                " VALUES (:o, 'h', :t)"
            ),
            {"o": organizer_id, "t": T},
        )
    engine.dispose()
    assert not NEW_TABLES & table_names(url)

    upgrade(app)
    assert pending_changes(app) == []
    assert NEW_TABLES <= table_names(url)
    assert "stepped_up_at" in _columns(url, "organizer_sessions")
    insert = sa.text(
        "INSERT INTO organizer_passkeys (organizer_id, credential_id, public_key, sign_count,"
        " transports, name, created_at) VALUES (:o, :c, :k, 0, 'internal', 'Laptop', :t)"
    )
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(insert, {"o": organizer_id, "c": b"\x01\x02", "k": b"key", "t": T})
        # The session from before has not been asked again.
        assert (
            connection.execute(
                sa.text("SELECT stepped_up_at FROM organizer_sessions")
            ).scalar_one()
            is None
        )
    engine.dispose()
    # One row per credential id; one row of settings.
    engine = create_db_engine(url)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(insert, {"o": organizer_id, "c": b"\x01\x02", "k": b"k2", "t": T})
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO sign_in_settings (id, passwords, updated_by) VALUES (2, true, '')"
            )
        )
    engine.dispose()
    app.extensions["advocacy.engine"].dispose()

    command.downgrade(alembic_config(app), "0018")
    assert not NEW_TABLES & table_names(url)
    assert "stepped_up_at" not in _columns(url, "organizer_sessions")
    engine = create_db_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM organizer_sessions")).scalar() == 1
        assert connection.execute(sa.text("SELECT email FROM organizers")).scalar() == (
            "o@example.org"
        )
    engine.dispose()
    # Up once more, to the head (on PostgreSQL the suite's later tests share it).
    upgrade(app)
    assert NEW_TABLES <= table_names(url)
    app.extensions["advocacy.engine"].dispose()

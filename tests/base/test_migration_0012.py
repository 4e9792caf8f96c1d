"""Migration 0012 from the previous release: the organization's table arrives empty (pages
show the neutral name until it is set), takes the identity, and goes back down cleanly."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from apps import base_config
from databases import table_names

from advocacy import create_app
from advocacy.db import create_db_engine, get_session
from advocacy.migrate import alembic_config, current_revision, pending_changes, upgrade
from advocacy.organization import service
from advocacy.organization.identity import NEUTRAL_NAME, load_identity


def test_upgrade_from_the_previous_release_and_back(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0011")
    assert "organization" not in table_names(url)
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO campaigns (id, slug, title, goal, is_default, content, created_at,"
                " updated_at) VALUES (1, 'c', 'C', 10, false, '{}', :t, :t)"
            ),
            {"t": "2026-12-01 00:00:00+00:00"},
        )
    engine.dispose()

    upgrade(app)
    # The head: 0012 or a later revision (0013 added campaign versions).
    assert (current_revision(app) or "") >= "0012"
    assert pending_changes(app) == []
    with app.app_context():
        session = get_session()
        assert load_identity(session).display_name == NEUTRAL_NAME
        service.update_identity(session, {"name": "Uyghur Diaspora Action"})
        session.commit()
        assert load_identity(session).name == "Uyghur Diaspora Action"
    app.extensions["advocacy.engine"].dispose()

    command.downgrade(alembic_config(app), "0011")
    tables = table_names(url)
    assert "organization" not in tables and "campaigns" in tables
    engine = create_db_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT slug FROM campaigns")).scalars().all() == ["c"]
    engine.dispose()
    # And up once more, to the head (on PostgreSQL the suite's later tests share it).
    upgrade(app)
    assert "organization" in table_names(url)
    app.extensions["advocacy.engine"].dispose()

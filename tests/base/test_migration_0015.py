"""Migration 0015 from the previous release: a table of campaigns' old slugs, and one home
campaign at most (if several were, the one published last keeps it); and back down."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from apps import base_config
from databases import table_names

from advocacy import create_app
from advocacy.db import create_db_engine
from advocacy.migrate import alembic_config, pending_changes, upgrade


def _homes(url: str) -> list[str]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT slug FROM campaigns WHERE is_default ORDER BY slug")
            )
            return list(rows.scalars())
    finally:
        engine.dispose()


def test_upgrade_keeps_one_home_and_adds_old_slugs_and_goes_back(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0014")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        for slug, published in [("older", "2026-12-01"), ("newer", "2026-12-05"), ("not", "")]:
            connection.execute(
                sa.text(
                    "INSERT INTO campaigns (slug, title, goal, is_default, content, created_at,"
                    " updated_at, status) VALUES (:slug, 'C', 10, :home, :content, :t, :t,"
                    " 'live')"
                ),
                {
                    "slug": slug,
                    "home": bool(published),
                    "content": json.dumps({}),
                    "t": f"{published or '2026-11-01'} 00:00:00+00:00",
                },
            )
    engine.dispose()
    assert _homes(url) == ["newer", "older"]

    upgrade(app)
    assert pending_changes(app) == []
    assert _homes(url) == ["newer"]
    assert "campaign_slugs" in table_names(url)
    engine = create_db_engine(url)
    with engine.begin() as connection:
        newer = connection.execute(sa.text("SELECT id FROM campaigns WHERE slug = 'newer'"))
        connection.execute(
            sa.text(
                "INSERT INTO campaign_slugs (slug, campaign_id, created_at)"
                " VALUES ('newer-before', :id, '2026-12-06 00:00:00+00:00')"
            ),
            {"id": newer.scalar_one()},
        )
    engine.dispose()
    app.extensions["advocacy.engine"].dispose()

    command.downgrade(alembic_config(app), "0014")
    assert "campaign_slugs" not in table_names(url)
    assert _homes(url) == ["newer"]
    # Up once more, to the head (on PostgreSQL the suite's later tests share it).
    upgrade(app)
    assert "campaign_slugs" in table_names(url)
    app.extensions["advocacy.engine"].dispose()

"""Migrations: upgrade from empty works, and the models and the migrations agree."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from apps import base_config

from advocacy import create_app
from advocacy.db import create_db_engine
from advocacy.migrate import pending_changes, upgrade


def test_upgrade_from_empty_creates_every_table_and_matches_the_models(
    tmp_path: Path,
    scratch_database_url: str,
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app)

    engine = create_db_engine(url)
    tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert {"campaigns", "pledges", "alembic_version"} <= tables
    # Dropped with every address it held (migration 0011).
    assert "geocode_cache" not in tables
    assert pending_changes(app) == []
    app.extensions["advocacy.engine"].dispose()


def test_upgrade_twice_is_harmless(tmp_path: Path, scratch_database_url: str) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app)
    upgrade(app)
    assert pending_changes(app) == []
    app.extensions["advocacy.engine"].dispose()

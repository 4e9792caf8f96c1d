"""Alembic, driven from the app: upgrade, and compare models with migrations."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from flask import Flask

from advocacy.db import Base
from advocacy.paths import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def alembic_config(app: Flask) -> Config:
    """Return an Alembic config pointing at our migrations and the app's database."""
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Percent signs in a URL (encoded passwords) would be read as interpolation.
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    # Migration 0017 hashes and seals existing pledges with the app's own keys.
    config.attributes["advocacy.sealing"] = {
        "hash_key": app.config["HASH_KEY"],
        "contact_public_key": app.config.get("CONTACT_PUBLIC_KEY"),
        "secret_key": app.config["SECRET_KEY"],
    }
    return config


def current_revision(app: Flask) -> str | None:
    """Return the database's migration revision, or None for a database with no schema yet."""
    from advocacy.db import get_engine

    with app.app_context(), get_engine().connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(app: Flask, revision: str = "head") -> None:
    """Bring the database schema up to the given revision."""
    command.upgrade(alembic_config(app), revision)


def pending_changes(app: Flask) -> list[Any]:
    """Return the differences between the models and the migrated database."""
    from advocacy.db import get_engine

    with app.app_context(), get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

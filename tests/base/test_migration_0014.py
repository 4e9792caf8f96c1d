"""Migration 0014 from the previous release: every organizer already stored becomes an
owner, so no install loses access; and it goes back down cleanly."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from apps import base_config

from advocacy import create_app
from advocacy.db import create_db_engine, get_session
from advocacy.migrate import alembic_config, pending_changes, upgrade
from advocacy.models import Organizer, OrganizerRole


def test_upgrade_makes_every_existing_organizer_an_owner_and_back(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0013")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        for email, active in (("first@example.org", True), ("gone@example.org", False)):
            connection.execute(
                sa.text(
                    "INSERT INTO organizers (email, password_hash, active, created_at)"
                    " VALUES (:email, 'x', :active, :t)"
                ),
                {"email": email, "active": active, "t": "2026-12-01 00:00:00+00:00"},
            )
    engine.dispose()

    upgrade(app)
    assert pending_changes(app) == []
    with app.app_context():
        session = get_session()
        rows = session.execute(
            sa.select(Organizer.email, Organizer.owner, Organizer.active).order_by(Organizer.id)
        )
        assert [tuple(row) for row in rows] == [
            ("first@example.org", True, True),
            ("gone@example.org", True, False),  # still disabled: owner, but cannot sign in
        ]
        assert session.scalar(sa.select(sa.func.count()).select_from(OrganizerRole)) == 0
        # An organizer added now is not an owner unless they are made one.
        session.add(Organizer(email="new@example.org", password_hash="x"))
        session.commit()
        added = session.scalar(sa.select(Organizer).where(Organizer.email == "new@example.org"))
        assert added is not None and added.owner is False
    app.extensions["advocacy.engine"].dispose()

    command.downgrade(alembic_config(app), "0013")
    engine = create_db_engine(url)
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        tables = set(inspector.get_table_names())
        columns = {c["name"] for c in inspector.get_columns("organizers")}
        audit = {c["name"] for c in inspector.get_columns("audit_events")}
        count = connection.execute(sa.text("SELECT count(*) FROM organizers")).scalar()
    engine.dispose()
    assert "organizer_roles" not in tables and "organizer_invitations" not in tables
    assert "owner" not in columns and "subject" not in audit
    assert count == 3

"""Migration 0013 from the previous release: every stored campaign becomes live, its content
version 1 of its history, by the command line; and it goes back down cleanly, drafts (which
the earlier release would serve to everyone) with it."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from apps import base_config

from advocacy import create_app
from advocacy.campaigns import versions
from advocacy.campaigns.content import load_campaign_file, shipped_campaign_files, to_stored
from advocacy.campaigns.service import get_stored_campaign
from advocacy.db import create_db_engine, get_session
from advocacy.migrate import alembic_config, pending_changes, upgrade
from advocacy.models import Campaign


def _columns(url: str, table: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return {column["name"] for column in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_upgrade_from_the_previous_release_and_back(
    tmp_path: Path, scratch_database_url: str
) -> None:
    url = scratch_database_url
    app = create_app(base_config(tmp_path, url))
    upgrade(app, "0012")
    content = to_stored(load_campaign_file(shipped_campaign_files()[0]))
    engine = create_db_engine(url)
    with engine.begin() as connection:
        # No ids given: PostgreSQL's sequence must hand out the next one to the draft below.
        for slug, stored in [("shipped", content), ("bare", {})]:
            connection.execute(
                sa.text(
                    "INSERT INTO campaigns (slug, title, goal, is_default, content,"
                    " created_at, updated_at) VALUES (:slug, 'C', 10, false, :content,"
                    " :t, :t)"
                ),
                {
                    "slug": slug,
                    "content": json.dumps(stored),
                    "t": "2026-12-01 00:00:00+00:00",
                },
            )
    engine.dispose()

    upgrade(app)
    assert pending_changes(app) == []
    with app.app_context():
        session = get_session()
        for slug, stored in (("shipped", content), ("bare", {})):
            campaign = get_stored_campaign(session, slug)
            assert campaign is not None
            assert (campaign.status, campaign.published_version) == ("live", 1)
            history = versions.versions_of(session, campaign.id)
            assert [(v.number, v.author) for v in history] == [(1, "the command line")]
            assert history[0].content == stored
            assert history[0].published_at is not None
        # A draft, as the editor starts one: the earlier release must not serve it.
        draft = versions.new_campaign_content("a-draft", "A draft", 119)
        versions.create_draft(session, draft, author=versions.BY_COMMAND_LINE, summary="New")
        session.commit()
        assert session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 3
    app.extensions["advocacy.engine"].dispose()

    command.downgrade(alembic_config(app), "0012")
    engine = create_db_engine(url)
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        slugs = connection.execute(sa.text("SELECT slug FROM campaigns ORDER BY id")).scalars()
        assert list(slugs) == ["shipped", "bare"]
    engine.dispose()
    assert "campaign_versions" not in tables
    assert not {"status", "published_version"} & _columns(url, "campaigns")
    # And up once more, to the head (on PostgreSQL the suite's later tests share it).
    upgrade(app)
    assert {"status", "published_version"} <= _columns(url, "campaigns")
    app.extensions["advocacy.engine"].dispose()

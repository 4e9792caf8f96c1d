"""The `advocacy` command: upgrade, and loading campaign files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from apps import base_config
from flask import Flask
from flask.testing import FlaskCliRunner
from pages import SLUG

from advocacy import create_app
from advocacy.campaigns.content import shipped_campaign_files
from advocacy.campaigns.service import get_campaign
from advocacy.db import get_session
from advocacy.migrate import alembic_config, upgrade


def revisions(app: Flask) -> list[str]:
    """Return the migrations' revisions, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(app))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def empty_database_app(tmp_path: Path) -> Flask:
    # Always a fresh SQLite file: emptying a shared PostgreSQL database would pull it from
    # under the rest of the run.
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    return app


def test_db_upgrade_is_safe_to_run_again(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    head = revisions(app)[-1]
    assert result.output == f"The database is up to date (revision {head}).\n"


def test_db_upgrade_creates_an_empty_database_then_says_it_is_up_to_date(
    tmp_path: Path,
) -> None:
    app = empty_database_app(tmp_path)
    head = revisions(app)[-1]
    runner = app.test_cli_runner()
    first = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        f"Created the database (schema revision {head}).",
        f"Added campaign {SLUG!r}.",
    ]
    second = runner.invoke(args=["db", "upgrade"])
    assert second.exit_code == 0, second.output
    assert second.output == f"The database is up to date (revision {head}).\n"
    app.extensions["advocacy.engine"].dispose()


def test_db_upgrade_from_an_older_revision_says_from_what_to_what(tmp_path: Path) -> None:
    app = empty_database_app(tmp_path)
    oldest, *_, head = revisions(app)
    upgrade(app, oldest)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"Upgraded the database from revision {oldest} to {head}."
    )
    app.extensions["advocacy.engine"].dispose()


def test_campaigns_load_updates_an_existing_campaign(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = shipped_campaign_files()[0].read_text(encoding="utf-8")
    edited = tmp_path / "edited.toml"
    edited.write_text(source.replace("goal = 10000", "goal = 25000"), encoding="utf-8")
    result = runner.invoke(args=["campaigns", "load", str(edited)])
    assert result.exit_code == 0, result.output
    assert f"Updated campaign '{SLUG}'" in result.output
    with app.app_context():
        campaign = get_campaign(get_session(), SLUG)
        assert campaign is not None and campaign.goal == 25000


def test_campaigns_load_adds_a_new_campaign_served_at_its_url(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = shipped_campaign_files()[0].read_text(encoding="utf-8")
    new = tmp_path / "second.toml"
    new.write_text(
        source.replace(f'slug = "{SLUG}"', 'slug = "second-campaign"').replace(
            "default = true", "default = false"
        ),
        encoding="utf-8",
    )
    result = runner.invoke(args=["campaigns", "load", str(new)])
    assert result.exit_code == 0, result.output
    assert "Added campaign 'second-campaign'" in result.output
    assert app.test_client().get("/c/second-campaign").status_code == 200
    # The shipped default still answers at "/".
    assert f'action="/c/{SLUG}#act"' in app.test_client().get("/").get_data(as_text=True)


def test_campaigns_load_refuses_a_broken_file_and_says_why(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('slug = "Bad Slug!"\ntitle = ""\n', encoding="utf-8")
    result = runner.invoke(args=["campaigns", "load", str(broken)])
    assert result.exit_code == 1
    assert "not valid" in result.output
    assert "slug" in result.output


def test_console_script_lists_our_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "advocacy.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command in ("db", "data", "campaigns", "run"):
        assert command in result.stdout

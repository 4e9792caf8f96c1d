"""The `advocacy` command: upgrade, and loading campaign files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from pages import SLUG

from advocacy.campaigns.content import shipped_campaign_files
from advocacy.campaigns.service import get_campaign
from advocacy.db import get_session


def test_db_upgrade_is_safe_to_run_again(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Database is up to date." in result.output


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

"""The `advocacy` command: Flask's CLI (run, shell, routes) plus our own commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup

from advocacy.campaigns.content import CampaignContentError, load_campaign_file
from advocacy.campaigns.service import install_shipped_campaigns, upsert_campaign
from advocacy.db import get_session
from advocacy.http import build_session
from advocacy.representatives import datafiles


def register_commands(app: Flask) -> None:
    """Add our command groups to the app's CLI."""
    app.cli.add_command(db_group)
    app.cli.add_command(data_group)
    app.cli.add_command(campaigns_group)


db_group = AppGroup("db", help="Database schema.")


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations, then add the shipped campaigns that are not stored yet."""
    from advocacy import migrate

    migrate.upgrade(current_app._get_current_object(), revision)  # type: ignore[attr-defined]
    added = install_shipped_campaigns(get_session())
    click.echo("Database is up to date.")
    for slug in added:
        click.echo(f"Added campaign {slug!r}.")


data_group = AppGroup("data", help="Members of Congress and ZIP-to-district data.")


def _paths() -> tuple[Path, Path]:
    return Path(current_app.config["LEGISLATORS_PATH"]), Path(current_app.config["ZCTA_PATH"])


@data_group.command("refresh")
def data_refresh() -> None:
    """Download fresh copies, check them, and replace the old ones only if they are good."""
    legislators, zcta = _paths()
    click.echo("Downloading members of Congress and ZIP-to-district data...")
    with build_session() as session:
        try:
            report = datafiles.refresh(session, legislators, zcta)
        except datafiles.DataFileError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)
    for outcome in report.outcomes:
        click.echo(
            f"Updated {outcome.path}: {outcome.summary.describe() if outcome.summary else ''}"
        )


@data_group.command("status")
def data_status() -> None:
    """Say where the data files are, how old they are and what they hold."""
    legislators, zcta = _paths()
    missing = False
    for item in datafiles.status(legislators, zcta):
        if not item.exists:
            missing = True
            click.echo(f"{item.name}: missing ({item.path}); run `advocacy data refresh`.")
        elif item.error:
            click.echo(f"{item.name}: {item.path} cannot be used: {item.error}")
        else:
            days = item.age.days if item.age else 0
            summary = item.summary.describe() if item.summary else ""
            click.echo(
                f"{item.name}: {item.path}, downloaded {item.modified:%Y-%m-%d %H:%M} UTC "
                f"({days} day{'s' if days != 1 else ''} old), {summary}"
            )
    if missing:
        sys.exit(1)


campaigns_group = AppGroup("campaigns", help="Campaign content.")


@campaigns_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def campaigns_load(path: Path) -> None:
    """Add or update a campaign from a TOML content file."""
    try:
        content = load_campaign_file(path)
    except CampaignContentError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    campaign, created = upsert_campaign(get_session(), content)
    verb = "Added" if created else "Updated"
    click.echo(f"{verb} campaign {campaign.slug!r}: {campaign.title} (goal {campaign.goal:,}).")


def _create_app() -> Flask:
    from advocacy import create_app

    return create_app()


cli = FlaskGroup(create_app=_create_app, help="Advocacy: campaign pages that turn into action.")


def main() -> None:
    """Run the `advocacy` console script."""
    cli.main()


if __name__ == "__main__":
    main()

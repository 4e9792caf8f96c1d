"""`advocacy pledges purge`: clear supporters' details past the retention period."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from advocacy.db import begin_write, get_session
from advocacy.pledges.retention import purge

pledges_group = AppGroup("pledges", help="Pledges and the personal data they hold.")


@pledges_group.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=0),
    default=None,
    help="Days to keep details for (default: ADVOCACY_RETENTION_DAYS).",
)
def purge_command(days: int | None) -> None:
    """Clear city, ZIP code and note of older pledges, keeping the counts."""
    if days is None:
        days = int(current_app.config["RETENTION_DAYS"])
    if days < 0:
        click.echo("Error: the retention period cannot be negative.", err=True)
        sys.exit(1)
    session = get_session()
    begin_write(session)
    report = purge(session, timedelta(days=days), datetime.now(UTC))
    session.commit()
    click.echo(
        f"Cleared the city, ZIP code and note of {report.pledges_cleared} pledge(s) older "
        f"than {days} day(s); deleted {report.visits_deleted} expired results page(s) and "
        f"{report.addresses_forgotten} expired geocoded address(es). Counts are unchanged."
    )

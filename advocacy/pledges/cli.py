"""`advocacy pledges purge` clears supporters' details past the retention period;
`advocacy pledges recount` rebuilds the counts from the pledges."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from advocacy.db import begin_write, get_session
from advocacy.models import Campaign
from advocacy.pledges import tallies
from advocacy.pledges.retention import purge
from advocacy.pledges.seal_command import seal_command

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
    """Clear city and ZIP code of older pledges, keeping the counts, and delete older
    quotes; delete expired unconfirmed pledges."""
    if days is None:
        days = int(current_app.config["RETENTION_DAYS"])
    if days < 0:
        click.echo("Error: the retention period cannot be negative.", err=True)
        sys.exit(1)
    session = get_session()
    begin_write(session)
    confirm_days = int(current_app.config["PLEDGE_CONFIRM_DAYS"])
    report = purge(session, timedelta(days=days), datetime.now(UTC), timedelta(days=confirm_days))
    session.commit()
    click.echo(
        f"Cleared the city and ZIP code of {report.pledges_cleared} pledge(s) older "
        f"than {days} day(s); deleted {report.unconfirmed_deleted} pledge(s) left "
        f"unconfirmed for {confirm_days} day(s), {report.quotes_deleted} quote(s) older "
        f"than {days} day(s) and {report.visits_deleted} expired results page(s). Counts "
        "are unchanged."
    )


@pledges_group.command("recount")
@click.argument("slug", required=False)
def recount_command(slug: str | None) -> None:
    """Recount campaigns' counters and dashboard tallies from their pledges.

    The app keeps both with every pledge; run this after pledges were loaded or changed
    in the database directly. Without SLUG, every campaign is recounted.
    """
    session = get_session()
    begin_write(session)
    query = sa.select(Campaign.id, Campaign.slug).order_by(Campaign.slug)
    if slug is not None:
        query = query.where(Campaign.slug == slug)
    campaigns = session.execute(query).all()
    if not campaigns:
        click.echo(f"Error: no campaign is called {slug!r}.", err=True)
        sys.exit(1)
    counted = [(name, tallies.recount(session, campaign_id)) for campaign_id, name in campaigns]
    session.commit()
    for name, total in counted:
        click.echo(f"{name}: {total} pledge(s) counted.")


pledges_group.add_command(seal_command)

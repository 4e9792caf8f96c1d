"""`advocacy mail send` delivers the outbox (cron, a systemd timer); `advocacy mail status`
says what waits, for monitoring."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from advocacy.db import get_session
from advocacy.mail import get_mailer
from advocacy.mail.outbox import status
from advocacy.models import utcnow

mail_group = AppGroup("mail", help="The outbox: supporters' confirmation emails.")

# `mail status` exits with this when mail has waited longer than --alert-after.
EXIT_DELAYED = 3


@mail_group.command("send")
def send_command() -> None:
    """Send every email that is due; exit 1 if some could not be sent (they wait)."""
    report = get_mailer().send_due()
    click.echo(
        f"Sent {report.sent} email(s); {report.retrying} to try again later; "
        f"{report.dropped} dropped (refused for good, expired, or their pledge is gone)."
    )
    if report.retrying:
        sys.exit(1)


@mail_group.command("status")
@click.option(
    "--alert-after",
    "minutes",
    type=click.IntRange(min=1),
    default=15,
    show_default=True,
    help="Exit 3 when the oldest waiting email is older than this many minutes.",
)
def status_command(minutes: int) -> None:
    """Say how many emails wait and since when; exit 3 when they have waited too long."""
    found = status(get_session())
    if found.oldest is None:
        click.echo("No email waits.")
        return
    age = (utcnow() - found.oldest).total_seconds() / 60
    line = f"{found.waiting} email(s) wait; the oldest for {age:.0f} minute(s)."
    if found.last_error:
        line += f" Last failure: {found.last_error}."
    click.echo(line)
    if age > minutes:
        sys.exit(EXIT_DELAYED)

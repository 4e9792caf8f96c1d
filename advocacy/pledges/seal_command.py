"""`advocacy pledges seal [--dry-run]`: hash and seal the pledges an earlier release kept
in clear, and drop the plaintext (migration 0017, with this app's keys).

The dry run says what would be done, and whether the settings allow it, changing nothing.
The conversion itself is migration 0017 (`advocacy db upgrade` runs it too): each step
skips what is done, so an interrupted run is started again and carries on; on PostgreSQL
it is one transaction, which a crash leaves undone. It cannot be undone: back up first.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from advocacy import migrate
from advocacy.db import get_engine

SEALED_REVISION = "0017"


@dataclass(frozen=True)
class SealPlan:
    to_hash: int  # pledges whose email is kept in clear
    to_seal: int  # of which agreed to be contacted: name and email sealed
    to_strip: int  # of which agreed to nothing: name and email dropped
    outbox: int  # unsent emails whose recipient is encrypted


def seal_plan(connection: sa.Connection) -> SealPlan | None:
    """Count what sealing would change; None when the pledges keep no plaintext any more."""
    columns = {column["name"] for column in sa.inspect(connection).get_columns("pledges")}
    if "email" not in columns:
        return None
    total, consenting = connection.execute(
        sa.text(
            "SELECT count(*), coalesce(sum(CASE WHEN consent THEN 1 ELSE 0 END), 0) FROM pledges"
        )
    ).one()
    outbox = connection.execute(sa.text("SELECT count(*) FROM mail_outbox")).scalar_one()
    return SealPlan(int(total), int(consenting), int(total) - int(consenting), int(outbox))


@click.command("seal")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Say what would be done, and change nothing.")
def seal_command(dry_run: bool) -> None:
    """Hash every pledge's email, seal consenting supporters' names and emails to the
    organization's public key, and drop the plaintext. Cannot be undone: back up first."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    revision = migrate.current_revision(app)
    if revision is None:
        click.echo("Error: the database has no schema yet: run `advocacy db upgrade`.", err=True)
        sys.exit(1)
    with get_engine().connect() as connection:
        plan = seal_plan(connection)
    if plan is None:
        click.echo("Nothing to do: the pledges keep no name or email in clear.")
        return
    click.echo(
        f"{plan.to_hash} pledge(s) to hash; {plan.to_seal} agreed to be contacted: their "
        f"name and email to seal; {plan.to_strip} to strip of name and email; "
        f"{plan.outbox} unsent email(s) to encrypt."
    )
    if plan.to_seal and not app.config["CONTACT_PUBLIC_KEY"]:
        click.echo(
            "Error: set ADVOCACY_CONTACT_PUBLIC_KEY first (`advocacy organizers keys new`), "
            "or the consenting supporters' contacts cannot be sealed.",
            err=True,
        )
        sys.exit(1)
    if dry_run:
        click.echo("Dry run: nothing was changed.")
        return
    get_engine().dispose()
    migrate.upgrade(app, SEALED_REVISION)
    click.echo(
        "Sealed. Destroy the backup you made before (it holds the names and emails in "
        "clear), or keep it offline as safely as the private key."
    )

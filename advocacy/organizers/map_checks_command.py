"""`advocacy data confirm-map STATE [--congress N] --by EMAIL`: confirm a flagged map row.

For an operator confirming on an organizer's word (the dashboard does the same for a
signed-in organizer). Registered in the `data` group by the CLI.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from advocacy import clock
from advocacy.db import get_session
from advocacy.organizers import map_checks
from advocacy.representatives.service import map_table


@click.command("confirm-map")
@click.argument("state")
@click.option(
    "--congress",
    type=click.IntRange(min=1),
    default=None,
    help="The Congress of the row to confirm [default: the state's flagged row for the "
    "sitting or next Congress].",
)
@click.option(
    "--by",
    "email",
    required=True,
    metavar="EMAIL",
    help="The organizer who checked the certified results (an active organizer account).",
)
@with_appcontext
def confirm_map_command(state: str, congress: int | None, email: str) -> None:
    """Confirm STATE's row of map_changes.toml marked verify = true (e.g. MO).

    Only a flagged row can be confirmed. If the certified results say otherwise, do not
    confirm: correct the row in map_changes.toml instead.
    """
    session = get_session()
    maps = map_table(current_app)
    now = clock.now()
    try:
        organizer = map_checks.active_organizer_by_email(session, email)
        change = map_checks.row_to_confirm(session, maps, state.strip().upper(), now, congress)
        confirmation = map_checks.confirm(
            session, change.congress, change.state, organizer, maps=maps, now=now
        )
        session.commit()
    except map_checks.AlreadyConfirmedError as error:
        click.echo(str(error))
        return
    except map_checks.MapVerificationError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except SQLAlchemyError as error:
        click.echo(
            f"Error: the database cannot be used ({type(error).__name__}); if it is new or "
            "behind, run `advocacy db upgrade` first.",
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"Confirmed: {map_checks.claim(change, maps)} "
        f"(by {map_checks.confirmed_by(confirmation)}). "
        "The dashboard and `advocacy data status` no longer flag it."
    )

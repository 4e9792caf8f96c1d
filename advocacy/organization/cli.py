"""`advocacy organization …`: set who runs the site from a shell (first setup), and show it.

Exit codes: 0 done, 1 a value or the logo was refused (nothing saved), 2 the command was
used wrongly (click's own).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from advocacy.db import get_session
from advocacy.models import Organizer
from advocacy.organization import identity, rules, service
from advocacy.organization.identity import Identity, load_identity
from advocacy.organization.logo import LOGO_MAX_BYTES, LogoError, process_logo

organization_group = AppGroup(
    "organization", help="Who runs the site: its name, contact and logo on every page."
)

EXIT_REFUSED = 1
# The options of `set`, by field: (option, help).
OPTIONS = {
    "name": ("--name", "The organization's name, as every page shows it."),
    "short_name": ("--short-name", "A short name for the header and page titles."),
    "email": ("--email", "The contact email supporters may write to."),
    "privacy_email": (
        "--privacy-email",
        "Where questions about supporters' data go (default: the contact email).",
    ),
    "address": ("--address", "The postal address; a newline in the value starts a line."),
    "website": ("--website", "The website, starting with https://."),
    "footer": ("--footer", "The organization's own words under every public page."),
    "privacy_text": ("--privacy-text", "The organization's own words on the privacy page."),
}


def _field_options(command: Any) -> Any:
    for name, (flag, text) in reversed(OPTIONS.items()):
        command = click.option(flag, name, default=None, help=f"{text} Give '' to clear it.")(
            command
        )
    return command


@organization_group.command("set")
@_field_options
@click.option(
    "--logo",
    "logo_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"A PNG, JPEG or WebP file of at most {LOGO_MAX_BYTES // 1024 // 1024} MB; it is "
    "checked, shrunk to 512 pixels and stored as a new PNG without metadata.",
)
@click.option("--remove-logo", is_flag=True, help="Remove the logo.")
@click.option(
    "--by",
    "by",
    metavar="EMAIL",
    default=None,
    help="The organizer making the change: recorded in the organizers' audit trail.",
)
def set_(logo_path: Path | None, remove_logo: bool, by: str | None, **fields: str | None) -> None:
    """Set the organization's identity; options left out keep their value."""
    values = {name: value for name, value in fields.items() if value is not None}
    if not values and logo_path is None and not remove_logo:
        raise click.UsageError("Nothing to set: give at least one option (see --help).")
    if logo_path is not None and remove_logo:
        raise click.UsageError("Give either --logo or --remove-logo, not both.")
    session = get_session()
    organizer = _organizer(session, by) if by is not None else None
    logo = None
    if logo_path is not None:
        logo = _logo(logo_path)
    try:
        changed = service.update_identity(session, values, organizer=organizer)
    except rules.IdentityError as error:
        session.rollback()
        for name, message in error.problems.items():
            click.echo(f"Error: {OPTIONS[name][0]}: {message}", err=True)
        click.echo("Nothing was saved.", err=True)
        sys.exit(EXIT_REFUSED)
    if logo is not None or remove_logo:
        if service.set_logo(session, logo, organizer=organizer):
            changed.append("logo")
    session.commit()
    identity.changed()
    if changed:
        click.echo(
            "Saved: " + ", ".join(OPTIONS[n][0][2:] if n in OPTIONS else n for n in changed) + "."
        )
    else:
        click.echo("Nothing had changed.")
    if organizer is None:
        click.echo(
            "Not in the organizers' audit trail (no --by EMAIL); the settings page says the "
            "change came from the command line."
        )
    _describe(load_identity(session))


def _organizer(session: Any, email: str) -> Organizer:
    address = email.strip().lower()
    organizer = session.scalar(sa.select(Organizer).where(Organizer.email == address))
    if organizer is None or not organizer.active:
        click.echo(f"Error: --by: no active organizer has the address {address}.", err=True)
        sys.exit(EXIT_REFUSED)
    assert isinstance(organizer, Organizer)
    return organizer


def _logo(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except OSError as error:
        click.echo(f"Error: --logo: cannot read {path}: {error.strerror or error}", err=True)
        sys.exit(EXIT_REFUSED)
    try:
        return process_logo(data)
    except LogoError as error:
        click.echo(f"Error: --logo: {error}", err=True)
        click.echo("Nothing was saved.", err=True)
        sys.exit(EXIT_REFUSED)


@organization_group.command("show")
def show() -> None:
    """Show the organization's identity as pages use it, and what is still missing."""
    _describe(load_identity(get_session()))


def _describe(shown: Identity) -> None:
    for name, (flag, _help) in OPTIONS.items():
        value = getattr(shown, name)
        text = value.replace("\n", " / ") if value else "(not set)"
        if name == "privacy_email" and not value and shown.email:
            text = f"(not set: the contact email, {shown.email}, serves)"
        click.echo(f"{flag[2:]}: {text}")
    if shown.logo_sha256:
        click.echo(f"logo: {shown.logo_width} x {shown.logo_height} PNG ({shown.logo_version})")
    else:
        click.echo("logo: (not set)")
    if shown.updated_at is not None:
        click.echo(f"last changed: {shown.updated_at:%Y-%m-%d %H:%M} UTC by {shown.updated_by}")
    if shown.missing:
        if not shown.name:
            click.echo(f"Until a name is set, pages call the site {identity.NEUTRAL_NAME!r}.")
        click.echo("Still missing:")
        for item in shown.missing:
            click.echo(f"  - {item}")

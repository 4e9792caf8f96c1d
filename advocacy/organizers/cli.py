"""`advocacy organizers …`: create, list, disable accounts, set up one-time codes, and switch
password sign-in on or off (passkeys only)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from advocacy.db import get_session
from advocacy.organizers import accounts, passkeys

organizers_group = AppGroup("organizers", help="Organizer accounts (the dashboard and exports).")


@organizers_group.command("create")
@click.argument("email")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of a prompt.",
)
def create(email: str, password_stdin: bool) -> None:
    """Add an owner who signs in with EMAIL and a password of 12+ characters.

    Owners may do everything; they invite the others from the browser (People).
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Password (12 characters or more)", hide_input=True, confirmation_prompt=True
        )
    session = get_session()
    try:
        organizer = accounts.create_organizer(session, email, password, owner=True)
    except accounts.AccountError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    session.commit()
    click.echo(f"Created organizer {organizer.email} (an owner).")


@organizers_group.command("list")
def list_() -> None:
    """List organizers: address, whether active, owner or not, one-time code or not."""
    rows = accounts.list_organizers(get_session())
    if not rows:
        click.echo("No organizers yet: add one with `advocacy organizers create EMAIL`.")
    for organizer in rows:
        state = "active" if organizer.active else "disabled"
        factor = "one-time code" if organizer.totp_secret else "password only"
        kind = "owner" if organizer.owner else "campaign roles"
        click.echo(
            f"{organizer.email}\t{state}\t{factor}"
            f"\tcreated {organizer.created_at:%Y-%m-%d}\t{kind}"
        )


@organizers_group.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable EMAIL's account; its open sessions end at their next request."""
    session = get_session()
    try:
        organizer = accounts.disable_organizer(session, email)
    except accounts.AccountError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    session.commit()
    click.echo(f"Disabled organizer {organizer.email}; their sessions have ended.")


@organizers_group.command("totp")
@click.argument("email")
def totp(email: str) -> None:
    """Give EMAIL a new one-time-code secret and print its otpauth:// URI for their app."""
    session = get_session()
    try:
        uri = accounts.enroll_totp(session, email)
    except accounts.AccountError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    session.commit()
    click.echo(
        "Give this to the organizer privately (their authenticator app reads it, or a QR "
        "code made from it); from now on they sign in with a code too:",
        err=True,
    )
    click.echo(uri)


@organizers_group.command("passwords")
@click.argument("state", type=click.Choice(["on", "off"]))
def passwords(state: str) -> None:
    """Switch password sign-in on (the way back in after losing passkeys) or off."""
    session = get_session()
    try:
        passkeys.set_passwords_allowed(session, state == "on", None)
    except passkeys.PasskeyError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    session.commit()
    if state == "on":
        click.echo("Password sign-in is on: organizers may sign in with a password again.")
    else:
        click.echo("Password sign-in is off: organizers sign in with passkeys only.")

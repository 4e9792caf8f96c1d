"""`advocacy organizers keys new` and `advocacy organizers contacts decrypt`: run on an
organizer's own machine, where the organization's private key is kept, never the server."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click

from advocacy.organizers.contacts import ExportError, decrypted_rows
from advocacy.organizers.keyfile import (
    PASSPHRASE_MIN,
    KeyFileError,
    new_key_pair,
    read_private_key,
    write_private_key,
)
from advocacy.pledges.sealing import public_key_text

keys_group = click.Group("keys", help="The organization's key pair for supporters' contacts.")
contacts_group = click.Group("contacts", help="Supporters' sealed contact details.")

PASSPHRASE_STDIN = click.option(
    "--passphrase-stdin",
    is_flag=True,
    help="Read the passphrase from the first line of standard input instead of a prompt.",
)


def _passphrase(from_stdin: bool, confirm: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        click.prompt(
            f"Passphrase ({PASSPHRASE_MIN} characters or more)" if confirm else "Passphrase",
            hide_input=True,
            confirmation_prompt=confirm,
        )
    )


@keys_group.command("new")
@click.argument("private_key_file", type=click.Path(dir_okay=False, path_type=Path))
@PASSPHRASE_STDIN
def new(private_key_file: Path, passphrase_stdin: bool) -> None:
    """Make a key pair: the private half into PRIVATE_KEY_FILE, locked by a passphrase;
    print the public half for the server's configuration."""
    if private_key_file.exists():
        click.echo(f"Error: {private_key_file} exists already: choose another file.", err=True)
        sys.exit(1)
    key = new_key_pair()
    try:
        write_private_key(private_key_file, key, _passphrase(passphrase_stdin, confirm=True))
    except KeyFileError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    public = public_key_text(key.public_key)
    click.echo(f"Wrote the private key to {private_key_file}, locked by your passphrase.")
    click.echo("Put this line in the server's configuration (the public half only):")
    click.echo(f"ADVOCACY_CONTACT_PUBLIC_KEY={public}")
    click.echo(
        "Keep the private key file and passphrase offline; losing them loses the contact "
        "details, never the counts."
    )


@contacts_group.command("decrypt")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The private key file made by `advocacy organizers keys new`.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the CSV with names and emails (default: standard output).",
)
@PASSPHRASE_STDIN
def decrypt(export: Path, key_file: Path, output: Path | None, passphrase_stdin: bool) -> None:
    """Open the sealed contacts of a pledges export (pledges.csv) with the private key."""
    try:
        key = read_private_key(key_file, _passphrase(passphrase_stdin, confirm=False))
        with export.open(newline="", encoding="utf-8") as lines:
            rows = list(decrypted_rows(lines, key))
    except (KeyFileError, ExportError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    if output is None:
        click.echo(text.getvalue(), nl=False)
        return
    output.write_text(text.getvalue(), encoding="utf-8")
    click.echo(f"Wrote {len(rows) - 1} contact(s) to {output}.", err=True)

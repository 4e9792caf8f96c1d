"""Opening the pledges export on an organizer's own machine: the sealed contacts, in clear.

The export (advocacy/organizers/exports.py) carries each consenting supporter's name and
email sealed to the organization's public key; this writes the same rows with the name
and email opened by the private key, which never reaches the server.
"""

from __future__ import annotations

import base64
import binascii
import csv
from collections.abc import Iterable, Iterator

from nacl.public import PrivateKey

from advocacy.organizers.exports import neutralise
from advocacy.pledges.sealing import open_contact

SEALED = "sealed_contact"


class ExportError(ValueError):
    """The file is not a pledges export, or a row does not open; the message says which."""


def decrypted_rows(lines: Iterable[str], key: PrivateKey) -> Iterator[list[str]]:
    """Yield the export's header with name and email in place of the sealed column, then
    each row opened, every cell neutralised for spreadsheets again."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or SEALED not in header:
        raise ExportError(f"This is not a pledges export: it has no {SEALED} column.")
    at = header.index(SEALED)
    yield [*header[:at], "name", "email", *header[at + 1 :]]
    for number, row in enumerate(reader, start=2):
        # The export quotes a cell that begins like a formula, base64's "+" included.
        cell = row[at].removeprefix("'")
        try:
            contact = open_contact(key, base64.b64decode(cell, validate=True))
        except (binascii.Error, ValueError) as error:
            raise ExportError(
                f"Line {number}: the contact does not open with this key ({error})."
            ) from error
        yield [
            *row[:at],
            neutralise(contact.name),
            neutralise(contact.email),
            *row[at + 1 :],
        ]

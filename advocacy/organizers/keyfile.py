"""The organization's contact key pair: the private half in a file locked by a passphrase.

The server is configured with the public half only (ADVOCACY_CONTACT_PUBLIC_KEY) and
seals consenting supporters' names and emails to it (advocacy/pledges/sealing.py). The
private half is made and kept on an organizer's own machine, offline: the file holds it
encrypted with a key stretched from the passphrase by Argon2id (libsodium's pwhash,
through PyNaCl), so a copied file alone opens nothing.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from nacl import pwhash
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey
from nacl.secret import SecretBox
from nacl.utils import random

KIND = "advocacy contact private key"
# libsodium's "moderate" cost: about a second and 256 MiB, once per opening of the file.
OPSLIMIT = pwhash.argon2id.OPSLIMIT_MODERATE
MEMLIMIT = pwhash.argon2id.MEMLIMIT_MODERATE
PASSPHRASE_MIN = 12


class KeyFileError(ValueError):
    """The key file cannot be written or opened; the message says why."""


@dataclass(frozen=True)
class Cost:
    opslimit: int = OPSLIMIT
    memlimit: int = MEMLIMIT


def new_key_pair() -> PrivateKey:
    return PrivateKey.generate()


def write_private_key(path: Path, key: PrivateKey, passphrase: str, cost: Cost = Cost()) -> None:
    """Write key to a new file at path, encrypted with passphrase; never overwrite a file."""
    if len(passphrase) < PASSPHRASE_MIN:
        raise KeyFileError(f"The passphrase must be {PASSPHRASE_MIN} characters or more.")
    salt = random(pwhash.argon2id.SALTBYTES)
    box = SecretBox(_stretch(passphrase, salt, cost))
    document = {
        "kind": KIND,
        "version": 1,
        "public_key": base64.b64encode(bytes(key.public_key)).decode(),
        "kdf": "argon2id",
        "opslimit": cost.opslimit,
        "memlimit": cost.memlimit,
        "salt": base64.b64encode(salt).decode(),
        "sealed_private_key": base64.b64encode(box.encrypt(bytes(key))).decode(),
    }
    try:
        # Created exclusively and readable by its owner alone.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise KeyFileError(f"{path} exists already: choose another file name.") from error
    except OSError as error:
        raise KeyFileError(f"{path} cannot be written: {error.strerror}.") from error
    with os.fdopen(descriptor, "w") as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")


def read_private_key(path: Path, passphrase: str) -> PrivateKey:
    """Open the key file at path with passphrase."""
    try:
        document = json.loads(path.read_text())
        if document.get("kind") != KIND:
            raise KeyFileError(f"{path} is not a contact key file made by `keys new`.")
        salt = base64.b64decode(document["salt"])
        sealed = base64.b64decode(document["sealed_private_key"])
        cost = Cost(int(document["opslimit"]), int(document["memlimit"]))
    except OSError as error:
        raise KeyFileError(f"{path} cannot be read: {error.strerror}.") from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise KeyFileError(f"{path} is not a contact key file made by `keys new`.") from error
    try:
        return PrivateKey(SecretBox(_stretch(passphrase, salt, cost)).decrypt(sealed))
    except CryptoError as error:
        raise KeyFileError("The passphrase does not open this key file.") from error


def _stretch(passphrase: str, salt: bytes, cost: Cost) -> bytes:
    return pwhash.argon2id.kdf(
        SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=cost.opslimit,
        memlimit=cost.memlimit,
    )

"""The codes mailed to a supporter: to confirm their pledge, or to withdraw it.

A code is 20 characters of Crockford's base32 (100 random bits), shown in groups of five
(`K7QX2-M9PDA-3VW8E-TB6HJ`) so that it can be read off an email and typed on a phone: any
case, with or without the dashes and spaces, and the letters O, I and L read as the digits
they look like. The database keeps only each code's SHA-256.

Withdraw links shown before codes were mailed (32 URL-safe characters, in the link's path)
are still accepted as they are.
"""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 5
# Crockford's reading of the letters people mistake for digits.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-]+")
_CODE = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")
# What secrets.token_urlsafe(24) wrote for the withdraw links of the first releases.
_LEGACY = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_code() -> str:
    """Return a fresh random code, without dashes."""
    # 100 random bits, five to a character (a tenth of secrets.choice's time, per pledge).
    bits = int.from_bytes(secrets.token_bytes(13), "big") >> 4
    return "".join(ALPHABET[(bits >> shift) & 31] for shift in range(95, -1, -5))


def shown(code: str) -> str:
    """Return a code as an email shows it: groups of five joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalized(typed: str) -> str | None:
    """Return the code a person typed or a link carried, or None if it cannot be one."""
    text = typed.strip()
    if _LEGACY.match(text) and not _CODE.match(_SEPARATORS.sub("", text).upper()):
        return text
    code = _SEPARATORS.sub("", text).upper().translate(_LOOKALIKES)
    return code if _CODE.match(code) else None


def is_legacy(code: str) -> bool:
    """Tell whether a normalized code is a withdraw link of the first releases.

    Those were shown on the thank-you page to whoever typed the form, new pledge or
    repeat, not mailed to the address: holding one proves nothing about its mailbox.
    """
    return not _CODE.match(code)


def key(code: str) -> str:
    """Return what the database keeps of a code."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()

"""Whether stored bytes hold a piece of text readable in any common encoding: as typed,
in another case, in UTF-16 or UTF-32, JSON-escaped, URL-encoded, as hex or base64."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from urllib.parse import quote


def encodings_of(text: str) -> set[bytes]:
    """Return the ways text could be written into a row or a file, as bytes."""
    forms: set[bytes] = set()
    for variant in {text, text.lower(), text.upper()}:
        raw = variant.encode()
        forms |= {
            raw,
            variant.encode("utf-16-le"),
            variant.encode("utf-16-be"),
            variant.encode("utf-32-le"),
            json.dumps(variant).strip('"').encode(),
            quote(variant).encode(),
            quote(variant).lower().encode(),
            binascii.hexlify(raw),
            binascii.hexlify(raw).upper(),
        }
        # A base64 run of the text starts at one of three offsets into its bytes.
        for offset in range(3):
            chunk = raw[offset:]
            chunk = chunk[: len(chunk) - len(chunk) % 3]
            if len(chunk) >= 6:
                forms.add(base64.b64encode(chunk).rstrip(b"="))
                forms.add(base64.urlsafe_b64encode(chunk).rstrip(b"="))
    return {form for form in forms if len(form) >= 4}


def readable_in(blob: bytes, texts: Iterable[str]) -> list[str]:
    """Return the texts that blob holds in any of their encodings."""
    return [text for text in texts if any(form in blob for form in encodings_of(text))]

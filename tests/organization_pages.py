"""Helpers for the organization tests: an identity set as the settings page sets it, the
settings and logo forms posted as a browser posts them, and images made with Pillow here
(real PNG and JPEG files, one with EXIF, and the hostile ones)."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from pages import hidden_value
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from advocacy.db import get_session
from advocacy.organization import identity, service

SETTINGS = "/organizers/organization"
LOGO = "/organizers/organization/logo"

# A whole identity, with a name in Uyghur (Arabic script) beside the English one.
IDENTITY: dict[str, str] = {
    "name": "Uyghur Diaspora Action · ئۇيغۇر",
    "short_name": "UDA",
    "email": "contact@uda.example.org",
    "privacy_email": "privacy@uda.example.org",
    "address": "PO Box 1234\nWashington, DC 20013",
    "website": "https://uda.example.org",
    "footer": "We are Uyghur families in America.\n\nWe never share who signs.",
    "privacy_text": "Our own promise: we delete the list when the bill passes.",
}


def set_identity(app: Flask, **values: str) -> None:
    """Save identity fields through the service, as a save from the browser does."""
    with app.app_context():
        session = get_session()
        service.update_identity(session, values or IDENTITY)
        session.commit()
        identity.changed()


def settings_fields(client: FlaskClient, **values: Any) -> dict[str, Any]:
    """Load the settings page; return its form's fields (the page's token, IDENTITY's
    values), with the given ones replaced."""
    page = client.get(SETTINGS)
    assert page.status_code == 200, page.status_code
    data: dict[str, Any] = {"csrf_token": hidden_value(page.get_data(as_text=True), "csrf_token")}
    data.update(IDENTITY)
    data.update(values)
    return data


def post_settings(client: FlaskClient, **values: Any) -> TestResponse:
    return client.post(SETTINGS, data=settings_fields(client, **values))


def upload_logo(
    client: FlaskClient, data: bytes, filename: str = "logo.png", content_type: str = "image/png"
) -> TestResponse:
    """Post a file through the logo page's form, with its token."""
    page = client.get(LOGO)
    token = hidden_value(page.get_data(as_text=True), "csrf_token")
    # Encoded in memory: the test client spools a large body to a temporary file it
    # never closes (a ResourceWarning, an error under this suite's settings).
    boundary, body = encode_multipart(
        {
            "csrf_token": token,
            "action": "upload",
            "logo": FileStorage(io.BytesIO(data), filename, content_type=content_type),
        }
    )
    return client.post(LOGO, data=body, content_type=f"multipart/form-data; boundary={boundary}")


# --- images -------------------------------------------------------------------------------


def png(width: int = 64, height: int = 32, mode: str = "RGB", **save: Any) -> bytes:
    """A real PNG made by Pillow: a two-colour picture (left half blue)."""
    image = Image.new(mode, (width, height), "white")
    image.paste("#0b5394", (0, 0, width // 2, height))
    out = io.BytesIO()
    image.save(out, format="PNG", **save)
    return out.getvalue()


def jpeg_with_exif(width: int = 800, height: int = 600) -> bytes:
    """A real JPEG with EXIF a phone would write: a camera, a place, and an orientation."""
    image = Image.new("RGB", (width, height), "#ffbf47")
    image.paste("#073763", (0, 0, width, height // 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0131] = "SecretEditor 1.0"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (39.0, 28.0, 0.0)  # a latitude: where the photo was taken
    gps[3], gps[4] = "E", (75.0, 59.0, 0.0)
    exif[0x0112] = 6  # Orientation: shown turned 90 degrees clockwise
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny, otherwise valid PNG whose header declares width x height pixels: a
    decompression bomb's shape, a few hundred bytes that would decode into gigabytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    # A few rows of zeros, compressed: the rest would follow in a real bomb.
    data = zlib.compress(b"\x00" * (width + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )

"""The logo: an upload decoded for real and redrawn as a PNG of our own, or refused with a
message a person can act on; served with its type pinned and cached by its content."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from organization_pages import jpeg_with_exif, png, png_declaring, set_identity
from pages import SLUG, parse
from PIL import Image

from advocacy.db import get_session
from advocacy.organization import identity, service
from advocacy.organization.logo import (
    LOGO_MAX_BYTES,
    LOGO_SIDE,
    LogoError,
    process_logo,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _reopened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# --- what is accepted, and what is made of it ---------------------------------------------


def test_a_small_png_becomes_a_png_of_the_same_picture() -> None:
    logo = process_logo(png(64, 32))
    assert logo.png.startswith(PNG_SIGNATURE)
    assert (logo.width, logo.height) == (64, 32)
    assert logo.sha256 == hashlib.sha256(logo.png).hexdigest()
    picture = _reopened(logo.png).convert("RGB")
    assert picture.getpixel((0, 0)) == (0x0B, 0x53, 0x94)  # the blue half
    assert picture.getpixel((63, 0)) == (255, 255, 255)


def test_a_jpeg_photo_is_shrunk_turned_upright_and_loses_its_exif() -> None:
    original = jpeg_with_exif(800, 600)
    assert b"PhoneMaker" in original and b"Exif" in original  # the test's own premise
    logo = process_logo(original)
    assert logo.png.startswith(PNG_SIGNATURE)
    # Orientation 6 (turned for viewing), then shrunk to LOGO_SIDE: 600 x 800 -> 384 x 512.
    assert (logo.width, logo.height) == (384, 512)
    assert max(logo.width, logo.height) == LOGO_SIDE
    picture = _reopened(logo.png)
    assert picture.format == "PNG"
    assert not picture.getexif()
    assert not {"exif", "icc_profile", "dpi", "XML:com.adobe.xmp"} & set(picture.info)
    # Nothing of the camera, the editor or the place survives, in any chunk.
    for secret in (b"PhoneMaker", b"Phone 12", b"SecretEditor", b"Exif", b"eXIf", b"tEXt"):
        assert secret not in logo.png, secret


def test_a_png_carrying_exif_and_text_chunks_is_written_without_them() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address: 1 Secret Lane")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    original = png(40, 40, pnginfo=info, exif=exif.tobytes())
    assert b"Secret Lane" in original and b"PhoneMaker" in original
    logo = process_logo(original)
    assert b"Secret Lane" not in logo.png and b"PhoneMaker" not in logo.png
    assert b"eXIf" not in logo.png and b"tEXt" not in logo.png


def test_transparency_is_kept_and_webp_is_read() -> None:
    image = Image.new("RGBA", (50, 20), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 10, 10))
    out = io.BytesIO()
    image.save(out, format="WEBP", lossless=True)
    logo = process_logo(out.getvalue())
    picture = _reopened(logo.png)
    assert picture.mode == "RGBA"
    assert picture.getpixel((40, 15))[3] == 0  # still see-through
    assert picture.getpixel((2, 2)) == (200, 0, 0, 255)


def test_the_same_upload_twice_makes_the_same_png() -> None:
    data = png(30, 30)
    assert process_logo(data).sha256 == process_logo(data).sha256


# --- what is refused, and what the person is told -----------------------------------------


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def _zip_of(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("logo.png", data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "Choose an image file"),
        (b"<!doctype html><script>alert(1)</script>", "a web page or other text"),
        (b"\xef\xbb\xbf  <html><body onload=alert(1)>", "a web page or other text"),
        (SVG, "SVG logos are not accepted"),
        (b"<svg onload=alert(1)>", "SVG logos are not accepted"),
        (_zip_of(b"\x00" * 5_000_000), "compressed archive"),
        (b"GIF89a" + b"\x00" * 100, "not a PNG, JPEG or WebP image"),
        (png(20, 20)[:60], "damaged or incomplete"),
        (png_declaring(6_000, 6_000), "6,000 x 6,000 pixels"),
        (png_declaring(100_000, 100_000), "far more pixels than any logo needs"),
        (png(10, 10) + b"\x00" * LOGO_MAX_BYTES, "may be at most 2 MB"),
    ],
    ids=[
        "empty",
        "html-named-png",
        "html-with-bom",
        "svg-with-script",
        "bare-svg",
        "zip-bomb",
        "gif",
        "truncated-png",
        "too-many-pixels",
        "decompression-bomb",
        "over-2-mb",
    ],
)
def test_what_is_not_a_logo_is_refused_with_a_reason(data: bytes, says: str) -> None:
    with pytest.raises(LogoError) as refused:
        process_logo(data)
    assert says in str(refused.value)


# --- served ------------------------------------------------------------------------------


def _store(app: Flask, data: bytes) -> str:
    logo = process_logo(data)
    with app.app_context():
        session = get_session()
        service.set_logo(session, logo)
        session.commit()
        identity.changed()
    return logo.sha256


def test_without_a_logo_there_is_none_to_serve(client: FlaskClient) -> None:
    assert client.get("/organization/logo.png").status_code == 404
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert "/organization/logo.png" not in html


def test_the_logo_is_served_as_a_png_that_no_browser_sniffs(app: Flask) -> None:
    sha256 = _store(app, jpeg_with_exif(300, 200))
    set_identity(app, name="Uyghur Diaspora Action")
    client = app.test_client()
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    image = parse(html).by_class("site-logo")[0]
    address = image.attrs["src"]
    assert address == f"/organization/logo.png?v={sha256[:16]}"
    # Decorative: the name beside it says who it is.
    assert image.attrs["alt"] == ""
    response = client.get(address)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"] == f'"{sha256}"'
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert hashlib.sha256(response.get_data()).hexdigest() == sha256
    # The bare address (a partner's bookmark) is revalidated, and answers 304 when unchanged.
    bare = client.get("/organization/logo.png")
    assert bare.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/organization/logo.png", headers={"If-None-Match": f'"{sha256}"'})
    assert again.status_code == 304


def test_a_new_logo_gets_a_new_address_and_removing_it_takes_it_away(app: Flask) -> None:
    client = app.test_client()
    first = _store(app, png(40, 40))
    assert client.get(f"/organization/logo.png?v={first[:16]}").status_code == 200
    second = _store(app, png(80, 40))
    assert second != first
    html = client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert f"logo.png?v={second[:16]}" in html and first[:16] not in html
    served = client.get(f"/organization/logo.png?v={second[:16]}")
    assert hashlib.sha256(served.get_data()).hexdigest() == second
    with app.app_context():
        session = get_session()
        assert service.set_logo(session, None) is True
        session.commit()
        identity.changed()
    assert client.get("/organization/logo.png").status_code == 404
    # (The campaign page itself is kept up to a second per process: STATS_CACHE_SECONDS.)
    assert "logo.png" not in client.get("/privacy").get_data(as_text=True)


def test_a_logo_another_process_just_saved_is_served_at_its_address(
    app: Flask, db_session: Any
) -> None:
    client = app.test_client()
    assert client.get("/organization/logo.png").status_code == 404  # read: no logo
    # Saved by another process: this one's identity is a few seconds behind.
    logo = process_logo(png(24, 24))
    service.set_logo(db_session, logo)
    db_session.commit()
    served = client.get(f"/organization/logo.png?v={logo.sha256[:16]}")
    assert served.status_code == 200
    assert hashlib.sha256(served.get_data()).hexdigest() == logo.sha256
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # At an address naming another PNG (an old one), it may change: revalidated.
    other = client.get("/organization/logo.png?v=0000000000000000")
    assert other.headers["Cache-Control"] == "public, max-age=300"

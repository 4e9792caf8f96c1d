"""The organization's logo: an upload decoded for real, bounded, and redrawn as a new PNG.

Nothing of the uploaded file is served: only pixels this process decoded and encoded
again. So a file that merely claims to be an image (HTML named logo.png, an SVG, which
can carry script, a zip) is refused for what it is, whatever its name or content type
said; a file that would decode into a huge picture (a "decompression bomb": a few
kilobytes declaring 100,000 x 100,000 pixels) is refused from its header, before any
pixel is read; and what a camera or editor hid in the file (EXIF with a place and a
device, comments, colour profiles, other frames) is not carried over.

Pillow is the one library here that decodes images: the standard library has no PNG,
JPEG or WebP decoder, and writing one for untrusted input is not a job to take on.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# The largest upload read at all (the settings page refuses a larger body beside the field).
LOGO_MAX_BYTES = 2 * 1024 * 1024
# Pixels a logo may declare: a phone's 12-megapixel photo fits; decoding one takes at most
# about 80 MB for a moment. Checked from the header, before decoding.
LOGO_MAX_PIXELS = 20_000_000
# The longest side kept: the header shows it at 40 px high, a printed page at a few cm.
LOGO_SIDE = 512
# What is decoded; anything else is refused. GIF, BMP, TIFF, ICO and the rest are not
# needed for a logo, and each format decoded is more code an upload can reach.
FORMATS = ("PNG", "JPEG", "WEBP")


class LogoError(ValueError):
    """The upload is not a logo this service will show; the message says why, for a person."""


@dataclass(frozen=True)
class Logo:
    """A logo as it is kept and served: a PNG of our own making."""

    png: bytes
    width: int
    height: int
    sha256: str


def process_logo(data: bytes) -> Logo:
    """Decode an upload (PNG, JPEG or WebP), shrink it to LOGO_SIDE, and encode a new PNG.

    Raises LogoError, with a message a person can act on, for anything else.
    """
    if not data:
        raise LogoError("Choose an image file for the logo.")
    if len(data) > LOGO_MAX_BYTES:
        raise LogoError(_too_big(len(data)))
    _refuse_known_impostors(data)
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise LogoError(_too_many_pixels(width, height))
            if image.format == "JPEG":
                # Decode a large photo at a fraction of its size (JPEG can): less memory.
                image.draft("RGB", (LOGO_SIDE, LOGO_SIDE))
            image.seek(0)  # the first frame of an animation, and only that
            image.load()
            picture = _upright(image)
    except LogoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, for dimensions far beyond ours found before our check.
        raise LogoError(
            "That image declares far more pixels than any logo needs, which is how a "
            "file that would fill the server's memory looks. Choose another file."
        ) from None
    except UnidentifiedImageError:
        raise LogoError(_not_an_image(data)) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        # A broken or truncated file (Pillow raises these for what its decoders refuse).
        raise LogoError(
            "That image file is damaged or incomplete, so it could not be read. Save it "
            "again as PNG or JPEG, then choose it again."
        ) from None
    return _encode(picture)


def _upright(image: Image.Image) -> Image.Image:
    """Return the picture turned as its EXIF says a viewer shows it, in RGB or RGBA."""
    turned = ImageOps.exif_transpose(image) or image
    mode = "RGBA" if _has_transparency(turned) else "RGB"
    return turned.convert(mode)


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _encode(picture: Image.Image) -> Logo:
    """Shrink the picture to LOGO_SIDE and write it as a PNG of its pixels alone."""
    picture.thumbnail((LOGO_SIDE, LOGO_SIDE), Image.Resampling.LANCZOS)
    # A new image from the bare pixels: no info (EXIF, ICC profile, text chunks, DPI)
    # comes along for the encoder to write.
    bare = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    out = io.BytesIO()
    bare.save(out, format="PNG", optimize=True)
    png = out.getvalue()
    return Logo(png, bare.width, bare.height, hashlib.sha256(png).hexdigest())


def _refuse_known_impostors(data: bytes) -> None:
    """Say plainly what an upload is when it is a kind of file people do pick by mistake."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in data[:4096].lower() or head.startswith(b"<?xml"):
        raise LogoError(
            "SVG logos are not accepted: an SVG file can carry script that would run in "
            "supporters' browsers. Export the logo as PNG (most design tools can), then "
            "choose that file."
        )


def _not_an_image(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        return (
            "That file is a web page or other text, not an image, whatever its name says. "
            "Choose the logo's PNG, JPEG or WebP file."
        )
    if data.startswith((b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return (
            "That file is a compressed archive (zip or similar), not an image. Take the "
            "logo out of it, then choose the PNG, JPEG or WebP file."
        )
    return (
        "That file is not a PNG, JPEG or WebP image, whatever its name says. Save the logo "
        "in one of those formats, then choose it again."
    )


def _too_big(size: int) -> str:
    return (
        f"That file is {size / 1024 / 1024:.1f} MB; a logo may be at most "
        f"{LOGO_MAX_BYTES // 1024 // 1024} MB. Save a smaller copy (a logo needs no more "
        f"than {LOGO_SIDE} pixels across), then choose it again."
    )


def too_big_message() -> str:
    """The message for an upload too large to be read at all."""
    return (
        f"That file is larger than {LOGO_MAX_BYTES // 1024 // 1024} MB, the most a logo "
        f"may be. Save a smaller copy (a logo needs no more than {LOGO_SIDE} pixels "
        "across), then choose it again."
    )


def _too_many_pixels(width: int, height: int) -> str:
    return (
        f"That image is {width:,} x {height:,} pixels; a logo may have at most "
        f"{LOGO_MAX_PIXELS // 1_000_000} million. Save a smaller copy (a logo needs no "
        f"more than {LOGO_SIDE} pixels across), then choose it again."
    )

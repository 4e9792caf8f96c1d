"""The event's QR code, made here with segno: no outside service ever sees the link.

The SVG draws the code as one path in the page's own colours and scales to any size, so
the same drawing serves the printed poster (inline) and the file an organizer downloads.
"""

from __future__ import annotations

import io

import segno

# Error correction "M" (15% of the code may be lost): a poster gets folded and taped.
# segno raises it further when that costs no extra size.
QR_ERROR = "m"
# The quiet zone around the code, in modules: the QR standard's four.
QR_BORDER = 4


def qr_svg(url: str, title: str) -> str:
    """Return an SVG element (no XML declaration) of the QR code for url, with a title."""
    code = segno.make(url, error=QR_ERROR)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        border=QR_BORDER,
        omitsize=True,
        title=title,
        svgclass="qr",
        lineclass="qr__modules",
    )
    svg = out.getvalue().decode()
    # Screen readers announce the drawing by its title.
    return svg.replace("<svg ", '<svg role="img" ', 1)


def qr_file(url: str, title: str) -> bytes:
    """Return the QR code as a standalone SVG file."""
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + qr_svg(url, title) + "\n").encode()

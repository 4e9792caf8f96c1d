"""Links that leave the site (in emails), built from ADVOCACY_PUBLIC_URL.

Never from a request's Host header, which whoever sends the request chooses: a link to a
supporter's mailbox must point at this service whatever a request claimed, and it is
built the same way in a request, in the background sender and in a command.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from advocacy.i18n.languages import Language


def public_url_for(
    app: Flask,
    endpoint: str,
    fragment: str = "",
    *,
    language: Language | None = None,
    **values: Any,
) -> str:
    """Return the public address of an endpoint, with an optional #fragment; in
    language's pages (its prefix, /ug/...) when given, else at the bare (English) path."""
    parts = urlsplit(app.config["PUBLIC_URL"])
    prefix = language.prefix if language is not None else ""
    adapter = app.url_map.bind(
        parts.netloc,
        script_name=(parts.path.rstrip("/") + prefix) or "/",
        url_scheme=parts.scheme,
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{fragment}" if fragment else url

"""Static files under versioned addresses, cached for a year.

Every link to a static file carries a hash of its content (`/static/css/site.css?v=…`),
so a browser or proxy may keep it for a year: a changed file gets a new address.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

LONG_CACHE = "public, max-age=31536000, immutable"


@cache
def _version(folder: str, filename: str) -> str:
    """Return a short hash of a static file's content; "" when there is no such file."""
    path = Path(folder, filename)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return ""


def init_app(app: Flask) -> None:
    """Version static links and cache versioned static answers for a year."""
    folder = app.static_folder or ""

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = _version(folder, values["filename"])
            if version:
                values["v"] = version

    # Flask's static view, replaced by one that sets the header, rather than an
    # after_request hook that every other route would pay for too.
    def static(filename: str) -> Response:
        response = current_app.send_static_file(filename)
        if response.status_code == 200:
            version = request.args.get("v")
            if version and version == _version(folder, filename):
                response.headers["Cache-Control"] = LONG_CACHE
        return response

    app.view_functions["static"] = static

"""Answers every visitor shares: an ETag, and a 304 for a client that has the same one."""

from __future__ import annotations

import hashlib

from flask import request
from werkzeug.wrappers import Response


def etag_of(body: bytes) -> str:
    """Return a strong ETag for a body."""
    return hashlib.sha1(body, usedforsecurity=False).hexdigest()


def conditional(response: Response, etag: str | None = None) -> Response:
    """Tag the response and answer 304 when the client already has this version.

    Werkzeug's make_conditional also handles ranges and dates, and costs as much as a
    cheap route itself; most requests carry no If-None-Match, and they skip it.
    """
    if etag is None:
        response.add_etag()
    else:
        response.set_etag(etag)
    if "HTTP_IF_NONE_MATCH" not in request.environ:
        return response
    return response.make_conditional(request)

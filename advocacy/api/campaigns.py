"""GET /api/v1/campaigns/<slug>: public counts, cacheable, no personal data."""

from __future__ import annotations

import json
import threading
from typing import Any

from flask import current_app
from werkzeug.wrappers import Response

from advocacy.api import bp
from advocacy.api.errors import ApiError
from advocacy.campaigns.service import StatsCache
from advocacy.db import get_session
from advocacy.web.caching import conditional, etag_of

# The body and ETag of each campaign's stats, made once per stats object: the stats
# cache hands out the same object for a second, and a spike asks for it thousands of
# times in that second.
_bodies: dict[str, tuple[dict[str, Any], bytes, str]] = {}
_bodies_lock = threading.Lock()


def _body(slug: str, stats: dict[str, Any]) -> tuple[bytes, str]:
    with _bodies_lock:
        cached = _bodies.get(slug)
    if cached is not None and cached[0] is stats:
        return cached[1], cached[2]
    body = json.dumps(stats, separators=(",", ":")).encode() + b"\n"
    etag = etag_of(body)
    with _bodies_lock:
        if len(_bodies) > 1000:
            _bodies.clear()  # unknown slugs never get here: only stored campaigns do
        _bodies[slug] = (stats, body, etag)
    return body, etag


@bp.get("/campaigns/<slug>")
def campaign(slug: str) -> Response:
    cache: StatsCache = current_app.extensions["advocacy.stats_cache"]
    stats = cache.get(get_session, slug)
    if stats is None:
        raise ApiError("No campaign has that name.", 404)
    body, etag = _body(slug, stats)
    response = Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=5, stale-while-revalidate=30"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response, etag)

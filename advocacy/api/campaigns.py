"""GET /api/v1/campaigns/<slug>: public counts, cacheable, no personal data."""

from __future__ import annotations

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from advocacy.api import bp
from advocacy.api.errors import ApiError
from advocacy.campaigns.service import StatsCache
from advocacy.db import get_session


@bp.get("/campaigns/<slug>")
def campaign(slug: str) -> Response:
    cache: StatsCache = current_app.extensions["advocacy.stats_cache"]
    stats = cache.get(get_session(), slug)
    if stats is None:
        raise ApiError("No campaign has that name.", 404)
    response = jsonify(stats)
    response.headers["Cache-Control"] = "public, max-age=5, stale-while-revalidate=30"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)

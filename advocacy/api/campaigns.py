"""GET /api/v1/campaigns/<slug>: public counts, cacheable, no personal data."""

from __future__ import annotations

from werkzeug.wrappers import Response

from advocacy.api import bp
from advocacy.api.errors import ApiError
from advocacy.campaigns.service import cached_stats
from advocacy.db import get_session
from advocacy.web.caching import conditional


@bp.get("/campaigns/<slug>")
def campaign(slug: str) -> Response:
    # The body and its ETag are made once per stats: a spike asks for the same ones
    # thousands of times in the second they are kept.
    stats = cached_stats(get_session, slug)
    if stats is None:
        raise ApiError("No campaign has that name.", 404)
    response = Response(stats.body, mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=5, stale-while-revalidate=30"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response, stats.etag)

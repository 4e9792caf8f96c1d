"""The JSON API under /api/v1: one blueprint, one CSRF exemption, one error shape.

Writes take only application/json, which a cross-site HTML form cannot send without a
CORS preflight we never grant, so they need no CSRF token; rate limits meet abuse.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response

from advocacy.api.errors import ApiError
from advocacy.web.errors import error_response
from advocacy.web.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    """Register the API's routes, its CSRF exemption and its error handler."""
    # The view modules add their routes to bp when imported.
    from advocacy.api import campaigns, letters, openapi, pledges, representatives  # noqa: F401

    csrf.exempt(bp)
    app.register_blueprint(bp)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return error_response(error.message, error.status, error.fields)

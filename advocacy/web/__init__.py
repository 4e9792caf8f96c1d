"""What every page and endpoint shares: extensions, error pages, security headers, health."""

from __future__ import annotations

from flask import Flask

from advocacy.web import errors, health, security
from advocacy.web.extensions import csrf, limiter


def init_app(app: Flask) -> None:
    """Bind the extensions and register the shared handlers and the health check."""
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)

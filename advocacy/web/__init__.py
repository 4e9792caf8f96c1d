"""What every page and endpoint shares: extensions, error pages, security headers, health."""

from __future__ import annotations

from flask import Flask

from advocacy.web import assets, errors, health, logs, security
from advocacy.web.extensions import csrf, limiter
from advocacy.web.sessions import CachedSignerSessionInterface


def init_app(app: Flask) -> None:
    """Bind the extensions and register the shared handlers and the health check."""
    # Routing's own redirects ("//c//x" to "/c/x", "/x" to "/x/") are absolute URLs built
    # from the Host header, so a forged Host could send people elsewhere: make none.
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    logs.escape_line_breaks()
    app.session_interface = CachedSignerSessionInterface()
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)

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
    # Every limit of this app is on a view (extensions.lookup_limited and the like, the
    # sign-in form), and a limited view checks its own limits when called. Flask-Limiter's
    # before-request hook looks for app-wide and blueprint limits, which this app never
    # sets, and cost every request, limited or not, about 40 µs (a stats answer takes 57).
    # Its after-request hook stays: it sends the X-RateLimit headers and counts the
    # sign-in form's failed attempts. (With limits off, Flask-Limiter adds no hooks.)
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    security.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)

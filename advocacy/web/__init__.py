"""What every page and endpoint shares: extensions, error pages, security headers, health."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from flask import Flask, Response
from flask_limiter import Limiter

from advocacy.config import ConfigError
from advocacy.web import assets, errors, health, languages, logs, prose, security
from advocacy.web.extensions import csrf, limiter
from advocacy.web.sessions import CachedSignerSessionInterface

# Answers whose Retry-After means something: too many requests, and unavailable.
RETRY_AFTER_STATUSES = frozenset({429, 503})


# Flask-Limiter's settings for limits on every request, which its before-request hook
# applies and this app does without (drop_request_limit_hook): refused, not ignored.
APP_WIDE_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION")


def refuse_app_wide_limits(app: Flask) -> None:
    """Refuse to start with an app-wide limit: this app would not apply it (see below)."""
    for key in APP_WIDE_LIMITS:
        if app.config.get(key):
            raise ConfigError(
                f"ADVOCACY_{key} is not supported: every limit here is on a view "
                "(set ADVOCACY_RATELIMIT_WRITE and ADVOCACY_RATELIMIT_LOOKUP instead)."
            )


def drop_request_limit_hook(app: Flask) -> None:
    """Remove Flask-Limiter's before-request hook, which this app's limits do not need.

    Every limit of this app is on a view (extensions.lookup_limited and the like, the
    sign-in form), and a limited view checks its own limits when called. The hook looks
    for app-wide and blueprint limits, which this app never sets (refuse_app_wide_limits),
    and cost every request, limited or not, about 40 µs (a stats answer takes 57). Its
    after-request hook stays: it sends the X-RateLimit headers and counts the sign-in
    form's failed attempts. (With limits off, Flask-Limiter adds no hooks.) The hook is
    private: pyproject.toml pins the Flask-Limiter versions tested, and
    tests/web/test_rate_limit_hooks.py fails if it is back under another name.
    """
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)


def keep_own_retry_after(app: Flask) -> None:
    """Let Flask-Limiter's header hook set Retry-After on a 429 only.

    Its after-request hook writes Retry-After (seconds until the limit's window resets) on
    every answer of a limited view, successful ones included, and on a 503 replaces our
    own "30" with that reset time. A 429 keeps its value; a 503 gets its own back; any
    other answer carries none. Its X-RateLimit headers stay.
    """
    hooks = app.after_request_funcs.get(None, [])
    for index, hook in enumerate(hooks):
        if getattr(hook, "func", None) is getattr(Limiter, "_Limiter__inject_headers", None):
            hooks[index] = _retry_after_kept(cast(Callable[[Response], Response], hook))


def _retry_after_kept(inject: Callable[[Response], Response]) -> Callable[[Response], Response]:
    def inject_headers(response: Response) -> Response:
        own = response.headers.get("Retry-After")
        response = inject(response)
        if response.status_code == 429:
            return response
        if own is not None and response.status_code in RETRY_AFTER_STATUSES:
            response.headers["Retry-After"] = own
        else:
            response.headers.pop("Retry-After", None)
        return response

    return inject_headers


def init_app(app: Flask) -> None:
    """Bind the extensions and register the shared handlers and the health check."""
    # Routing's own redirects ("//c//x" to "/c/x", "/x" to "/x/") are absolute URLs built
    # from the Host header, so a forged Host could send people elsewhere: make none.
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    logs.escape_line_breaks()
    app.session_interface = CachedSignerSessionInterface()
    csrf.init_app(app)
    refuse_app_wide_limits(app)
    limiter.init_app(app)
    drop_request_limit_hook(app)
    keep_own_retry_after(app)
    security.init_app(app)
    assets.init_app(app)
    languages.init_app(app)
    errors.init_app(app)
    # Every page shows an organization's prose the same way (campaign text, and whatever
    # else an organizer writes for the public): one filter for all of them.
    prose.init_app(app)
    app.register_blueprint(health.bp)

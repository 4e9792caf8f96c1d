"""Flask extensions, created unbound here and bound to each app in create_app."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
# Storage, switches and headers come from the app's RATELIMIT_* settings.
limiter = Limiter(key_func=get_remote_address)


def write_limit() -> str:
    """Return the limit on writes (pledges), read per request so tests and ops can change it."""
    return str(current_app.config["RATELIMIT_WRITE"])


def lookup_limit() -> str:
    """Return the limit on look-ups (members, letters, downloads)."""
    return str(current_app.config["RATELIMIT_LOOKUP"])


View = Callable[..., Any]


def when_enabled(decorator: Callable[[View], View]) -> Callable[[View], View]:
    """Apply a rate limit only while RATELIMIT_ENABLED is on.

    Flask-Limiter evaluates a decorated route's limits on every request even when it is
    switched off, which costs as much as a cheap route itself; switched off, it is skipped.
    """

    def apply(view: View) -> View:
        limited = decorator(view)

        @wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            if current_app.config["RATELIMIT_ENABLED"]:
                return limited(*args, **kwargs)
            return view(*args, **kwargs)

        return run

    return apply


lookup_limited = when_enabled(limiter.limit(lookup_limit))
write_limited = when_enabled(limiter.limit(write_limit))
# One budget per client for pledges, whichever way they come (form, API, widget).
pledge_limit = when_enabled(limiter.shared_limit(write_limit, scope="pledges"))

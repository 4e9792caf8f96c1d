"""Flask extensions, created unbound here and bound to each app in create_app."""

from __future__ import annotations

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


# One budget per client for pledges, whichever way they come (form, API, widget).
pledge_limit = limiter.shared_limit(write_limit, scope="pledges")

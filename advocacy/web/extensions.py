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


def api_write_limit() -> str:
    """Return the limit on pledges through the JSON API, which carry no form token."""
    return str(current_app.config["RATELIMIT_API_WRITE"])


def event_write_limit() -> str:
    """Return the limit on pledges through an event's page while it is on."""
    return str(current_app.config["RATELIMIT_EVENT"])


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


def _api_limits(view: View) -> View:
    # Flask-Limiter's decorators stacked directly check both limits once per request.
    return limiter.limit(api_write_limit)(limiter.shared_limit(write_limit, scope="pledges")(view))


# The JSON API's pledges: the per-client budget, and a tighter one of the API's own,
# since no form token limits a script there (README, *Rate limits*).
api_pledge_limit = when_enabled(_api_limits)


def budget_or_pledge_limit(
    own_budget: Callable[[], bool], budget_key: Callable[[], str]
) -> Callable[[View], View]:
    """Limit pledges by an own budget (RATELIMIT_EVENT, per budget_key) where own_budget()
    says one applies (an event that is on), and by the per-client one everywhere else.

    Never both: a room of people on one address pledging at an event must not use up,
    or be refused by, the address's everyday budget.
    """

    def limits(view: View) -> View:
        own = limiter.limit(
            event_write_limit, key_func=budget_key, exempt_when=lambda: not own_budget()
        )
        shared = limiter.shared_limit(write_limit, scope="pledges", exempt_when=own_budget)
        return own(shared(view))

    return when_enabled(limits)

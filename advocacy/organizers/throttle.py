"""The sign-in throttle: each attempt is counted before any password is checked.

Counting an attempt and checking the limit are one atomic step in the store (a moving
window in memory or in Redis), so parallel guesses cannot all slip in under the limit
before any of them is counted. Three budgets, all keyed by what was typed, whether or
not such an account exists:

- per client address, every sign-in post (ORGANIZERS_LOGIN_LIMIT);
- per account AND client (ORGANIZERS_ACCOUNT_LIMIT), where the client is the browser's
  device cookie if it has signed in to that account before, else its address; a
  successful sign-in clears it. Wrong guesses from one place lock only that place out;
- per account, for all browsers without that account's device cookie together
  (ORGANIZERS_ACCOUNT_CEILING, looser): a ceiling on guessing spread over many addresses.
  When strangers exhaust it, the organizer's own browsers still sign in.

The device cookie follows OWASP's "device cookies": signed with the app's secret, naming
the account (a keyed hash of its address) and a random device id, sent only to the
sign-in page (HttpOnly, SameSite=Strict).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Sequence
from typing import Any

from flask import Flask, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.wrappers import Response

from advocacy.config import ConfigError

log = logging.getLogger(__name__)

DEVICE_COOKIE = "advocacy_organizer_device"
DEVICE_COOKIE_PATH = "/organizers/login"
DEVICE_DAYS = 180
# After the store fails, count in this process's memory for this long before retrying it.
STORE_RETRY_SECONDS = 30.0


class SignInThrottle:
    """Counters in the rate-limit store (Redis with several processes), memory if it fails."""

    def __init__(self, storage_uri: str, options: dict[str, Any], prefix: str) -> None:
        self.prefix = prefix
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._store = self._memory
        if not storage_uri.startswith("memory://"):
            # Connects on first use (redis-py's pool), not here.
            self._store = MovingWindowRateLimiter(storage_from_string(storage_uri, **options))
        self._store_failed_at: float | None = None

    def _strategy(self) -> MovingWindowRateLimiter:
        if self._store_failed_at is not None:
            if time.monotonic() - self._store_failed_at < STORE_RETRY_SECONDS:
                return self._memory
            self._store_failed_at = None
        return self._store

    def _run(self, action: str, limits: Sequence[RateLimitItem], key: Sequence[str]) -> bool:
        strategy = self._strategy()
        try:
            return _apply(strategy, action, limits, (self.prefix, *key))
        except Exception as error:  # the store's own errors (Redis down) are many types
            if strategy is self._memory:
                raise
            log.warning(
                "sign-in throttle: the rate-limit store failed (%s); counting in this "
                "process's memory for %d s",
                type(error).__name__,
                STORE_RETRY_SECONDS,
            )
            self._store_failed_at = time.monotonic()
            return _apply(self._memory, action, limits, (self.prefix, *key))

    def take(self, limits: Sequence[RateLimitItem], *key: str) -> bool:
        """Count one attempt against each limit in turn; False at the first one exceeded."""
        return self._run("take", limits, key)

    def clear(self, limits: Sequence[RateLimitItem], *key: str) -> None:
        """Forget the attempts counted under this key."""
        self._run("clear", limits, key)


def _apply(
    strategy: MovingWindowRateLimiter,
    action: str,
    limits: Sequence[RateLimitItem],
    key: tuple[str, ...],
) -> bool:
    for limit in limits:
        if action == "clear":
            strategy.clear(limit, *key)
        elif not strategy.hit(limit, *key):
            return False
    return True


# --- bound to the current app -------------------------------------------------------------


SETTINGS = ("ORGANIZERS_LOGIN_LIMIT", "ORGANIZERS_ACCOUNT_LIMIT", "ORGANIZERS_ACCOUNT_CEILING")


def init_app(app: Flask) -> None:
    """Check the limits' settings and give the app its throttle.

    Made once here: made on first use, the first requests could race and count apart.
    """
    for key in SETTINGS:
        try:
            parse_many(str(app.config[key]))
        except ValueError:
            raise ConfigError(
                f"ADVOCACY_{key} must read like '5 per 15 minutes;20 per day', "
                f"not {app.config[key]!r}."
            ) from None
    app.extensions["advocacy.organizers.throttle"] = SignInThrottle(
        str(app.config["RATELIMIT_STORAGE_URI"]),
        dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {}),
        str(app.config.get("RATELIMIT_KEY_PREFIX") or "advocacy") + ":organizers-sign-in",
    )


def _throttle() -> SignInThrottle | None:
    """Return the app's throttle, or None when rate limits are switched off."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    throttle: SignInThrottle = current_app.extensions["advocacy.organizers.throttle"]
    return throttle


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(str(current_app.config[setting]))


def account_key(email: str) -> str:
    """Name an account in the store by a keyed hash of its address (no address stored)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    address = email.strip().lower()[:254].encode()
    return hmac.new(secret, b"organizer-account:" + address, hashlib.sha256).hexdigest()[:32]


def take_client_attempt() -> bool:
    """Count a sign-in post from this client address; False when it is over the limit."""
    throttle = _throttle()
    client = get_remote_address() or "unknown"
    return throttle is None or throttle.take(_limits("ORGANIZERS_LOGIN_LIMIT"), "client", client)


def take_account_attempt(email: str, device: str | None) -> bool:
    """Count an attempt on this account from this browser; False when over a limit.

    device is the browser's device id for this account (from its device cookie), or None.
    """
    throttle = _throttle()
    if throttle is None:
        return True
    account = account_key(email)
    if device is not None:
        return throttle.take(_limits("ORGANIZERS_ACCOUNT_LIMIT"), "device", account, device)
    client = get_remote_address() or "unknown"
    if not throttle.take(_limits("ORGANIZERS_ACCOUNT_LIMIT"), "account-client", account, client):
        return False
    return throttle.take(_limits("ORGANIZERS_ACCOUNT_CEILING"), "account", account)


def forget_account_attempts(email: str, device: str | None) -> None:
    """After a successful sign-in, clear this browser's count on the account."""
    throttle = _throttle()
    if throttle is None:
        return
    account, limits = account_key(email), _limits("ORGANIZERS_ACCOUNT_LIMIT")
    if device is not None:
        throttle.clear(limits, "device", account, device)
    else:
        throttle.clear(limits, "account-client", account, get_remote_address() or "unknown")


# --- the device cookie --------------------------------------------------------------------


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.secret_key or "", salt="advocacy.organizers.device")


def device_for(email: str) -> str | None:
    """Return the device id of the browser's cookie if it is valid for this account."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie or len(cookie) > 512:
        return None
    try:
        data = _serializer(current_app).loads(cookie, max_age=DEVICE_DAYS * 86400)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str):
        return None
    if not hmac.compare_digest(str(data.get("a", "")), account_key(email)):
        return None
    device: str = data["d"]
    return device


def remember_device(response: Response, email: str, device: str | None) -> None:
    """Give the browser (again) a device cookie for this account after it signed in."""
    value = _serializer(current_app).dumps(
        {"a": account_key(email), "d": device or secrets.token_urlsafe(16)}
    )
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_DAYS * 86400,
        path=DEVICE_COOKIE_PATH,
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Strict",
    )

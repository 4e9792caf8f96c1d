"""A circuit breaker for the geocoder, shared by every worker through Redis when there is one.

After the geocoder fails, supporters get the ZIP fallback at once instead of each waiting
for a timeout. With several server processes, one failure must pause them all: the pause
is a Redis key that expires by itself. If Redis does not answer, each process keeps its
own pause, so a Redis outage costs no more than a slower breaker.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

import redis

log = logging.getLogger(__name__)

PAUSE_KEY = "advocacy:geocoder:paused"  # after the deployment's key prefix, if any
# A look-up must not wait on Redis: it is a shortcut, not a dependency.
REDIS_TIMEOUT_SECONDS = 0.2
# After Redis fails, how long the process keeps to its own pause before asking again.
REDIS_RETRY_SECONDS = 30.0


class Breaker(Protocol):
    def is_open(self) -> bool:
        """Tell whether calls are paused."""
        ...

    def trip(self, seconds: float) -> None:
        """Pause calls for a while."""
        ...


class LocalBreaker:
    """A pause kept in this process's memory."""

    def __init__(self) -> None:
        self._until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        with self._lock:
            return time.monotonic() < self._until

    def trip(self, seconds: float) -> None:
        with self._lock:
            self._until = max(self._until, time.monotonic() + seconds)


class SharedBreaker:
    """A pause every process sees: a Redis key with a time to live, and a local copy."""

    def __init__(self, client: redis.Redis, key: str = PAUSE_KEY) -> None:
        self._client = client
        self._key = key
        self._local = LocalBreaker()
        self._redis_down_until = 0.0

    @classmethod
    def from_url(cls, url: str, key: str = PAUSE_KEY) -> SharedBreaker:
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        return cls(client, key)

    def is_open(self) -> bool:
        if self._local.is_open():
            return True
        if not self._redis_usable():
            return False
        try:
            return bool(self._client.exists(self._key))
        except redis.RedisError as error:
            self._redis_failed(error)
            return False

    def trip(self, seconds: float) -> None:
        self._local.trip(seconds)
        if not self._redis_usable():
            return
        try:
            self._client.set(self._key, "1", px=max(1, int(seconds * 1000)))
        except redis.RedisError as error:
            self._redis_failed(error)

    def _redis_usable(self) -> bool:
        return time.monotonic() >= self._redis_down_until

    def _redis_failed(self, error: redis.RedisError) -> None:
        self._redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
        log.warning("geocoder pause kept per process: Redis did not answer (%s)", error)


def breaker_for(storage_uri: str, key_prefix: str = "") -> Breaker:
    """Return a breaker shared through Redis when the rate limits use Redis, else local."""
    if storage_uri.startswith(("redis://", "rediss://")):
        return SharedBreaker.from_url(storage_uri, f"{key_prefix}:{PAUSE_KEY}".lstrip(":"))
    return LocalBreaker()

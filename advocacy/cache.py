"""The one cache shape: values by key, with a freshness rule, thread-safe.

Every cache of the service is a `Cache`: at most `max_size` entries (the least recently
used goes first), each fresh for `max_age` seconds of `time.monotonic()` (None: until it
is evicted or forgotten) and, when the caller gives a `fresh` test, while it passes it
(made from input equal to the caller's, say). A missing or stale value
is made by the caller's `make`, outside the lock: two threads missing the same key at once
may both make it (the later one is kept), and a slow make holds up no other key.

Where a cache lives:

- What depends on one app (its settings, its database, its clock) is kept on
  `app.extensions`, made by the owning part's `init_app` and read through a small typed
  accessor there (`campaigns.service.stats_cache()`, `representatives.service.zip_answer`
  through the app's finder holder...). Never in a module global: two apps in one process
  (the tests, a rehearsal beside the live one) must not see each other's answers.
- A module global is only for a pure function of immutable input keyed by that whole
  input: `functools.cache` on the package's own data (the shipped snapshot, the shipped
  changed-states table, static files' hashes), and a `Cache` of what files parse to,
  keyed by their path and modification time (`representatives.service`'s directories)
  or checked against the input itself (`campaigns.content.content_of`). Any app may share
  those: the same input gives the same value.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Cache(Generic[K, V]):
    """Values by key: at most max_size of them, each fresh for max_age seconds (None: no limit)."""

    __slots__ = ("max_size", "max_age", "_entries", "_lock")

    def __init__(self, *, max_size: int, max_age: float | None = None) -> None:
        if max_size < 1:
            raise ValueError("a cache holds at least one entry")
        self.max_size = max_size
        self.max_age = max_age
        # key -> (when it was made, by time.monotonic(); the value); oldest use first.
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V], fresh: Callable[[V], bool] | None = None) -> V:
        """Return the key's value, calling make() for a missing or stale one and keeping it.

        fresh, if given, is one more test a kept value must pass (made from the same
        input, for the same members sitting...). An exception from make is raised, and
        nothing is kept.
        """
        max_age = self.max_age
        now = time.monotonic() if max_age is not None else 0.0
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if (
            entry is not None
            and (max_age is None or now - entry[0] < max_age)
            and (fresh is None or fresh(entry[1]))
        ):
            return entry[1]
        value = make()
        self.put(key, value, made_at=now)
        return value

    def put(self, key: K, value: V, made_at: float | None = None) -> None:
        """Keep a value (made now, or at made_at), evicting the least recently used."""
        made = made_at
        if made is None:
            made = time.monotonic() if self.max_age is not None else 0.0
        with self._lock:
            self._entries[key] = (made, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_size:
                self._entries.popitem(last=False)

    def forget(self, key: K) -> None:
        """Drop one key's value, if kept."""
        with self._lock:
            self._entries.pop(key, None)

    def forget_where(self, test: Callable[[K], bool]) -> None:
        """Drop the values of every key that passes test."""
        with self._lock:
            for key in [key for key in self._entries if test(key)]:
                del self._entries[key]

    def clear(self) -> None:
        """Drop every value."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

"""What every test app shares: its settings, Redis for shared rate limits, and the test-only
shortcuts that keep the suite quick without changing what it tests (templates compiled once
per process, organizers' passwords hashed at argon2's lowest cost)."""

from __future__ import annotations

import os
import socket
import sys
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from contact_keys import HASH_KEY, PUBLIC_KEY
from data_files import snapshot_clock
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

# An address nothing listens on: a test that forgets to fake the geocoder fails fast.
UNREACHABLE_GEOCODER = "http://127.0.0.1:9/geocoder"
REDIS_URL = "redis://127.0.0.1:6379/0"


def base_config(tmp_dir: Path, url: str) -> dict[str, Any]:
    """Settings for a test app. No data paths: with the instance folder a fresh tmp folder
    (make_app sets ADVOCACY_INSTANCE_PATH), the app reads the snapshot shipped in the package."""
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "HASH_KEY": HASH_KEY,
        # Consenting supporters' names and emails are sealed to it (tests/contact_keys.py).
        "CONTACT_PUBLIC_KEY": PUBLIC_KEY,
        "GEOCODER_URL": UNREACHABLE_GEOCODER,
        "RATELIMIT_ENABLED": False,
        "MIN_FILL_SECONDS": 0,
        "CLOCK": snapshot_clock,
        # Mail stays in the outbox unless a test sends it (tests/inbox.py): no thread
        # of an earlier test's app writes to a database the next test has emptied.
        "MAIL_SEND_IN_APP": False,
    }


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def redis_settings() -> dict[str, Any]:
    """Rate limits kept in Redis under a prefix of their own; skip (fail in CI) without it."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis must be running in CI (see .ci/run)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        # A fresh prefix per test: counts from earlier runs, or other workers, never leak in.
        "RATELIMIT_KEY_PREFIX": f"advocacy-test-{uuid.uuid4().hex}",
        "RATELIMIT_WRITE": "3 per minute",
    }


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept for every app of the test process.

    Each app has a Jinja environment of its own, so each test's app used to compile every
    template it rendered again (60 ms for the campaign page). Jinja checks each template's
    source against the checksum stored with its code, so an edited template is compiled
    anew: this changes how often templates are compiled, never what they render.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()

# argon2's lowest cost: a hash takes well under a millisecond instead of 0.15 s (a sign-in
# verifies one, creating an organizer makes one). Tests only: conftest.py puts it in place
# of the production hasher, whose parameters test_password_cost.py pins.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


Seats = dict[str, list[tuple[str, int]]]


class ZipTablesParsedOnce:
    """parse_zcta and by_state, done once per ZIP table's text per process.

    The data tests refresh, validate and describe the same few national tables (33,000 ZIP
    areas, 0.3 s a parse) over and over: half the suite's CPU went there. Both functions
    are pure, so the same lines give an equal table. The table is shared, as the app shares
    the snapshot's (snapshot_zip_table): callers read it and never change it. A table that
    fails to parse is parsed again each time, and fails the same way.
    """

    def __init__(
        self, parse_zcta: Callable[[Iterable[str]], Seats], by_state: Callable[[Any], Any]
    ) -> None:
        self._parse_zcta = parse_zcta
        self._by_state = by_state
        self._tables: OrderedDict[str, Seats] = OrderedDict()
        self._split: dict[int, tuple[Seats, Any]] = {}

    def parse_zcta(self, lines: Iterable[str]) -> Seats:
        read = list(lines)
        text = "".join(read)
        table = self._tables.get(text)
        if table is None:
            table = self._tables[text] = self._parse_zcta(read)
            if len(self._tables) > 16:
                dropped = self._tables.popitem(last=False)[1]
                self._split.pop(id(dropped), None)
        else:
            self._tables.move_to_end(text)
        return table

    def by_state(self, table: Any) -> Any:
        known = self._split.get(id(table))
        if known is not None and known[0] is table:
            return known[1]
        split = self._by_state(table)
        if any(table is kept for kept in self._tables.values()):
            self._split[id(table)] = (table, split)
        return split


def replace_everywhere(
    patch: pytest.MonkeyPatch, function: Callable[..., Any], replacement: Callable[..., Any]
) -> None:
    """Put replacement in place of function in every advocacy module that holds it (its
    own module, and those that imported it by name), wherever the code has moved it."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "advocacy" and module is not None:
            for attribute, value in list(vars(module).items()):
                if value is function:
                    patch.setattr(module, attribute, replacement)

"""Rate limits shared through Redis: several processes count one supporter's attempts together."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

import pytest
from pages import SLUG, pledge_fields

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_config() -> dict[str, Any]:
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis must be running in CI (see .ci/run)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        # A fresh prefix per test: counts from earlier runs never leak in.
        "RATELIMIT_KEY_PREFIX": f"advocacy-test-{uuid.uuid4().hex}",
        "RATELIMIT_WRITE": "3 per minute",
    }


def test_two_app_processes_share_one_limit_through_redis(
    make_app: Any, redis_config: dict[str, Any]
) -> None:
    first = make_app(**redis_config).test_client()
    second = make_app(**redis_config).test_client()
    url = f"/api/v1/campaigns/{SLUG}/pledges"
    assert first.post(url, json=pledge_fields(email="a@example.org")).status_code == 202
    assert second.post(url, json=pledge_fields(email="b@example.org")).status_code == 202
    assert first.post(url, json=pledge_fields(email="c@example.org")).status_code == 202
    assert second.post(url, json=pledge_fields(email="d@example.org")).status_code == 429

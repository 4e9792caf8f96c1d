"""The geocoder's circuit breaker, shared by the workers through Redis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fake_census import FakeCensus, running_fake_census

STREET = {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98101"}


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with running_fake_census() as fake:
        yield fake


def look_up(app: Any) -> dict[str, Any]:
    response = app.test_client().post("/api/v1/representatives", json=STREET)
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def test_one_workers_failure_pauses_the_geocoder_for_every_worker(
    make_app: Any,
    census: FakeCensus,
    redis_config: dict[str, Any],
) -> None:
    config = {**redis_config, "RATELIMIT_ENABLED": False, "GEOCODER_URL": census.base_url}
    first, second = make_app(**config), make_app(**config)
    census.mode = "error500"
    assert look_up(first)["fallback"] == "geocoder_unavailable"
    assert len(census.requests) == 1
    # Another process: it does not call the failing geocoder, and still answers by ZIP.
    body = look_up(second)
    assert (body["match"], body["fallback"]) == ("zip", "geocoder_unavailable")
    assert len(census.requests) == 1


def test_with_redis_down_each_worker_keeps_its_own_pause(
    make_app: Any, census: FakeCensus
) -> None:
    config = {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0",  # nothing listens on port 9
        "GEOCODER_URL": census.base_url,
    }
    first, second = make_app(**config), make_app(**config)
    census.mode = "error500"
    assert look_up(first)["fallback"] == "geocoder_unavailable"
    assert look_up(first)["fallback"] == "geocoder_unavailable"
    assert len(census.requests) == 1  # paused in the first process
    census.mode = "ok"
    body = look_up(second)  # the second process was not told: it asks, and gets the address
    assert (body["match"], body["district"]) == ("address", 7)
    assert len(census.requests) == 2

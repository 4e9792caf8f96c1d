"""The geocoder's timeout is a deadline for the whole call, not for each read."""

from __future__ import annotations

import time
from collections.abc import Callable

from fake_census import running_fake_census
from flask import Flask

ADDRESS = {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98109"}


def test_a_trickling_geocoder_gives_the_zip_answer_by_the_deadline(
    make_app: Callable[..., Flask],
) -> None:
    with running_fake_census() as census:
        census.mode = "trickle"
        app = make_app(GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=1)
        client = app.test_client()
        started = time.monotonic()
        response = client.post("/api/v1/representatives", json=ADDRESS)
        elapsed = time.monotonic() - started
        # A byte every 0.2 s kept each read alive, so per-read timeouts never fired.
        assert len(census.requests) == 1
    assert response.status_code == 200
    body = response.get_json()
    assert (body["match"], body["fallback"]) == ("zip", "geocoder_unavailable")
    assert elapsed < 4, f"the supporter waited {elapsed:.1f} s past a 1 s deadline"


def test_the_next_supporter_skips_a_failing_geocoder(make_app: Callable[..., Flask]) -> None:
    with running_fake_census() as census:
        census.mode = "trickle"
        app = make_app(GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=1)
        client = app.test_client()
        client.post("/api/v1/representatives", json=ADDRESS)
        started = time.monotonic()
        again = client.post("/api/v1/representatives", json={**ADDRESS, "street": "1 Other St"})
        assert time.monotonic() - started < 1
        assert len(census.requests) == 1  # the breaker kept the second one away
    assert again.get_json()["fallback"] == "geocoder_unavailable"

"""Rate limits shared through Redis: several processes count one supporter's attempts together."""

from __future__ import annotations

from typing import Any

from pages import SLUG, pledge_fields


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

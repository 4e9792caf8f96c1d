"""The public stats API: exact shape, no personal data, cacheable, open to every origin."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from inbox import confirm_waiting
from pages import SLUG, pledge_fields

URL = f"/api/v1/campaigns/{SLUG}"


def test_stats_have_exactly_the_documented_fields(client: FlaskClient) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"slug", "title", "goal", "pledge_count", "updated_at"}
    assert body["slug"] == SLUG
    assert body["goal"] == 10000
    assert body["pledge_count"] == 0
    assert body["updated_at"].endswith("Z")


def test_stats_are_cors_open_and_cacheable_with_etag(client: FlaskClient) -> None:
    response = client.get(URL, headers={"Origin": "https://partner.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_count_follows_pledges_within_the_cache_second(make_app: Any) -> None:
    app: Flask = make_app(STATS_CACHE_SECONDS=0.2)
    client = app.test_client()
    first = client.get(URL).get_json()
    client.post(f"{URL}/pledges", json=pledge_fields(email="private@example.org"))
    confirm_waiting(app)  # a pledge counts once confirmed from its mailbox
    time.sleep(0.25)
    body = client.get(URL).get_json()
    assert body["pledge_count"] == first["pledge_count"] + 1
    assert "private@example.org" not in str(body)


def test_unknown_campaign_is_404_with_the_error_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/campaigns/unknown")
    assert response.status_code == 404
    assert set(response.get_json()) == {"error", "fields"}

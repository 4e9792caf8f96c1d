"""The public stats API: exact shape, no personal data, cacheable, open to every origin."""

from __future__ import annotations

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


def test_a_confirmed_pledge_counts_at_once_in_the_process_that_took_it(make_app: Any) -> None:
    app: Flask = make_app(STATS_CACHE_SECONDS=60)
    client = app.test_client()
    first = client.get(URL).get_json()  # cached for a minute
    client.post(f"{URL}/pledges", json=pledge_fields(email="private@example.org"))
    confirm_waiting(app)  # a pledge counts once confirmed from its mailbox
    body = client.get(URL).get_json()
    assert body["pledge_count"] == first["pledge_count"] + 1
    assert "private@example.org" not in str(body)


def test_other_processes_show_the_count_within_their_cache_max_age(make_app: Any) -> None:
    # Three apps on one database stand for three processes; one takes the pledge.
    taking = make_app()
    caching = make_app(STATS_CACHE_SECONDS=60).test_client()
    uncached = make_app(STATS_CACHE_SECONDS=0).test_client()
    before = caching.get(URL).get_json()["pledge_count"]
    assert uncached.get(URL).get_json()["pledge_count"] == before
    taking.test_client().post(f"{URL}/pledges", json=pledge_fields(email="a@example.org"))
    confirm_waiting(taking)
    assert caching.get(URL).get_json()["pledge_count"] == before  # within its minute
    assert uncached.get(URL).get_json()["pledge_count"] == before + 1


def test_unknown_campaign_is_404_with_the_error_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/campaigns/unknown")
    assert response.status_code == 404
    assert set(response.get_json()) == {"error", "fields"}

"""The JSON API at a campaign's old slug gives the same answers as at its present one:
partners' scripts that call it with the slug they were given keep working after an editor
changes it (no redirect: a POST must not be sent again elsewhere)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from data_files import senator_records
from editor_pages import move_campaign
from flask import Flask
from flask.testing import FlaskClient
from inbox import confirm_waiting
from organizer_pages import signed_in_client
from pages import SLUG, pledge_fields

from advocacy.db import get_session
from advocacy.models import Campaign, Pledge

NEW = "uyghur-policy-act-2027"


@pytest.fixture
def moved(app: Flask) -> None:
    move_campaign(signed_in_client(app), SLUG, NEW)


@pytest.mark.usefixtures("moved")
def test_the_stats_at_the_old_slug_are_the_campaigns(client: FlaskClient) -> None:
    old = client.get(f"/api/v1/campaigns/{SLUG}")
    new = client.get(f"/api/v1/campaigns/{NEW}")
    assert old.status_code == new.status_code == 200
    assert old.get_data() == new.get_data()
    assert old.get_json()["slug"] == NEW
    assert old.headers["ETag"] == new.headers["ETag"]
    assert old.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.usefixtures("moved")
def test_letters_at_the_old_slug_are_the_campaigns(client: FlaskClient) -> None:
    body = {
        "bioguide": senator_records("WA")[0].bioguide,
        "name": "Amina Tursun",
        "city": "Seattle",
        "state": "WA",
        "note": "",
    }
    old = client.post(f"/api/v1/campaigns/{SLUG}/letters", json=body)
    new = client.post(f"/api/v1/campaigns/{NEW}/letters", json=body)
    assert old.status_code == new.status_code == 200
    assert old.get_json() == new.get_json()


@pytest.mark.usefixtures("moved")
def test_a_pledge_at_the_old_slug_counts_for_the_campaign(app: Flask, client: FlaskClient) -> None:
    old = client.post(f"/api/v1/campaigns/{SLUG}/pledges", json=pledge_fields())
    assert old.status_code == 202
    new = client.post(
        f"/api/v1/campaigns/{NEW}/pledges", json=pledge_fields(email="dilnur@example.org")
    )
    assert new.status_code == 202
    assert old.get_json() == new.get_json()
    with app.app_context():
        session = get_session()
        campaign_id = session.scalar(sa.select(Campaign.id).where(Campaign.slug == NEW))
        assert list(session.scalars(sa.select(Pledge.campaign_id))) == [campaign_id] * 2
    assert confirm_waiting(app) == 2
    # Counted, and the count is the same at either address.
    assert client.get(f"/api/v1/campaigns/{SLUG}").get_json()["pledge_count"] == 2
    assert client.get(f"/api/v1/campaigns/{NEW}").get_json()["pledge_count"] == 2


def test_an_old_slug_nobody_had_is_still_a_404(client: FlaskClient) -> None:
    assert client.get("/api/v1/campaigns/never-was").status_code == 404

"""`advocacy pledges purge`: supporters' details go after the retention period; counts stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from contact_keys import hashed
from flask import Flask
from inbox import confirm_waiting
from pages import SLUG, pledge_fields

from advocacy.db import get_session
from advocacy.models import Campaign, Pledge

URL = f"/api/v1/campaigns/{SLUG}/pledges"


def age_pledge(app: Flask, email: str, days: int) -> None:
    with app.app_context():
        session = get_session()
        session.execute(
            sa.update(Pledge)
            .where(Pledge.email_hash == hashed(email))
            .values(created_at=datetime.now(UTC) - timedelta(days=days))
        )
        session.commit()


def rows(app: Flask) -> dict[str, tuple[Any, ...]]:
    with app.app_context():
        pledges = get_session().scalars(sa.select(Pledge)).all()
        return {p.email_hash: (p.city, p.zip, p.state, p.district, p.consent) for p in pledges}


def campaign_count(app: Flask) -> int:
    with app.app_context():
        return int(get_session().scalar(sa.select(Campaign.pledge_count)) or 0)


def test_purge_clears_old_details_and_keeps_counts(make_app: Any) -> None:
    app = make_app(RETENTION_DAYS=30)
    client = app.test_client()
    for email in ("old@example.org", "new@example.org"):
        body = pledge_fields(email=email, note="My family", consent=True)
        assert client.post(URL, json=body).status_code == 202
    assert confirm_waiting(app) == 2
    age_pledge(app, "old@example.org", 31)

    result = app.test_cli_runner().invoke(args=["pledges", "purge"])
    assert result.exit_code == 0, result.output
    assert "of 1 pledge(s) older than 30 day(s)" in result.output
    after = rows(app)
    assert after[hashed("old@example.org")] == ("", "", "WA", 7, True)
    assert after[hashed("new@example.org")] == ("Seattle", "98105", "WA", 7, True)
    assert campaign_count(app) == 2
    assert client.get(f"/api/v1/campaigns/{SLUG}").get_json()["pledge_count"] == 2


def test_older_than_overrides_the_setting_and_zero_clears_all(make_app: Any) -> None:
    app = make_app()
    app.test_client().post(URL, json=pledge_fields(note="x"))
    confirm_waiting(app)
    age_pledge(app, "amina@example.org", 1)
    result = app.test_cli_runner().invoke(args=["pledges", "purge", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert rows(app)[hashed("amina@example.org")][:2] == ("", "")
    again = app.test_cli_runner().invoke(args=["pledges", "purge", "--older-than", "0"])
    assert "of 0 pledge(s)" in again.output


def test_a_negative_period_is_refused(make_app: Any) -> None:
    result = make_app().test_cli_runner().invoke(args=["pledges", "purge", "--older-than", "-1"])
    assert result.exit_code != 0

"""Partners' pages that embedded a campaign's old slug keep working after an editor
changes it: the framed page answers at the old address, its form counts pledges for the
campaign, and a widget served before the change still sends."""

from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa
from editor_pages import move_campaign
from flask import Flask
from flask.testing import FlaskClient
from inbox import confirm_waiting
from organizer_pages import signed_in_client
from pages import SLUG, hidden_value

from advocacy.db import get_session
from advocacy.models import Campaign, Pledge

NEW = "uyghur-policy-act-2027"
OWN_ORIGIN = "http://localhost"


def _fields(html: str, email: str) -> dict[str, str]:
    return {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        "name": "Amina Tursun",
        "email": email,
        "zip": "98105",
    }


def _campaign_pledges(app: Flask) -> tuple[int, list[int]]:
    with app.app_context():
        session = get_session()
        campaign_id = session.scalar(sa.select(Campaign.id).where(Campaign.slug == NEW))
        assert campaign_id is not None
        return campaign_id, list(session.scalars(sa.select(Pledge.campaign_id)))


def test_the_widget_at_the_old_slug_shows_the_campaign_and_counts_its_pledges(
    app: Flask, client: FlaskClient
) -> None:
    move_campaign(signed_in_client(app), SLUG, NEW)
    # The loader builds the frame's address from data-campaign: the old slug, here.
    page = client.get(f"/c/{SLUG}/widget?ref=partner.org")
    assert page.status_code == 200
    assert "frame-ancestors" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert f'data-campaign="{NEW}"' in html
    action = re.search(r'<form[^>]* action="([^"]+)"', html)
    assert action and unescape(action.group(1)) == f"/c/{NEW}/widget"
    response = client.post(
        action.group(1), data=_fields(html, "amina@example.org"), headers={"Origin": OWN_ORIGIN}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Thank you. Now check your email to confirm." in response.get_data(as_text=True)
    campaign_id, pledged = _campaign_pledges(app)
    assert pledged == [campaign_id]
    assert confirm_waiting(app) == 1
    assert client.get(f"/api/v1/campaigns/{SLUG}").get_json()["pledge_count"] == 1


def test_a_widget_served_before_the_change_still_sends(app: Flask, client: FlaskClient) -> None:
    # A partner's visitor opened the widget just before the slug changed, or a cache kept it.
    html = client.get(f"/c/{SLUG}/widget").get_data(as_text=True)
    move_campaign(signed_in_client(app), SLUG, NEW)
    response = client.post(
        f"/c/{SLUG}/widget",
        data=_fields(html, "dilnur@example.org"),
        headers={"Origin": OWN_ORIGIN},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    campaign_id, pledged = _campaign_pledges(app)
    assert pledged == [campaign_id]
    # And its script's token address answers at the old slug too.
    token = client.get(f"/c/{SLUG}/widget/form-token")
    assert token.status_code == 200


def test_the_loader_frames_the_slug_the_partner_gave(client: FlaskClient) -> None:
    # The frame's address is the tag's own slug, and the frame's messages are trusted by
    # origin and frame, never by the slug the widget names: an old slug's frame works.
    script = client.get("/embed.js").get_data(as_text=True)
    assert 'address = origin + languagePrefix(lang) + "/c/" + slug;' in script
    assert 'frame.src = address + "/widget" + query' in script
    assert "event.origin !== origin || event.source !== frame.contentWindow" in script

"""Withdrawing a pledge through the link shown when it was made, without telling anyone
whether an email had pledged."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, hidden_value, pledge_fields, submit_pledge

from advocacy.db import get_session
from advocacy.models import Campaign, Pledge, SupporterVisit

API = f"/api/v1/campaigns/{SLUG}/pledges"
LINK = re.compile(r'href="(/c/[^"]+/withdraw/[^"]+)"')


def counts(app: Flask) -> tuple[int, int, int]:
    """Return the campaign's count, the pledges stored and the results pages kept."""
    with app.app_context():
        db = get_session()
        count = db.scalar(sa.select(Campaign.pledge_count).where(Campaign.slug == SLUG))
        pledges = db.scalar(sa.select(sa.func.count()).select_from(Pledge))
        visits = db.scalar(sa.select(sa.func.count()).select_from(SupporterVisit))
        return int(count or 0), int(pledges or 0), int(visits or 0)


def link_on_thanks(client: FlaskClient, **fields: Any) -> str:
    response = submit_pledge(client, **fields)
    assert response.status_code == 303
    page = client.get(f"/c/{SLUG}/thanks").get_data(as_text=True)
    found = LINK.search(page)
    assert found, "the thank-you page shows a withdraw link"
    return unescape(found.group(1))


def withdraw(client: FlaskClient, link: str) -> str:
    """Open the link, check it asks first, then confirm; return the final page."""
    ask = client.get(link)
    assert ask.status_code == 200
    assert ask.headers["Cache-Control"] == "no-store"
    assert ask.headers["Referrer-Policy"] == "no-referrer"
    html = ask.get_data(as_text=True)
    assert "Withdraw your pledge?" in html
    done = client.post(link, data={"csrf_token": hidden_value(html, "csrf_token")})
    assert done.status_code == 200
    return done.get_data(as_text=True)


def test_the_link_withdraws_the_pledge_and_erases_its_data(
    app: Flask, client: FlaskClient
) -> None:
    link = link_on_thanks(client, email="amina@example.org")
    assert counts(app) == (1, 1, 1)
    assert "amina" not in link.lower()  # no personal data in the address
    page = withdraw(client, link)
    assert "Your pledge is withdrawn" in page
    assert counts(app) == (0, 0, 0)
    # The results page of this browser is gone too.
    assert client.get(f"/c/{SLUG}/thanks").status_code == 302


def test_a_repeats_link_withdraws_nothing_and_reads_the_same(
    app: Flask, client: FlaskClient, make_app: Any
) -> None:
    owner_link = link_on_thanks(client, email="amina@example.org")
    stranger = app.test_client()
    stranger_link = link_on_thanks(stranger, email="AMINA@example.org")
    assert len(stranger_link) == len(owner_link)
    stranger_page = withdraw(stranger, stranger_link)
    assert counts(app)[:2] == (1, 1)  # the owner's pledge stays
    owner_page = withdraw(client, owner_link)
    assert counts(app)[:2] == (0, 0)

    def visible(html: str) -> str:
        return re.sub(r'name="csrf_token" value="[^"]*"', "", html)

    assert visible(stranger_page) == visible(owner_page)


def test_a_made_up_or_used_link_answers_the_same(app: Flask, client: FlaskClient) -> None:
    link = link_on_thanks(client)
    first = withdraw(client, link)
    again = withdraw(client, link)
    made_up = withdraw(client, f"/c/{SLUG}/withdraw/{'x' * 32}")
    odd = withdraw(client, f"/c/{SLUG}/withdraw/%27%3B--")
    assert "Your pledge is withdrawn" in first
    for page in (again, made_up, odd):
        assert page.count("Your pledge is withdrawn") == first.count("Your pledge is withdrawn")
    assert counts(app)[:2] == (0, 0)


def test_withdrawing_needs_the_forms_csrf_token(app: Flask, client: FlaskClient) -> None:
    link = link_on_thanks(client)
    assert client.post(link).status_code == 400
    assert counts(app)[:2] == (1, 1)


def test_the_api_answer_carries_a_link_that_works(app: Flask, client: FlaskClient) -> None:
    body = client.post(API, json=pledge_fields()).get_json()
    path = "/" + body["withdraw_url"].split("/", 3)[3]
    withdraw(client, path)
    assert counts(app)[:2] == (0, 0)


def test_the_widget_thanks_with_a_link(app: Flask, client: FlaskClient) -> None:
    page = client.get(f"/c/{SLUG}/widget").get_data(as_text=True)
    data = {
        **pledge_fields(),
        "started": hidden_value(page, "started"),
        "contact_me_by_fax_only": "",
    }
    thanks = client.post(f"/c/{SLUG}/widget", data=data).get_data(as_text=True)
    found = LINK.search(thanks)
    assert found
    withdraw(client, unescape(found.group(1)))
    assert counts(app)[:2] == (0, 0)

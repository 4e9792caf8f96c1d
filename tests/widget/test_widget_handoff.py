"""From a pledge in the partner widget to its results page on our own site: "Write to your
members" hands the pledge's visit over once, with a signed, short-lived token; no cookie
in the frame, nothing personal in a URL, never a second pledge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from pages import SLUG, hidden_value, page_text, parse
from werkzeug.test import TestResponse

from advocacy.db import get_session
from advocacy.models import Campaign, Pledge, SupporterVisit
from advocacy.pledges import handoff
from advocacy.pledges.visits import new_key

WIDGET = f"/c/{SLUG}/widget"
HANDOFF = f"/c/{SLUG}/results/handoff"
THANKS = f"/c/{SLUG}/thanks"
OWN_ORIGIN = "http://localhost"  # the test client's host
REFUSED = "This button has been used or has expired"


def pledge_in_widget(client: FlaskClient, **fields: Any) -> str:
    """Pledge in the widget as the browser in the frame would; return the handoff token."""
    html = client.get(WIDGET + "?ref=partner.org").get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        "name": "Amina Tursun",
        "email": "amina@example.org",
        "zip": "98105",
        **fields,
    }
    answer = client.post(WIDGET, data=data, headers={"Origin": OWN_ORIGIN})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
    # The frame gets no cookie: the token in the page is all it holds.
    assert "Set-Cookie" not in answer.headers
    return hidden_value(answer.get_data(as_text=True), "token")


def press(client: FlaskClient, token: str, origin: str | None = OWN_ORIGIN) -> TestResponse:
    """Press "Write to your members": a top-level post, without any CSRF token."""
    headers = {"Origin": origin} if origin else {}
    return client.post(HANDOFF, data={"token": token}, headers=headers)


def visits(app: Flask) -> list[SupporterVisit]:
    with app.app_context():
        return list(get_session().scalars(sa.select(SupporterVisit)))


def pledge_count(app: Flask) -> int:
    with app.app_context():
        return int(get_session().scalar(sa.select(sa.func.count()).select_from(Pledge)) or 0)


def assert_refused(response: TestResponse) -> None:
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert REFUSED in html
    assert f'href="/c/{SLUG}#act"' in html  # where to look the members up again
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_the_button_opens_this_pledges_results_page(app: Flask) -> None:
    frame = app.test_client()
    token = pledge_in_widget(frame, city="Shoreline", note="My brother is in a camp.")
    page = frame.get(WIDGET).get_data(as_text=True)
    form = parse(
        frame.post(
            WIDGET,
            data={"started": hidden_value(page, "started"), "name": "X"},
            headers={"Origin": OWN_ORIGIN},
        ).get_data(as_text=True)
    )
    assert not form.find_all("input", name="token")  # a refused form hands nothing over

    tab = app.test_client()  # the new tab: our own site, first party
    answer = press(tab, token)
    assert answer.status_code == 303
    assert answer.headers["Location"] == THANKS + "#main"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # Nothing typed in a URL, nor the token.
    assert token not in answer.headers["Location"]

    results = tab.get(THANKS)
    assert results.status_code == 200
    html = results.get_data(as_text=True)
    assert "Thank you, Amina Tursun!" in html
    sections = parse(html).by_class("member")
    assert len(sections) == 3  # WA-7's representative and both senators, each a letter
    letter = sections[0].one("textarea").text()
    assert "My brother is in a camp." in letter
    assert letter.rstrip().endswith("Amina Tursun\nShoreline, WA 98105")
    # One pledge, made in the widget: the handoff made none.
    assert pledge_count(app) == 1


def test_a_token_works_once(app: Flask) -> None:
    token = pledge_in_widget(app.test_client())
    first = app.test_client()
    assert press(first, token).status_code == 303
    [moved] = visits(app)
    # Replayed, in any browser, it finds nothing: the visit has a new id.
    assert_refused(press(app.test_client(), token))
    assert_refused(press(first, token))
    assert [visit.id for visit in visits(app)] == [moved.id]
    # The browser it was handed to keeps its page.
    assert first.get(THANKS).status_code == 200
    assert pledge_count(app) == 1


def test_an_expired_token_is_refused(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    issued = 1_800_000_000.0
    monkeypatch.setattr(handoff, "now", lambda: issued)
    token = pledge_in_widget(app.test_client())
    monkeypatch.setattr(handoff, "now", lambda: issued + handoff.MAX_AGE_SECONDS + 1)
    assert_refused(press(app.test_client(), token))
    monkeypatch.setattr(handoff, "now", lambda: issued + handoff.MAX_AGE_SECONDS)
    assert press(app.test_client(), token).status_code == 303


def test_an_unused_visit_lapses_with_its_token_and_a_used_one_lives_days(app: Flask) -> None:
    token = pledge_in_widget(app.test_client())
    [waiting] = visits(app)
    lifetime = waiting.expires_at.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(minutes=9) < lifetime <= timedelta(minutes=10)
    press(app.test_client(), token)
    [used] = visits(app)
    assert used.expires_at.replace(tzinfo=UTC) - datetime.now(UTC) > timedelta(days=2)


def test_a_visit_that_has_lapsed_is_not_handed_over(app: Flask) -> None:
    token = pledge_in_widget(app.test_client())
    with app.app_context():
        db = get_session()
        db.execute(sa.update(SupporterVisit).values(expires_at=datetime.now(UTC)))
        db.commit()
    assert_refused(press(app.test_client(), token))


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: "",
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not.a.token",
        # The real payload (the same visit), signed with another key.
        lambda token: URLSafeSerializer("another-secret", salt=handoff.SALT).dumps(
            URLSafeSerializer("another-secret", salt=handoff.SALT).loads_unsafe(token)[1]
        ),
    ],
    ids=["empty", "tampered", "garbage", "other-secret"],
)
def test_a_forged_token_is_refused(app: Flask, forge: Any) -> None:
    token = pledge_in_widget(app.test_client())
    assert_refused(press(app.test_client(), forge(token)))
    # The real one still works: nothing was spent by the forgery.
    assert press(app.test_client(), token).status_code == 303


def test_a_token_signed_with_our_salt_but_another_shape_is_refused(app: Flask) -> None:
    serializer = URLSafeSerializer(app.config["SECRET_KEY"], salt=handoff.SALT)
    for payload in ("visit", [1, 2, 3], [1, "id"], [1, "id", 3], {"visit": "id"}, None):
        assert_refused(press(app.test_client(), serializer.dumps(payload)))


def test_another_campaigns_token_is_refused(app: Flask) -> None:
    token = pledge_in_widget(app.test_client())
    [visit] = visits(app)
    with app.app_context():
        campaign_id = get_session().scalar(sa.select(Campaign.id).where(Campaign.slug == SLUG))
        assert campaign_id is not None
        other = handoff.issue_token(app.config["SECRET_KEY"], campaign_id + 1, visit.id, new_key())
    assert_refused(press(app.test_client(), other))
    assert press(app.test_client(), token).status_code == 303


def test_a_post_from_another_site_is_refused(app: Flask) -> None:
    token = pledge_in_widget(app.test_client())
    assert_refused(press(app.test_client(), token, origin="https://attacker.example"))
    assert press(app.test_client(), token).status_code == 303


def test_the_handoff_is_rate_limited(make_app: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_WRITE="3 per minute")
    token = pledge_in_widget(app.test_client())
    client = app.test_client()
    for _ in range(3):
        assert press(client, "forged").status_code == 400
    assert press(client, token).status_code == 429
    assert "Set-Cookie" not in press(client, token).headers


def test_the_refusal_page_says_what_to_do(app: Flask) -> None:
    text = page_text(press(app.test_client(), "").get_data(as_text=True))
    assert "works once, for 10 minutes" in text
    assert "your name will not be counted twice" in text.lower()

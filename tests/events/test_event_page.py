"""An event's public page (/e/<code>): the event and the campaign's ask with the pledge
form; its pledges attributed to the event by the server, whatever the form says."""

from __future__ import annotations

import sqlalchemy as sa
from event_pages import add_event, pledge_through_event
from flask import Flask
from flask.testing import FlaskClient
from inbox import confirm_waiting
from pages import SLUG, hidden_value, page_text, parse, pledge_fields, submit_pledge

from advocacy.campaigns.service import get_campaign
from advocacy.db import get_session
from advocacy.models import Pledge
from advocacy.organizers.stats import by_ref


def _refs(app: Flask) -> list[str]:
    with app.app_context():
        return list(get_session().scalars(sa.select(Pledge.ref).order_by(Pledge.id)))


def test_event_page_shows_the_event_and_the_ask_and_takes_a_pledge(
    app: Flask, client: FlaskClient
) -> None:
    code = add_event(app, name="Baren remembrance evening", place="Kane Hall, Seattle")
    page = client.get(f"/e/{code}")
    assert page.status_code == 200
    text = page_text(page.get_data(as_text=True))
    assert "Baren remembrance evening" in text and "Kane Hall, Seattle" in text
    assert "to" in text and ", US Pacific time" in text
    form = parse(page.get_data(as_text=True)).one("form", class_="pledge-form")
    assert form.attrs["action"] == f"/e/{code}#act"
    assert form.attrs["data-token-url"] == f"/e/{code}/form-token"

    response = pledge_through_event(client, code, email="at-the-event@example.org")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/c/{SLUG}/thanks#main")
    assert _refs(app) == [f"event-{code}"]
    # The results page is the campaign's, with the supporter's letters.
    assert "Thank you" in page_text(
        client.get(response.headers["Location"]).get_data(as_text=True)
    )


def test_a_posted_ref_cannot_move_a_pledge_to_a_partner_or_another_event(
    app: Flask, client: FlaskClient
) -> None:
    code = add_event(app)
    other = add_event(app, name="Another evening")
    response = pledge_through_event(client, code, email="a@example.org", ref=f"event-{other}")
    assert response.status_code == 303
    response = pledge_through_event(client, code, email="b@example.org", ref="uhrp")
    assert response.status_code == 303
    assert _refs(app) == [f"event-{code}", f"event-{code}"]


def test_the_short_address_is_read_in_any_case(app: Flask, client: FlaskClient) -> None:
    code = add_event(app)
    response = client.get(f"/e/{code.lower()}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/e/{code}"
    # A post to the lower-case address is the event's too.
    page = client.get(f"/e/{code}").get_data(as_text=True)
    token = client.get(f"/e/{code.lower()}/form-token").get_json()["started"]
    data = {"started": token, "ref": hidden_value(page, "ref"), **pledge_fields()}
    assert client.post(f"/e/{code.lower()}", data=data).status_code == 303
    assert _refs(app) == [f"event-{code}"]


def test_an_unknown_code_is_not_found(client: FlaskClient) -> None:
    for path in ("/e/ZZZZZZ", "/e/ZZZZZZ/form-token", "/e/not-a-code", "/e/0O1IL0"):
        assert client.get(path).status_code == 404, path
    assert client.post("/e/ZZZZZZ", data=pledge_fields()).status_code == 404


def test_another_forms_token_does_not_open_the_events_form(
    app: Flask, client: FlaskClient
) -> None:
    code = add_event(app)
    other = add_event(app, name="Another evening")
    campaign_token = hidden_value(client.get(f"/c/{SLUG}").get_data(as_text=True), "started")
    other_token = client.get(f"/e/{other}/form-token").get_json()["started"]
    for token in (campaign_token, other_token):
        response = client.post(f"/e/{code}", data={"started": token, **pledge_fields()})
        assert response.status_code == 422
        assert "send it again" in page_text(response.get_data(as_text=True))
        # The form comes back on the event's page, kept, to send again.
        assert hidden_value(response.get_data(as_text=True), "email") == "amina@example.org"
    assert _refs(app) == []


def test_a_field_error_comes_back_beside_the_field_on_the_events_page(
    app: Flask, client: FlaskClient
) -> None:
    code = add_event(app)
    response = pledge_through_event(client, code, email="not-an-address")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "email address like name@example.org" in parse(html).by_id("email-error").text()
    assert "Baren remembrance evening" in page_text(html)


def test_event_pledges_count_once_confirmed_apart_from_direct_ones(
    app: Flask, client: FlaskClient
) -> None:
    code = add_event(app)
    for n in range(3):
        assert pledge_through_event(client, code, email=f"e{n}@example.org").status_code == 303
    assert submit_pledge(client, email="direct@example.org").status_code == 303
    assert confirm_waiting(app) == 4
    with app.app_context():
        campaign = get_campaign(get_session(), SLUG)
        assert campaign is not None
        assert dict(by_ref(get_session(), campaign.id)) == {f"event-{code}": 3, "": 1}

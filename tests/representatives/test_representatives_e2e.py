"""From the campaign form to the supporter's members, against a fake Census Geocoder over HTTP."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from data_files import a_vacancy, delegation, holder, holder_record, senator_records, senators
from fake_census import FakeCensus, running_fake_census
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, hidden_value, parse, submit_pledge
from werkzeug.test import TestResponse

from advocacy.congress.states import state_name
from advocacy.db import get_session
from advocacy.models import Pledge

THANKS = f"/c/{SLUG}/thanks"

SEATTLE_ADDRESS = {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98101"}
# Who sits for WA-7 and Washington, as the shipped snapshot has it.
WA_7 = delegation("WA", 7)
WA_SENATORS = senators("WA")


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with running_fake_census() as fake:
        yield fake


@pytest.fixture
def app(make_app: Any, census: FakeCensus) -> Flask:
    flask_app: Flask = make_app(GEOCODER_URL=census.base_url, GEOCODER_TIMEOUT=1)
    return flask_app


def pledge_and_follow(client: FlaskClient, **fields: Any) -> tuple[TestResponse, str]:
    """Send the campaign form; check the redirect carries nothing personal; load the page."""
    response = submit_pledge(client, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert_clean_location(response, fields)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return response, page.get_data(as_text=True)


def assert_clean_location(response: TestResponse, fields: dict[str, Any]) -> None:
    location = response.headers["Location"]
    assert location == THANKS + "#main"
    for value in ("Amina", "Tursun", "amina", "example.org", *map(str, fields.values())):
        if not value.isdigit() and len(value) > 2:  # a ZIP or state may be in a slug by chance
            assert value.lower() not in location.lower()


def member_names(html: str) -> list[str]:
    """Return the names in the members' headings, in page order."""
    headings = [
        h.text() for h in parse(html).find_all("h3") if h.attrs.get("id", "").startswith("member-")
    ]
    return [
        re.sub(r"^(Representative|Senator|Delegate|Resident Commissioner) ", "", h)
        for h in headings
    ]


def pledges(app: Flask) -> list[Pledge]:
    with app.app_context():
        return list(get_session().scalars(sa.select(Pledge).order_by(Pledge.id)))


# The address finds the three members.


def test_street_address_in_a_multi_district_zip_finds_all_three(
    app: Flask, client: FlaskClient, census: FakeCensus
) -> None:
    _response, html = pledge_and_follow(client, **SEATTLE_ADDRESS)
    assert member_names(html) == WA_7
    assert html.count('<section class="member"') == 3
    # Phone and website links that work on a phone, as the snapshot records them.
    house = holder_record("WA", 7)
    assert house is not None
    for member in (house, *senator_records("WA")):
        assert f'href="{member.tel}"' in html, member.name
        assert f'href="{member.url}"' in html, member.name
        if member.contact_form:
            assert f'href="{member.contact_form}"' in html, member.name
    assert house.office is not None and house.office in html
    # The matched address, so the supporter can spot a wrong match.
    assert "400 BROAD ST, SEATTLE, WA, 98109" in html
    # The notice invites a correction, and the form to make it is there.
    assert "If that is not your address, correct it below." in html
    assert "Not your address? Correct it here" in html
    assert 'action="/c/uyghur-policy-act/thanks#address"' in html
    # The pledge remembers where the supporter votes.
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("WA", 7)
    # The fake was asked once, with the address as typed.
    ((path, query),) = census.requests
    assert path == "/geocoder/geographies/address"
    assert query["street"] == ["400 Broad St"]
    assert query["zip"] == ["98101"]
    assert query["benchmark"] == ["Public_AR_Current"]


def test_the_same_address_from_another_supporter_is_looked_up_again(
    app: Flask, census: FakeCensus
) -> None:
    # Nothing is kept between supporters (test_geocode_cache_privacy.py): the second one
    # goes the same way as the first, to the Census, and gets the same answer.
    first = app.test_client()
    pledge_and_follow(first, **SEATTLE_ADDRESS)
    assert len(census.requests) == 1

    second = app.test_client()
    _response, html = pledge_and_follow(
        second,
        name="Dilnur Ablikim",
        email="dilnur@example.org",
        **{**SEATTLE_ADDRESS, "street": "400 BROAD ST."},
    )
    assert len(census.requests) == 2
    assert member_names(html) == WA_7
    assert "400 BROAD ST, SEATTLE, WA, 98109" in html
    assert [(p.state, p.district) for p in pledges(app)] == [("WA", 7), ("WA", 7)]


# The geocoder fails: the ZIP answers, the pledge is kept.


@pytest.mark.parametrize("mode", ["error500", "html", "slow"])
def test_geocoder_failure_falls_back_to_the_zip(
    app: Flask, client: FlaskClient, census: FakeCensus, mode: Any
) -> None:
    census.mode = mode
    _response, html = pledge_and_follow(client, **SEATTLE_ADDRESS)
    assert "is not answering right now, so we used your ZIP code instead" in html
    assert "crosses district lines" in html
    # The senators, and no guessed House member.
    assert member_names(html) == WA_SENATORS
    for seat in (("WA", 7), ("WA", 9)):
        candidate = holder_record(*seat)
        assert candidate is not None
        assert f'id="member-{candidate.bioguide}"' not in html
        assert f'value="{candidate.bioguide}"' not in html  # no letter to them either
    # The supporter can try the address again.
    assert 'action="/c/uyghur-policy-act/thanks#address"' in html
    # The pledge is recorded, with what is known.
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district, pledge.zip) == ("WA", None, "98101")
    assert len(census.requests) == 1  # one quick try, no retries


def test_geocoder_failure_in_a_single_district_zip_still_finds_all_three(
    app: Flask, client: FlaskClient, census: FakeCensus
) -> None:
    census.mode = "error500"
    _response, html = pledge_and_follow(client, **{**SEATTLE_ADDRESS, "zip": "98105"})
    assert "so we found your district from your ZIP code 98105 instead" in html
    assert member_names(html) == WA_7
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("WA", 7)


def test_after_a_failure_the_next_supporter_does_not_wait(app: Flask, census: FakeCensus) -> None:
    census.mode = "slow"
    pledge_and_follow(app.test_client(), **SEATTLE_ADDRESS)
    census.mode = "ok"
    _response, html = pledge_and_follow(
        app.test_client(), email="second@example.org", **SEATTLE_ADDRESS
    )
    assert len(census.requests) == 1
    assert "we used your ZIP code instead" in html
    assert len(pledges(app)) == 2


def test_unmatched_address_says_so_and_uses_the_zip(client: FlaskClient) -> None:
    _response, html = pledge_and_follow(
        client, **{**SEATTLE_ADDRESS, "street": "1 Nowhere Pl", "zip": "98105"}
    )
    assert (
        "We could not match your street address, so we found your district from your "
        "ZIP code 98105 instead" in html
    )
    assert member_names(html) == WA_7


def test_an_address_in_water_uses_the_zip(client: FlaskClient) -> None:
    _response, html = pledge_and_follow(
        client, street="2600 Fairview Ave E", city="Seattle", state="WA", zip="98102"
    )
    assert "We could not match your street address" in html
    assert member_names(html) == WA_7


def test_no_address_reaches_the_logs(
    client: FlaskClient, census: FakeCensus, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    census.mode = "error500"
    street = "400 Broad St"
    pledge_and_follow(client, **{**SEATTLE_ADDRESS, "street": street})
    assert any("geocoder" in record.getMessage() for record in caplog.records)
    assert "Broad" not in caplog.text
    assert "amina@example.org" not in caplog.text


# A ZIP alone, then the street address on the results page.


def test_multi_district_zip_asks_for_the_street_and_then_finds_the_member(
    app: Flask, client: FlaskClient, census: FakeCensus
) -> None:
    _response, html = pledge_and_follow(client, zip="98101", city="Seattle", state="WA")
    assert census.requests == []
    assert member_names(html) == WA_SENATORS
    assert "Your ZIP code 98101 crosses district lines" in html
    assert "WA-7" in html and "WA-9" in html
    assert 'action="/c/uyghur-policy-act/thanks#address"' in html
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("WA", None)

    refined = client.post(
        THANKS,
        data={
            "csrf_token": hidden_value(html, "csrf_token"),
            "street": "400 Broad St",
            "city": "Seattle",
            "state": "WA",
            "zip": "98101",
        },
    )
    assert refined.status_code == 303
    assert refined.headers["Location"] == THANKS + "#main"
    html = client.get(THANKS).get_data(as_text=True)
    assert member_names(html) == WA_7
    assert "400 BROAD ST, SEATTLE, WA, 98109" in html
    assert "crosses district lines" not in html
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("WA", 7)
    assert len(census.requests) == 1


def test_refine_without_a_street_is_422_and_keeps_the_page(
    app: Flask, client: FlaskClient
) -> None:
    _response, html = pledge_and_follow(client, zip="98101", state="WA")
    response = client.post(
        THANKS,
        data={"csrf_token": hidden_value(html, "csrf_token"), "street": "", "zip": "98101"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please enter your street address." in page
    assert member_names(page) == WA_SENATORS


def test_refine_without_a_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    pledge_and_follow(client, zip="98101", state="WA")
    response = client.post(THANKS, data={"street": "400 Broad St", "zip": "98101"})
    assert response.status_code == 400
    (pledge,) = pledges(app)
    assert pledge.district is None


def test_refine_when_the_geocoder_is_down_keeps_the_pledge_as_it_was(
    app: Flask, client: FlaskClient, census: FakeCensus
) -> None:
    _response, html = pledge_and_follow(client, zip="98101", state="WA")
    census.mode = "error500"
    refined = client.post(
        THANKS,
        data={"csrf_token": hidden_value(html, "csrf_token"), **SEATTLE_ADDRESS},
    )
    assert refined.status_code == 303
    html = client.get(THANKS).get_data(as_text=True)
    assert "is not answering right now" in html
    assert member_names(html) == WA_SENATORS
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("WA", None)


def test_zip_only_in_one_district_needs_no_geocoder(
    app: Flask, client: FlaskClient, census: FakeCensus
) -> None:
    _response, html = pledge_and_follow(client, zip="98105", state="WA")
    assert census.requests == []
    assert member_names(html) == WA_7
    assert "We found your district from your ZIP code 98105." in html
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("WA", 7)


# DC, territories, at-large and vacant seats on the page.


def test_dc_address_shows_the_delegate_and_says_there_are_no_senators(
    app: Flask, client: FlaskClient
) -> None:
    _response, html = pledge_and_follow(
        client, street="1600 Pennsylvania Ave NW", city="Washington", state="DC", zip="20500"
    )
    assert member_names(html) == [holder("DC", 0)]
    assert f"Delegate {holder('DC', 0)}" in html
    assert "District of Columbia has a non-voting member of the House and no senators" in html
    assert "Senator " not in html
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("DC", 0)


def test_dc_address_with_the_geocoder_down_falls_back_to_the_state(
    app: Flask, client: FlaskClient, census: FakeCensus
) -> None:
    # 20500 is a real ZIP but no ZCTA: without the geocoder, the state is what we know.
    census.mode = "error500"
    _response, html = pledge_and_follow(
        client, street="1600 Pennsylvania Ave NW", city="Washington", state="DC", zip="20500"
    )
    assert "is not answering right now, so we used your state instead" in html
    assert member_names(html) == [holder("DC", 0)]
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("DC", 0)


def test_non_zcta_zip_with_the_geocoder_down_shows_the_senators(
    app: Flask, client: FlaskClient, census: FakeCensus
) -> None:
    census.mode = "slow"
    _response, html = pledge_and_follow(
        client, street="1 Federal Plaza", city="Seattle", state="WA", zip="98111"
    )
    assert "we used your state instead" in html
    assert "ZIP code 98111 is not in our list of ZIP code areas" in html
    assert (
        "Your senators are listed below; try your street address again below in a few "
        "minutes to find your House member" in html
    )
    assert member_names(html) == WA_SENATORS
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district, pledge.zip) == ("WA", None, "98111")


def test_dc_zip_without_the_geocoder(app: Flask, client: FlaskClient) -> None:
    _response, html = pledge_and_follow(client, zip="20001", city="Washington", state="DC")
    assert member_names(html) == [holder("DC", 0)]
    assert "no senators" in html


def test_guam_zip_shows_the_delegate(app: Flask, client: FlaskClient) -> None:
    _response, html = pledge_and_follow(client, zip="96910", city="Hagåtña", state="GU")
    assert member_names(html) == [holder("GU", 0)]
    assert "Guam has a non-voting member of the House and no senators" in html
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("GU", 0)


def test_at_large_address(app: Flask, client: FlaskClient) -> None:
    _response, html = pledge_and_follow(
        client, street="200 W 24th St", city="Cheyenne", state="WY", zip="82001"
    )
    assert member_names(html) == delegation("WY", 0)
    assert "(at large)" in html
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == ("WY", 0)


def test_vacant_seat_is_said_and_the_senators_shown(app: Flask, client: FlaskClient) -> None:
    zip5, (state, district) = a_vacancy()
    _response, html = pledge_and_follow(client, zip=zip5, city="Springfield", state=state)
    seat = f"{state_name(state)} district {district}" if district else state_name(state)
    assert f"The House seat for {seat} is vacant right now" in html
    assert member_names(html) == senators(state)
    (pledge,) = pledges(app)
    assert (pledge.state, pledge.district) == (state, district)


# Input the look-up cannot place.


def test_unknown_zip_keeps_the_form_with_a_message(
    app: Flask, client: FlaskClient, census: FakeCensus
) -> None:
    response = submit_pledge(client, zip="00000", state="WA")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "We could not find ZIP code 00000" in html
    assert 'value="Amina Tursun"' in html  # nothing typed is lost
    assert pledges(app) == []


def test_state_disagreeing_with_the_zip_keeps_the_form(app: Flask, client: FlaskClient) -> None:
    response = submit_pledge(client, zip="98101", state="OR")
    assert response.status_code == 422
    assert "ZIP code 98101 is in Washington, not Oregon" in response.get_data(as_text=True)
    assert pledges(app) == []

"""GET /api/v1/representatives?zip= and POST /api/v1/representatives, through the test client."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from data_files import (
    a_vacancy,
    delegation,
    geocoder_text,
    holder,
    holder_record,
    senator_records,
    senators,
)
from fake_census import answer_for
from flask import Flask
from flask.testing import FlaskClient
from requests import PreparedRequest

GEOCODER = "http://geocoder.test/geocoder"
ADDRESS_URL = f"{GEOCODER}/geographies/address"
ONELINE_URL = f"{GEOCODER}/geographies/onelineaddress"

ANSWER_KEYS = {"match", "state", "district", "legislators"}
# Beyond the documented keys, the answer says how it was found (for the page's notice).
EXTRA_KEYS = {"fallback", "vacant", "congress", "pending", "map_changed", "map_changes_on"}
LEGISLATOR_KEYS = {
    "bioguide",
    "name",
    "chamber",
    "state",
    "district",
    "party",
    "phone",
    "url",
    "contact_form",
    "address",
}


@pytest.fixture
def app(make_app: Any) -> Flask:
    flask_app: Flask = make_app(GEOCODER_URL=GEOCODER)
    return flask_app


@pytest.fixture
def census() -> Iterator[responses.RequestsMock]:
    """The Census Geocoder; any request not registered fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def recorded(census: responses.RequestsMock, url: str, stem: str) -> None:
    """Serve a recorded Census answer, on the map of the Congress the request asks for."""

    def reply(request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        layer = parse_qs(urlsplit(request.url or "").query).get("layers", [""])[0]
        return 200, {}, json.dumps(answer_for(stem, layer))

    census.add_callback(responses.GET, url, callback=reply, content_type="application/json")


def by_zip(client: FlaskClient, zip5: str) -> Any:
    return client.get("/api/v1/representatives", query_string={"zip": zip5})


def post(client: FlaskClient, body: Any) -> Any:
    return client.post("/api/v1/representatives", json=body)


def assert_error(response: Any, status: int, fields: set[str]) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body: dict[str, Any] = response.get_json()
    assert set(body) == {"error", "fields"}
    assert isinstance(body["error"], str) and body["error"]
    assert set(body["fields"]) == fields
    for message in body["fields"].values():
        assert isinstance(message, str) and message
    return body


# GET by ZIP.


def test_zip_in_one_district(client: FlaskClient) -> None:
    response = by_zip(client, "98105")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == ANSWER_KEYS | EXTRA_KEYS
    assert body["match"] == "zip"
    assert (body["state"], body["district"]) == ("WA", 7)
    assert body["fallback"] is None and body["vacant"] is False
    members = body["legislators"]
    assert [set(m) for m in members] == [LEGISLATOR_KEYS] * 3
    # Every field as the snapshot records the seat's holder.
    house = holder_record("WA", 7)
    assert house is not None
    assert members[0] == {
        "bioguide": house.bioguide,
        "name": house.name,
        "chamber": "house",
        "state": "WA",
        "district": 7,
        "party": house.party,
        "phone": house.phone,
        "url": house.url,
        "contact_form": house.contact_form,
        "address": house.address,
    }
    assert [(m["name"], m["chamber"], m["district"]) for m in members[1:]] == [
        (name, "senate", None) for name in senators("WA")
    ]
    assert [m["bioguide"] for m in members[1:]] == [s.bioguide for s in senator_records("WA")]
    assert [m["contact_form"] for m in members[1:]] == [
        s.contact_form for s in senator_records("WA")
    ]


def test_zip_plus_four_is_accepted(client: FlaskClient) -> None:
    body = by_zip(client, "98105-1234").get_json()
    assert (body["state"], body["district"]) == ("WA", 7)


def test_zip_spanning_districts(client: FlaskClient) -> None:
    response = by_zip(client, "98101")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == ANSWER_KEYS | EXTRA_KEYS | {"candidates"}
    assert (body["match"], body["state"], body["district"]) == ("zip", "WA", None)
    assert body["candidates"] == [{"state": "WA", "district": 7}, {"state": "WA", "district": 9}]
    assert [m["chamber"] for m in body["legislators"]] == ["senate", "senate"]


def test_zip_spanning_states(client: FlaskClient) -> None:
    body = by_zip(client, "02861").get_json()
    assert (body["state"], body["district"]) == (None, None)
    assert body["candidates"] == [{"state": "MA", "district": 4}, {"state": "RI", "district": 1}]
    assert body["legislators"] == []


def test_dc_zip_gives_the_delegate(client: FlaskClient) -> None:
    body = by_zip(client, "20001").get_json()
    assert (body["state"], body["district"]) == ("DC", 0)
    assert [(m["name"], m["chamber"]) for m in body["legislators"]] == [(holder("DC", 0), "house")]


def test_vacant_seat(client: FlaskClient) -> None:
    zip5, (state, district) = a_vacancy()
    body = by_zip(client, zip5).get_json()
    assert (body["state"], body["district"], body["vacant"]) == (state, district, True)
    assert [m["chamber"] for m in body["legislators"]] == ["senate", "senate"]


def test_zip_matching_no_district_is_422(client: FlaskClient) -> None:
    body = assert_error(by_zip(client, "00000"), 422, {"zip"})
    assert "00000" in body["fields"]["zip"]


@pytest.mark.parametrize("zip5", ["abc", "1234", "", "123456", "98101-12", "9810 1"])
def test_malformed_zip_is_422(client: FlaskClient, zip5: str) -> None:
    assert_error(by_zip(client, zip5), 422, {"zip"})


def test_missing_zip_is_422(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/representatives"), 422, {"zip"})


def test_zip_lookup_never_calls_the_geocoder(
    client: FlaskClient, census: responses.RequestsMock
) -> None:
    assert by_zip(client, "98105").status_code == 200
    assert len(census.calls) == 0


# POST by address.


def test_post_oneline_address(client: FlaskClient, census: responses.RequestsMock) -> None:
    recorded(census, ONELINE_URL, "match_austin")
    response = post(client, {"address": "1100 Congress Ave, Austin, TX 78701"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == ANSWER_KEYS | EXTRA_KEYS | {"matched_address"}
    assert (body["match"], body["state"], body["district"]) == ("address", "TX", 37)
    assert body["matched_address"] == "1100 CONGRESS AVE, AUSTIN, TX, 78701"
    assert [m["name"] for m in body["legislators"]] == delegation("TX", 37)
    assert all(set(m) == LEGISLATOR_KEYS for m in body["legislators"])
    (call,) = census.calls
    query = parse_qs(urlsplit(str(call.request.url)).query)
    assert query["address"] == ["1100 Congress Ave, Austin, TX 78701"]
    assert query["benchmark"] == ["Public_AR_Current"]
    assert query["layers"][0].endswith("th Congressional Districts")


def test_post_address_fields(client: FlaskClient, census: responses.RequestsMock) -> None:
    recorded(census, ADDRESS_URL, "match_seattle")
    response = post(
        client, {"street": "400 Broad St", "city": "Seattle", "state": "wa", "zip": "98101"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["match"], body["state"], body["district"]) == ("address", "WA", 7)
    assert "candidates" not in body  # the address settled the multi-district ZIP
    assert [m["name"] for m in body["legislators"]] == delegation("WA", 7)
    (call,) = census.calls
    query = parse_qs(urlsplit(str(call.request.url)).query)
    assert query["street"] == ["400 Broad St"]
    assert query["city"] == ["Seattle"]
    assert query["state"] == ["WA"]
    assert query["zip"] == ["98101"]


def test_post_same_address_again_asks_the_census_again(
    client: FlaskClient, census: responses.RequestsMock
) -> None:
    # No answer is kept between look-ups: a quicker second answer would tell anyone that
    # the address had been looked up (tests/representatives/test_geocode_cache_privacy.py).
    recorded(census, ONELINE_URL, "match_austin")
    first = post(client, {"address": "1100 Congress Ave, Austin, TX 78701"})
    second = post(client, {"address": "1100 congress ave., austin tx 78701"})
    assert len(census.calls) == 2
    assert second.get_json() == first.get_json()


def test_post_at_large_address(client: FlaskClient, census: responses.RequestsMock) -> None:
    recorded(census, ADDRESS_URL, "at_large_alaska")
    body = post(
        client, {"street": "120 4th St", "city": "Juneau", "state": "AK", "zip": "99801"}
    ).get_json()
    assert (body["match"], body["state"], body["district"]) == ("address", "AK", 0)
    assert [m["chamber"] for m in body["legislators"]] == ["house", "senate", "senate"]


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 503, "body": "Service Unavailable"},
        {"status": 200, "body": geocoder_text("error_page.html"), "content_type": "text/html"},
        {"status": 200, "body": '{"result": {"addressMa', "content_type": "application/json"},
    ],
    ids=["5xx", "html-page", "malformed-json"],
)
def test_post_falls_back_to_the_zip_when_the_geocoder_fails(
    client: FlaskClient, census: responses.RequestsMock, answer: dict[str, Any]
) -> None:
    census.add(responses.GET, ADDRESS_URL, **answer)
    response = post(
        client, {"street": "400 Broad St", "city": "Seattle", "state": "WA", "zip": "98101"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["match"], body["fallback"]) == ("zip", "geocoder_unavailable")
    assert (body["state"], body["district"]) == ("WA", None)
    assert [m["chamber"] for m in body["legislators"]] == ["senate", "senate"]


def test_post_no_match_falls_back_to_the_zip(
    client: FlaskClient, census: responses.RequestsMock
) -> None:
    recorded(census, ADDRESS_URL, "no_match")
    body = post(
        client, {"street": "1 Nowhere Rd", "city": "Austin", "state": "TX", "zip": "78701"}
    ).get_json()
    assert (body["match"], body["fallback"]) == ("zip", "address_not_found")
    assert (body["state"], body["district"]) == ("TX", 37)


def test_post_zip_only(client: FlaskClient, census: responses.RequestsMock) -> None:
    body = post(client, {"zip": "82001"}).get_json()
    assert (body["match"], body["state"], body["district"]) == ("zip", "WY", 0)
    assert len(census.calls) == 0


def test_post_zip_as_a_number_is_read_as_digits(client: FlaskClient) -> None:
    body = post(client, {"zip": 98105}).get_json()
    assert (body["state"], body["district"]) == ("WA", 7)


def test_post_state_only_gives_the_senators(client: FlaskClient) -> None:
    body = post(client, {"state": "TX"}).get_json()
    assert (body["match"], body["state"], body["district"]) == ("state", "TX", None)
    assert [m["name"] for m in body["legislators"]] == senators("TX")


def test_post_unknown_zip_is_422(client: FlaskClient) -> None:
    assert_error(post(client, {"zip": "00000"}), 422, {"zip"})


def test_post_state_disagreeing_with_zip_is_422(client: FlaskClient) -> None:
    assert_error(post(client, {"zip": "98101", "state": "OR"}), 422, {"zip"})


@pytest.mark.parametrize("state", ["XX", "Washington", "W"])
def test_post_unknown_state_is_422(client: FlaskClient, state: str) -> None:
    assert_error(post(client, {"zip": "98101", "state": state}), 422, {"state"})


@pytest.mark.parametrize("zip5", ["abc", "1234", "123456"])
def test_post_malformed_zip_is_422(client: FlaskClient, zip5: str) -> None:
    assert_error(post(client, {"zip": zip5, "state": "WA"}), 422, {"zip"})


def test_post_empty_object_is_422(client: FlaskClient) -> None:
    assert_error(post(client, {}), 422, {"address"})


def test_post_street_without_zip_or_state_is_422(client: FlaskClient) -> None:
    assert_error(post(client, {"street": "400 Broad St", "city": "Seattle"}), 422, {"address"})


def test_post_oneline_unmatched_without_zip_is_422(
    client: FlaskClient, census: responses.RequestsMock
) -> None:
    recorded(census, ONELINE_URL, "no_match")
    assert_error(post(client, {"address": "400 Broad St, Seattle"}), 422, {"address"})


def test_post_form_encoded_is_415(client: FlaskClient) -> None:
    response = client.post("/api/v1/representatives", data={"zip": "98105"})
    assert_error(response, 415, set())


@pytest.mark.parametrize("body", ['["98105"]', '"98105"', "98105", "null", "{not json"])
def test_post_non_object_json_is_400(client: FlaskClient, body: str) -> None:
    response = client.post("/api/v1/representatives", data=body, content_type="application/json")
    assert_error(response, 400, set())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"zip": ["98105"]}, "zip"),
        ({"zip": True}, "zip"),
        ({"address": {"street": "400 Broad St"}}, "address"),
        ({"zip": "98105", "state": 53}, "state"),
        ({"zip": "98105", "street": ["400 Broad St"]}, "street"),
    ],
)
def test_post_wrong_types_are_422(client: FlaskClient, body: dict[str, Any], field: str) -> None:
    assert_error(post(client, body), 422, {field})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"address": "1 Main St, " + "x" * 400 + ", WA 98101"}, "address"),
        ({"street": "1" * 500, "zip": "98101"}, "street"),
        ({"street": "1 Main St", "city": "x" * 500, "zip": "98101"}, "city"),
    ],
)
def test_post_oversized_fields_are_422(
    client: FlaskClient, census: responses.RequestsMock, body: dict[str, Any], field: str
) -> None:
    assert_error(post(client, body), 422, {field})
    assert len(census.calls) == 0


def test_oversized_body_is_413_json(client: FlaskClient) -> None:
    response = post(client, {"address": "x" * 100_000})
    assert response.status_code == 413
    assert response.is_json
    assert set(response.get_json()) == {"error", "fields"}


def test_get_does_not_accept_an_address(
    client: FlaskClient, census: responses.RequestsMock
) -> None:
    # An address is personal data and must not travel in a URL: the GET only reads a ZIP.
    response = client.get(
        "/api/v1/representatives",
        query_string={"address": "400 Broad St, Seattle, WA 98101", "street": "400 Broad St"},
    )
    assert_error(response, 422, {"zip"})
    assert len(census.calls) == 0


def test_no_address_in_the_logs_when_the_geocoder_fails(
    client: FlaskClient, census: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    census.get(ADDRESS_URL, status=500)
    caplog.set_level(logging.INFO)
    street = "4821 Unusualname Blvd"
    response = post(client, {"street": street, "city": "Seattle", "state": "WA", "zip": "98101"})
    assert response.status_code == 200
    assert any("geocoder" in record.getMessage() for record in caplog.records)
    assert "Unusualname" not in caplog.text


def test_member_data_unavailable_is_503(make_app: Any, tmp_path: Any) -> None:
    app = make_app(GEOCODER_URL=GEOCODER, LEGISLATORS_PATH=str(tmp_path / "absent.json"))
    response = by_zip(app.test_client(), "98105")
    assert_error(response, 503, set())


# Rate limit.


def test_rate_limit_answers_429_in_the_error_shape(make_app: Any) -> None:
    app = make_app(GEOCODER_URL=GEOCODER, RATELIMIT_ENABLED=True, RATELIMIT_LOOKUP="2 per minute")
    client = app.test_client()
    assert by_zip(client, "98105").status_code == 200
    assert by_zip(client, "98101").status_code == 200
    response = by_zip(client, "98105")
    body = assert_error(response, 429, set())
    assert "wait" in body["error"]
    assert int(response.headers["Retry-After"]) > 0


def test_rate_limited_answers_say_what_is_left_and_unlimited_ones_do_not(make_app: Any) -> None:
    app = make_app(GEOCODER_URL=GEOCODER, RATELIMIT_ENABLED=True, RATELIMIT_LOOKUP="5 per minute")
    client = app.test_client()
    first, second = by_zip(client, "98105"), by_zip(client, "98101")
    assert first.headers["X-RateLimit-Limit"] == "5"
    assert (first.headers["X-RateLimit-Remaining"], second.headers["X-RateLimit-Remaining"]) == (
        "4",
        "3",
    )
    # The public counts have no limit of their own, and none is applied or announced.
    stats = client.get("/api/v1/campaigns/uyghur-policy-act")
    assert stats.status_code == 200
    assert not any(name.startswith("X-RateLimit") for name in stats.headers.keys())


def test_rate_limit_covers_the_post(make_app: Any) -> None:
    app = make_app(GEOCODER_URL=GEOCODER, RATELIMIT_ENABLED=True, RATELIMIT_LOOKUP="2 per minute")
    client = app.test_client()
    assert post(client, {"zip": "98105"}).status_code == 200
    assert post(client, {"zip": "98101"}).status_code == 200
    assert_error(post(client, {"zip": "98105"}), 429, set())

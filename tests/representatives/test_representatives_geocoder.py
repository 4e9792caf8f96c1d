"""The Census Geocoder client and its parser, against recorded answers served by `responses`."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from data_files import geocoder_payload, geocoder_text

from advocacy.congress.calendar import congress_on, ordinal
from advocacy.http import build_session
from advocacy.representatives.geocoder import (
    CensusGeocoder,
    GeocoderError,
    GeocodeResult,
    GeocoderUnavailableError,
    WrongMapError,
    layer_name,
    parse_geographies,
    vintage_for,
)

BASE = "https://geocoder.test/geocoder"
ADDRESS_URL = f"{BASE}/geographies/address"
ONELINE_URL = f"{BASE}/geographies/onelineaddress"


@pytest.fixture
def http_session() -> Iterator[requests.Session]:
    with build_session(retries=0) as s:
        yield s


@pytest.fixture
def geocoder(http_session: requests.Session) -> CensusGeocoder:
    return CensusGeocoder(http_session, BASE + "/", timeout=(1, 2))


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as rsps:
        yield rsps


# The parser, on each recorded answer.


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("match_austin", GeocodeResult("TX", 37, "1100 CONGRESS AVE, AUSTIN, TX, 78701", 119)),
        ("match_seattle", GeocodeResult("WA", 7, "400 BROAD ST, SEATTLE, WA, 98109", 119)),
        ("at_large_wyoming", GeocodeResult("WY", 0, "200 W 24TH ST, CHEYENNE, WY, 82001", 119)),
        ("at_large_alaska", GeocodeResult("AK", 0, "120 4TH ST, JUNEAU, AK, 99801", 119)),
        (
            "dc",
            GeocodeResult("DC", 0, "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500", 119),
        ),
        (
            "puerto_rico",
            GeocodeResult("PR", 0, "151 CALLE SAN FRANCISCO, SAN JUAN, PR, 00901", 119),
        ),
        ("water", GeocodeResult("WA", None, "2600 FAIRVIEW AVE E, SEATTLE, WA, 98102", 119)),
        (
            "several_matches",
            GeocodeResult("IL", 13, "1 MAIN ST, SPRINGFIELD, IL, 62702", 119),
        ),
    ],
)
def test_parse_recorded_answers(fixture: str, expected: GeocodeResult) -> None:
    assert parse_geographies(geocoder_payload(fixture), 119) == expected


def test_parse_no_match_is_none() -> None:
    assert parse_geographies(geocoder_payload("no_match"), 119) is None


def test_parse_rejects_an_answer_for_another_congress() -> None:
    with pytest.raises(WrongMapError, match="119th.*120th"):
        parse_geographies(geocoder_payload("wrong_congress_120"), 119)


def test_parse_accepts_the_120th_map_when_asked_for_it() -> None:
    result = parse_geographies(geocoder_payload("wrong_congress_120"), 120)
    assert result == GeocodeResult("TX", 10, "1100 CONGRESS AVE, AUSTIN, TX, 78701", 120)


def test_parse_rejects_a_layer_whose_cdsessn_disagrees() -> None:
    payload = geocoder_payload("match_austin")
    layer = payload["result"]["addressMatches"][0]["geographies"]["119th Congressional Districts"]
    layer[0]["CDSESSN"] = "118"
    with pytest.raises(WrongMapError, match="CDSESSN 118"):
        parse_geographies(payload, 119)


def test_parse_does_not_need_cdsessn() -> None:
    payload = geocoder_payload("match_austin")
    layer = payload["result"]["addressMatches"][0]["geographies"]["119th Congressional Districts"]
    del layer[0]["CDSESSN"]
    result = parse_geographies(payload, 119)
    assert result is not None and result.district == 37


def _with_district(**changes: object) -> dict[str, object]:
    payload = copy.deepcopy(geocoder_payload("match_austin"))
    layer = payload["result"]["addressMatches"][0]["geographies"]["119th Congressional Districts"]
    layer[0].update(changes)
    return payload


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"result": None},
        {"result": {"input": {}}},
        {"result": {"addressMatches": "none"}},
        {"result": {"addressMatches": [{"matchedAddress": "X"}]}},
        {"result": {"addressMatches": [{"geographies": {"States": []}}]}},
        {"result": {"addressMatches": [{"geographies": {"119th Congressional Districts": []}}]}},
        [],
        _with_district(GEOID="48"),
        _with_district(GEOID=4837),
        _with_district(GEOID="99ZZ"),
        _with_district(GEOID="48AL"),
    ],
)
def test_parse_unexpected_shapes_are_unavailable(payload: object) -> None:
    with pytest.raises(GeocoderUnavailableError):
        parse_geographies(payload, 119)


# The Congress and its map.


@pytest.mark.parametrize(
    ("moment", "congress"),
    [
        (datetime(2025, 1, 3, 16, 59, tzinfo=UTC), 118),
        (datetime(2025, 1, 3, 17, 0, tzinfo=UTC), 119),
        (datetime(2026, 11, 23, 12, 0, tzinfo=UTC), 119),
        (datetime(2027, 1, 3, 16, 59, 59, tzinfo=UTC), 119),
        (datetime(2027, 1, 3, 17, 0, tzinfo=UTC), 120),
        # Noon in Washington, given in Eastern Standard Time.
        (datetime(2027, 1, 3, 12, 0, tzinfo=timezone(timedelta(hours=-5))), 120),
        (datetime(2027, 1, 3, 11, 59, tzinfo=timezone(timedelta(hours=-5))), 119),
        (datetime(2028, 6, 1, tzinfo=UTC), 120),
        (datetime(2029, 1, 3, 17, 0, tzinfo=UTC), 121),
        (datetime(1935, 1, 3, 17, 0, tzinfo=UTC), 74),
    ],
)
def test_congress_on(moment: datetime, congress: int) -> None:
    assert congress_on(moment) == congress


def test_congress_on_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        congress_on(datetime(2026, 1, 1))


def test_vintage_and_layer_for_each_known_congress() -> None:
    assert vintage_for(119) == "ACS2025_Current"
    # Never Current_Current, which has answered either map for the same request.
    assert vintage_for(120) == "ACS2026_Current"
    assert layer_name(119) == "119th Congressional Districts"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 101, 111, 121)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "101st", "111th", "121st",
    ]  # fmt: skip


def test_a_congress_without_a_pinned_vintage_asks_the_default() -> None:
    # No vintage is known for the 121st yet: the service's default, whose answer the
    # layer and CDSESSN checks hold to the 121st map.
    assert vintage_for(121) == "Current_Current"
    assert vintage_for(121, {121: "ACS2028_Current"}) == "ACS2028_Current"


# The client over HTTP.


def _query(call: responses.Call) -> dict[str, list[str]]:
    assert call.request.url is not None
    return parse_qs(urlsplit(call.request.url).query)


def test_geocode_sends_the_address_and_the_congress_map(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, json=geocoder_payload("match_austin"))
    result = geocoder.geocode("1100 Congress Ave ", "Austin", "TX", "78701", congress=119)
    assert result == GeocodeResult("TX", 37, "1100 CONGRESS AVE, AUSTIN, TX, 78701", 119)
    assert _query(mocked.calls[0]) == {
        "street": ["1100 Congress Ave"],
        "city": ["Austin"],
        "state": ["TX"],
        "zip": ["78701"],
        "benchmark": ["Public_AR_Current"],
        "vintage": ["ACS2025_Current"],
        "layers": ["119th Congressional Districts"],
        "format": ["json"],
    }
    assert mocked.calls[0].request.headers["User-Agent"].startswith("advocacy/")


def test_geocode_leaves_out_empty_fields(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, json=geocoder_payload("at_large_wyoming"))
    result = geocoder.geocode("200 W 24th St", None, "", "82001", congress=119)
    assert result is not None and (result.state, result.district) == ("WY", 0)
    query = _query(mocked.calls[0])
    assert "city" not in query and "state" not in query and query["zip"] == ["82001"]


def test_geocode_asks_for_the_120th_map_after_january_2027(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, json=geocoder_payload("wrong_congress_120"))
    congress = congress_on(datetime(2027, 2, 1, tzinfo=UTC))
    result = geocoder.geocode("1100 Congress Ave", "Austin", "TX", "78701", congress=congress)
    assert result is not None and (result.district, result.congress) == (10, 120)
    assert _query(mocked.calls[0])["vintage"] == ["ACS2026_Current"]
    assert _query(mocked.calls[0])["layers"] == ["120th Congressional Districts"]


def test_geocode_oneline(geocoder: CensusGeocoder, mocked: responses.RequestsMock) -> None:
    mocked.get(ONELINE_URL, json=geocoder_payload("several_matches"))
    result = geocoder.geocode_oneline("1 Main St, Springfield", congress=119)
    assert result is not None and (result.state, result.district) == ("IL", 13)
    assert _query(mocked.calls[0])["address"] == ["1 Main St, Springfield"]


def test_geocode_no_match_returns_none(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, json=geocoder_payload("no_match"))
    assert geocoder.geocode("99999 Nowhere Rd", "Austin", "TX", "78701", congress=119) is None


@pytest.mark.parametrize("fixture", ["dc", "water", "at_large_alaska"])
def test_geocode_special_districts(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock, fixture: str
) -> None:
    payload = geocoder_payload(fixture)
    mocked.get(ADDRESS_URL, json=payload)
    result = geocoder.geocode("somewhere", congress=119)
    assert result == parse_geographies(payload, 119)


def test_geocode_wrong_congress_is_a_wrong_map_not_an_outage(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, json=geocoder_payload("wrong_congress_120"))
    with pytest.raises(WrongMapError, match="120th") as caught:
        geocoder.geocode("1100 Congress Ave", "Austin", "TX", "78701", congress=119)
    assert not isinstance(caught.value, GeocoderUnavailableError)
    assert len(mocked.calls) == 2  # asked once more before giving up


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_geocode_server_error_is_unavailable(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock, status: int
) -> None:
    mocked.get(ADDRESS_URL, status=status, body="Service Unavailable")
    with pytest.raises(GeocoderUnavailableError, match=f"HTTP {status}"):
        geocoder.geocode("1100 Congress Ave", congress=119)


def test_geocode_client_error_is_a_plain_geocoder_error(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, status=400, json={"errors": ["Street is required"], "status": "400"})
    with pytest.raises(GeocoderError, match="HTTP 400") as caught:
        geocoder.geocode("1100 Congress Ave", congress=119)
    assert not isinstance(caught.value, GeocoderUnavailableError)


@pytest.mark.parametrize(
    "error",
    [requests.ReadTimeout("slow"), requests.ConnectTimeout("slow")],
)
def test_geocode_timeout_is_unavailable(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock, error: Exception
) -> None:
    mocked.get(ADDRESS_URL, body=error)
    with pytest.raises(GeocoderUnavailableError, match="timed out"):
        geocoder.geocode("1100 Congress Ave", congress=119)


def test_geocode_connection_error_is_unavailable_and_keeps_the_address_out(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, body=requests.ConnectionError(f"{ADDRESS_URL}?street=1100+Congress"))
    with pytest.raises(GeocoderUnavailableError, match="request failed") as caught:
        geocoder.geocode("1100 Congress Ave", congress=119)
    assert "Congress" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_geocode_html_page_with_status_200_is_unavailable(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, body=geocoder_text("error_page.html"), content_type="text/html")
    with pytest.raises(GeocoderUnavailableError, match="HTML page"):
        geocoder.geocode("1100 Congress Ave", congress=119)


def test_geocode_malformed_json_is_unavailable(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(
        ADDRESS_URL, body='{"result": {"addressMatches": [', content_type="application/json"
    )
    with pytest.raises(GeocoderUnavailableError, match="malformed JSON"):
        geocoder.geocode("1100 Congress Ave", congress=119)


def test_geocode_json_without_result_is_unavailable(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    mocked.get(ADDRESS_URL, json={"errors": ["unexpected"]})
    with pytest.raises(GeocoderUnavailableError, match="result.addressMatches"):
        geocoder.geocode("1100 Congress Ave", congress=119)


def test_geocode_needs_a_street(geocoder: CensusGeocoder, mocked: responses.RequestsMock) -> None:
    with pytest.raises(GeocoderError, match="street"):
        geocoder.geocode("  ", "Austin", "TX", "78701", congress=119)
    with pytest.raises(GeocoderError, match="address"):
        geocoder.geocode_oneline("", congress=119)
    assert len(mocked.calls) == 0


def test_geocode_for_a_congress_without_a_pinned_vintage_checks_the_map(
    geocoder: CensusGeocoder, mocked: responses.RequestsMock
) -> None:
    # The default vintage answering on the 120th map while the 121st is asked for.
    mocked.get(ADDRESS_URL, json=geocoder_payload("wrong_congress_120"))
    with pytest.raises(WrongMapError, match="121st"):
        geocoder.geocode("1100 Congress Ave", congress=121)
    assert [_query(call)["vintage"] for call in mocked.calls] == [["Current_Current"]] * 2
    assert _query(mocked.calls[0])["layers"] == ["121st Congressional Districts"]


def test_configured_vintages_add_to_the_pinned_ones(
    http_session: requests.Session, mocked: responses.RequestsMock
) -> None:
    payload = copy.deepcopy(geocoder_payload("wrong_congress_120"))
    geographies = payload["result"]["addressMatches"][0]["geographies"]
    layer = geographies.pop("120th Congressional Districts")
    layer[0]["CDSESSN"] = "121"
    geographies["121st Congressional Districts"] = layer
    mocked.get(ADDRESS_URL, json=payload)
    mocked.get(ADDRESS_URL, json=geocoder_payload("match_austin"))
    geocoder = CensusGeocoder(http_session, BASE, vintages={121: "ACS2028_Current"})
    result = geocoder.geocode("1100 Congress Ave", congress=121)
    assert result == GeocodeResult("TX", 10, "1100 CONGRESS AVE, AUSTIN, TX, 78701", 121)
    assert geocoder.geocode("1100 Congress Ave", congress=119) is not None
    assert [_query(call)["vintage"] for call in mocked.calls] == [
        ["ACS2028_Current"],
        ["ACS2025_Current"],
    ]


@pytest.mark.parametrize("vintages", [{121: ""}, {0: "ACS2028_Current"}])
def test_a_malformed_vintage_setting_is_refused(
    http_session: requests.Session, vintages: dict[int, str]
) -> None:
    with pytest.raises(ValueError, match="vintage"):
        CensusGeocoder(http_session, BASE, vintages=vintages)


def test_session_retries_a_server_error_then_succeeds(mocked: responses.RequestsMock) -> None:
    mocked.get(ADDRESS_URL, status=503)
    mocked.get(ADDRESS_URL, json=geocoder_payload("match_austin"))
    with build_session(retries=2, backoff=0) as http_session:
        result = CensusGeocoder(http_session, BASE).geocode("1100 Congress Ave", congress=119)
    assert result is not None and result.district == 37
    assert len(mocked.calls) == 2


def test_session_gives_up_after_its_retries(mocked: responses.RequestsMock) -> None:
    mocked.get(ADDRESS_URL, status=503)
    with build_session(retries=1, backoff=0) as http_session:
        geocoder = CensusGeocoder(http_session, BASE)
        with pytest.raises(GeocoderUnavailableError, match="HTTP 503"):
            geocoder.geocode("1100 Congress Ave", congress=119)
    assert len(mocked.calls) == 2


def test_session_never_retries_a_post(mocked: responses.RequestsMock) -> None:
    mocked.post(ADDRESS_URL, status=503)
    with build_session(retries=2, backoff=0) as http_session:
        response = http_session.post(ADDRESS_URL, json={}, timeout=(1, 1))
        response.close()
    assert response.status_code == 503
    assert len(mocked.calls) == 1

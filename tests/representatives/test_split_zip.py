"""A ZIP code that spans districts ends in a choice, never in a loop.

The geocoder in these tests is unreachable (conftest's default), as when the Census
service is down: the street cannot settle the district, so the supporter chooses.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from html import unescape

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, hidden_value, parse, session_csrf_token, submit_pledge

from advocacy.db import get_session
from advocacy.models import Pledge
from advocacy.representatives.datafiles import SNAPSHOT_DIR

THANKS = f"/c/{SLUG}/thanks"
CHOOSE = f"/c/{SLUG}/thanks/district"
SPLIT = {"zip": "10001", "city": "New York", "state": "NY", "street": "350 5th Ave"}


@cache
def holder(state: str, district: int) -> str:
    """Return who holds the seat in the shipped members file, read without our code."""
    with gzip.open(SNAPSHOT_DIR / "legislators-current.json.gz") as f:
        members = json.load(f)
    for member in members:
        term = member["terms"][-1]
        if term["type"] == "rep" and (term["state"], term["district"]) == (state, district):
            name = member["name"]
            return str(name.get("official_full") or f"{name['first']} {name['last']}")
    raise AssertionError(f"nobody holds {state}-{district} in the snapshot")


def member_headings(html: str) -> list[str]:
    return [
        h.text() for h in parse(html).find_all("h3") if h.attrs.get("id", "").startswith("member-")
    ]


def thanks_html(client: FlaskClient) -> str:
    return client.get(THANKS).get_data(as_text=True)


def choose(client: FlaskClient, district: str) -> str:
    token = hidden_value(thanks_html(client), "csrf_token")
    response = client.post(CHOOSE, data={"csrf_token": token, "district": district})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return thanks_html(client)


def stored_place(app: Flask) -> tuple[str | None, int | None]:
    with app.app_context():
        row = get_session().execute(sa.select(Pledge.state, Pledge.district)).one()
    return row.state, row.district


@pytest.fixture
def csrf_app(make_app) -> Flask:  # type: ignore[no-untyped-def]
    app: Flask = make_app(WTF_CSRF_ENABLED=True)
    return app


def test_candidates_are_shown_with_their_members_names(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    assert submit_pledge(client, **SPLIT).status_code == 303
    html = unescape(thanks_html(client))
    for district in (10, 12):
        assert f"NY-{district}, Rep. {holder('NY', district)}" in html
    assert "Which district do you live in?" in html
    assert 'type="radio" name="district" id="district-NY-10" value="NY-10"' in html
    assert "write to all of them" in html
    # Only the senators until the supporter settles it: no House member is guessed.
    assert not any(h.startswith("Representative") for h in member_headings(html))
    assert stored_place(csrf_app) == ("NY", None)


def test_choosing_a_district_records_it_on_the_pledge(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    submit_pledge(client, **SPLIT)
    html = choose(client, "NY-12")
    headings = member_headings(html)
    assert f"Representative {holder('NY', 12)}" in headings
    assert f"Representative {holder('NY', 10)}" not in headings
    assert "You chose NY-12" in html
    assert stored_place(csrf_app) == ("NY", 12)
    # The supporter can change their mind: the choice stays on offer.
    assert "Choose another district" in html
    choose(client, "NY-10")
    assert stored_place(csrf_app) == ("NY", 10)


def test_write_to_all_gives_a_letter_per_candidate_member(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    submit_pledge(client, **SPLIT)
    html = choose(client, "all")
    headings = member_headings(html)
    representatives = [h for h in headings if h.startswith("Representative")]
    assert sorted(representatives) == sorted(f"Representative {holder('NY', d)}" for d in (10, 12))
    assert len([h for h in headings if h.startswith("Senator")]) == 2
    assert html.count("data-letter-body") == 4
    # Nobody knows the district yet: the pledge keeps the state only.
    assert stored_place(csrf_app) == ("NY", None)


@pytest.mark.parametrize("district", ["NY-99", "WA-7", "", "all; DROP TABLE pledges", "ٍNY-10"])
def test_a_choice_not_on_the_list_is_refused_beside_the_choices(
    csrf_app: Flask, district: str
) -> None:
    client = csrf_app.test_client()
    submit_pledge(client, **SPLIT)
    token = hidden_value(thanks_html(client), "csrf_token")
    response = client.post(CHOOSE, data={"csrf_token": token, "district": district})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="district-error"' in html and "Please choose one of the districts listed" in html
    assert stored_place(csrf_app) == ("NY", None)


def test_the_choice_needs_the_csrf_token(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    submit_pledge(client, **SPLIT)
    response = client.post(CHOOSE, data={"district": "NY-12"})
    assert response.status_code == 400
    assert stored_place(csrf_app) == ("NY", None)


def test_without_a_visit_the_choice_goes_back_to_the_campaign(client: FlaskClient) -> None:
    token = session_csrf_token(client)
    response = client.post(CHOOSE, data={"csrf_token": token, "district": "NY-12"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/{SLUG}")


def test_a_street_that_cannot_be_looked_up_ends_in_the_choice_again(csrf_app: Flask) -> None:
    """The geocoder is down: sending the street again shows the same choice, not a loop."""
    client = csrf_app.test_client()
    submit_pledge(client, **SPLIT)
    html = thanks_html(client)
    # The address form keeps the street the supporter typed.
    assert 'name="street" value="350 5th Ave"' in html
    response = client.post(
        f"{THANKS}",
        data={"csrf_token": hidden_value(html, "csrf_token"), **SPLIT},
    )
    assert response.status_code == 303
    html = thanks_html(client)
    assert "not answering" in html
    assert "Which district do you live in?" in html
    assert choose(client, "NY-10").count("data-letter-body") == 3


def test_a_repeat_pledge_chooses_for_its_own_page_only(csrf_app: Flask) -> None:
    first = csrf_app.test_client()
    submit_pledge(first, **SPLIT)
    second = csrf_app.test_client()
    submit_pledge(second, **SPLIT)  # the same email: one pledge, not moved by others
    choose(second, "NY-12")
    assert stored_place(csrf_app) == ("NY", None)


@pytest.mark.parametrize(
    ("fields", "address_form"),
    [
        ({"zip": "82001", "city": "Cheyenne", "state": "WY"}, False),  # at-large
        ({"zip": "20001", "city": "Washington", "state": "DC"}, False),  # delegate
        ({"zip": "98105", "city": "Seattle", "state": "WA"}, "folded"),  # one district
        (SPLIT, "open"),
    ],
)
def test_the_address_form_shows_only_where_it_can_help(
    csrf_app: Flask, fields: dict[str, str], address_form: str | bool
) -> None:
    client = csrf_app.test_client()
    submit_pledge(client, **fields)
    html = thanks_html(client)
    section = re.search(r'<section class="refine".*?</section>', html, re.S)
    if address_form is False:
        assert section is None
        return
    assert section is not None
    assert ("<details>" in section.group(0)) == (address_form == "folded")
    # Only the street and the ZIP are marked required; city and state are optional.
    required = re.findall(r'<label for="(\w+)">[^<]*<span class="required">', section.group(0))
    assert required == ["street", "zip"]

"""Where a pledge counts, and what the public count says: an at-large seat is district 0,
not "district not known"; a later look-up that found nothing never erases the place a
pledge has; the public `updated_at` moves with every confirmed pledge; a withdrawal that
lands before a choice of district leaves that choice nothing to do, not a 500."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from contact_keys import hashed
from flask import Flask
from flask.testing import FlaskClient
from inbox import confirm_waiting, post_code
from pages import SLUG, hidden_value, pledge_fields, submit_pledge

from advocacy.campaigns.content import load_campaign_file, shipped_campaign_files
from advocacy.campaigns.service import upsert_campaign
from advocacy.db import get_session
from advocacy.models import Campaign, OutboxMail, Pledge, PledgeCounter, SeatTally
from advocacy.organizers import stats
from advocacy.pledges import tallies
from advocacy.pledges import views as pledge_views
from advocacy.pledges.service import set_pledge_place
from advocacy.representatives.lookup import Lookup

API = f"/api/v1/campaigns/{SLUG}/pledges"


def pledge(client: FlaskClient, **fields: Any) -> None:
    response = client.post(API, json=pledge_fields(**fields))
    assert response.status_code == 202, response.get_data(as_text=True)


def campaign_id(app: Flask) -> int:
    with app.app_context():
        found = get_session().scalar(sa.select(Campaign.id).where(Campaign.slug == SLUG))
    assert found is not None
    return found


def seat_rows(app: Flask) -> dict[tuple[str, int, int], int]:
    """The seat tallies, their slots added up, by (state, district, congress)."""
    with app.app_context():
        rows = get_session().execute(
            sa.select(
                SeatTally.state,
                SeatTally.district,
                SeatTally.congress,
                sa.func.sum(SeatTally.pledges),
            )
            .group_by(SeatTally.state, SeatTally.district, SeatTally.congress)
            .having(sa.func.sum(SeatTally.pledges) != 0)
        )
        return {(state, district, congress): n for state, district, congress, n in rows}


# --- how a seat is stored -------------------------------------------------------------------


@pytest.mark.parametrize("state", ["AK", "DE", "ND", "SD", "VT", "WY", "DC", "PR"])
def test_an_at_large_seat_is_district_zero_not_an_unknown_district(state: str) -> None:
    seat = tallies.Seat(state, 0, 119)
    assert seat.stored() == (state, 0, 119)
    assert seat.key() == {"state": state, "district": 0, "congress": 119}
    assert seat.stored() != tallies.Seat(state, None, None).stored()


def test_what_is_not_known_is_stored_as_the_tallies_spell_it() -> None:
    assert tallies.Seat(None, None, None).stored() == (
        tallies.NO_STATE,
        tallies.NO_DISTRICT,
        tallies.NO_CONGRESS,
    )
    assert tallies.Seat("TX", None, None).stored() == ("TX", -1, 0)
    assert tallies.Seat("NY", 12, 119).key() == {"state": "NY", "district": 12, "congress": 119}


def test_a_pledge_counts_on_the_utc_day_it_was_confirmed() -> None:
    seat = tallies.Seat("WA", 7, 119)
    late = tallies.Counted(1, datetime.fromisoformat("2026-11-23T23:30:00-05:00"), False, seat, "")
    assert late.day.isoformat() == "2026-11-24"


def test_an_at_large_supporter_counts_for_their_seat_on_the_dashboard(
    app: Flask, client: FlaskClient
) -> None:
    pledge(client, email="wy@example.org", zip="82001", city="Cheyenne", state="WY")
    pledge(client, email="dc@example.org", zip="20001", city="Washington", state="DC")
    assert confirm_waiting(app) == 2
    assert seat_rows(app) == {("WY", 0, 119): 1, ("DC", 0, 119): 1}
    with app.app_context():
        counted = stats.by_district(get_session(), campaign_id(app))
    assert counted == {("WY", 0): 1, ("DC", 0): 1}


def test_a_move_between_seats_counts_out_of_one_and_into_the_other(app: Flask) -> None:
    cid = campaign_id(app)
    wy, ny = tallies.Seat("WY", 0, 119), tallies.Seat("NY", 12, 119)
    with app.app_context():
        session = get_session()
        tallies.add(session, tallies.Counted(cid, datetime.now().astimezone(), True, wy, ""))
        tallies.move_seat(session, cid, wy, ny)
        tallies.move_seat(session, cid, ny, ny)  # no move: nothing changes
        session.commit()
    assert seat_rows(app) == {("NY", 12, 119): 1}


# --- a later look-up ------------------------------------------------------------------------


def test_a_look_up_that_found_no_state_keeps_the_pledges_place(
    app: Flask, client: FlaskClient
) -> None:
    pledge(client, email="wy@example.org", zip="82001", city="Cheyenne", state="WY")
    assert confirm_waiting(app) == 1
    with app.app_context():
        session = get_session()
        pledge_id = session.scalar(sa.select(Pledge.id))
        assert pledge_id is not None
        nothing = Lookup(match="zip", state=None, district=None)
        assert set_pledge_place(session, pledge_id, nothing)
        session.commit()
        kept = session.execute(sa.select(Pledge.state, Pledge.district, Pledge.congress)).one()
    assert tuple(kept) == ("WY", 0, 119)
    assert seat_rows(app) == {("WY", 0, 119): 1}


def test_a_pledge_gone_before_its_place_is_settled_is_left_alone(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        assert not set_pledge_place(session, 10**9, Lookup(match="zip", state="WY", district=0))


def test_a_withdrawal_that_lands_before_a_choice_of_district_sends_the_choice_home(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 10001 spans NY-10 and NY-12: the results page asks the supporter to choose.
    browser = app.test_client()
    split = {"zip": "10001", "city": "New York", "state": "NY"}
    assert submit_pledge(browser, email="race@example.org", **split).status_code == 303
    with app.app_context():
        code = get_session().scalar(sa.select(OutboxMail.withdraw_code))
    assert code is not None
    thanks = browser.get(f"/c/{SLUG}/thanks").get_data(as_text=True)
    token = hidden_value(thanks, "csrf_token")
    real_choose = pledge_views.choose_seat

    def withdrawn_meanwhile(*args: Any, **kwargs: Any) -> Any:
        # The supporter's other tab withdraws the pledge (and its visits) just now.
        assert post_code(app.test_client(), "withdraw", code)[0] == 200
        return real_choose(*args, **kwargs)

    monkeypatch.setattr(pledge_views, "choose_seat", withdrawn_meanwhile)
    answer = browser.post(
        f"/c/{SLUG}/thanks/district", data={"csrf_token": token, "district": "NY-12"}
    )
    assert answer.status_code == 303
    assert browser.get(f"/c/{SLUG}/thanks").status_code == 302  # nothing left to show
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count()).select_from(Pledge)) == 0


# --- the public count -----------------------------------------------------------------------


def test_the_public_updated_at_moves_with_every_confirmed_pledge(
    app: Flask, client: FlaskClient
) -> None:
    pledge(client, email="first@example.org")
    assert confirm_waiting(app) == 1
    long_ago = datetime.fromisoformat("2000-01-01T00:00:00+00:00")
    with app.app_context():
        # The campaign and its count last changed long ago.
        session = get_session()
        session.execute(sa.update(PledgeCounter).values(updated_at=long_ago))
        session.execute(sa.update(Campaign).values(updated_at=long_ago))
        session.commit()
    pledge(client, email="second@example.org")
    assert confirm_waiting(app) == 1
    stats_now = client.get(f"/api/v1/campaigns/{SLUG}").get_json()
    assert stats_now["pledge_count"] == 2
    assert stats_now["updated_at"] > "2000-01-02"


# --- a recount ------------------------------------------------------------------------------


def test_a_recount_spells_unknown_places_as_every_pledge_does(
    app: Flask, client: FlaskClient
) -> None:
    # 10001 spans two districts: until the supporter chooses, only the state is known.
    pledge(client, email="ny@example.org", zip="10001", city="New York", state="NY")
    pledge(client, email="old@example.org")
    assert confirm_waiting(app) == 2
    with app.app_context():
        session = get_session()
        # A pledge kept from before places were recorded: nothing known at all.
        session.execute(
            sa.update(Pledge)
            .where(Pledge.email_hash == hashed("old@example.org"))
            .values(state=None, district=None, congress=None)
        )
        session.commit()
        tallies.move_seat(
            session, campaign_id(app), tallies.Seat("WA", 7, 119), tallies.Seat(None, None, None)
        )
        session.commit()
    kept = seat_rows(app)
    assert kept == {("NY", -1, 0): 1, ("", -1, 0): 1}
    with app.app_context():
        assert tallies.recount(get_session(), campaign_id(app)) == 2
        get_session().commit()
    assert seat_rows(app) == kept


def test_a_recount_counts_its_own_campaigns_pledges_only(app: Flask, client: FlaskClient) -> None:
    (path,) = [p for p in shipped_campaign_files() if p.stem == SLUG]
    other = {**load_campaign_file(path), "slug": "another-campaign", "default": False}
    with app.app_context():
        upsert_campaign(get_session(), other)
        get_session().commit()
    pledge(client, email="mine@example.org")
    for n in range(2):
        response = client.post(
            "/api/v1/campaigns/another-campaign/pledges",
            json=pledge_fields(email=f"theirs{n}@example.org"),
        )
        assert response.status_code == 202
    assert confirm_waiting(app) == 3
    with app.app_context():
        session = get_session()
        assert tallies.recount(session, campaign_id(app)) == 1
        session.commit()
        counts = dict(session.execute(sa.select(Campaign.slug, Campaign.pledge_count)).all())
    assert counts == {SLUG: 1, "another-campaign": 2}

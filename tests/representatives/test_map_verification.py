"""Missouri's `verify = true` row: shown to organizers and operators until one confirms it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import EMAIL, NOW, create_organizer, signed_in_client
from pages import SLUG, hidden_value, page_text, parse
from sqlalchemy.orm import Session

from advocacy.congress.maps import MapTable, load_map_table, parse_map_table
from advocacy.db import create_db_engine, get_session
from advocacy.models import AuditEvent, MapConfirmation, Organizer
from advocacy.organizers import map_checks
from advocacy.organizers.map_checks_command import confirm_map_command

CLAIM = "Missouri uses its 2022 lines for the 120th Congress"
BUTTON = f"Confirm: {CLAIM}"
WHO = f"confirmed by {EMAIL} on 2026-11-23 15:00 UTC"

MISSOURI_ROW = """
[[change]]
congress = 120
state = "MO"
lines = "{lines}"
plan = "{plan}"
districts = 8
verify = true
sources = ["Missouri Secretary of State, certified results of 2026-11-03"]
"""


def _table(lines: str, plan: str) -> MapTable:
    return parse_map_table(MISSOURI_ROW.format(lines=lines, plan=plan))


def _confirm_form(html: str) -> dict[str, str]:
    """Return the fields of the page's first map confirmation form."""
    forms = [form for form in parse(html).find_all("form") if "Confirm:" in form.squeezed()]
    assert forms, "no confirmation form on the page"
    return {
        name: forms[0].one("input", name=name).attrs.get("value", "")
        for name in ("csrf_token", "congress", "state", "lines")
    }


def _confirmations(app: Flask) -> list[MapConfirmation]:
    with app.app_context():
        return list(get_session().scalars(sa.select(MapConfirmation)))


def _organizer(app: Flask) -> Organizer:
    with app.app_context():
        organizer = get_session().scalar(sa.select(Organizer).where(Organizer.email == EMAIL))
        assert organizer is not None
        return organizer


# --- the dashboard --------------------------------------------------------------------------


def test_the_dashboard_shows_the_unconfirmed_row_with_its_plan_sources_and_remedy(
    app: Flask,
) -> None:
    client = signed_in_client(app)
    html = client.get("/organizers/").get_data(as_text=True)
    assert 'id="map-checks"' in html
    text = page_text(html)
    assert "Missouri, 120th Congress" in text
    assert (
        "keeps Missouri on its 119th Congress lines (2022 map, kept for the 2026 election)" in text
    )
    assert "the service keeps Missouri on its 119th Congress lines" in text
    assert "Missouri Supreme Court, 2026-09-03" in text  # a source
    assert "advocacy/congress/map_changes.toml" in text
    assert "do not confirm" in text
    assert BUTTON in text
    form = _confirm_form(html)
    assert (form["congress"], form["state"], form["lines"]) == ("120", "MO", "previous")
    assert form["csrf_token"]
    # The campaign's page points to it.
    campaign = page_text(client.get(f"/organizers/c/{SLUG}/").get_data(as_text=True))
    assert "needs an organizer's check (Missouri, 120th Congress)" in campaign


def test_confirming_through_the_form_hides_the_notice_and_says_who_and_when(app: Flask) -> None:
    client = signed_in_client(app)
    form = _confirm_form(client.get("/organizers/").get_data(as_text=True))
    response = client.post("/organizers/", data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/organizers/")

    html = client.get("/organizers/").get_data(as_text=True)
    status = parse(html).find_all("p", role="status")[0]
    assert status.squeezed() == f"Confirmed: {CLAIM}. Thank you."
    assert 'id="map-checks"' not in html
    assert BUTTON not in page_text(html)
    assert f"{CLAIM}: {WHO}." in page_text(html)
    # The message is shown once; the quiet line stays.
    again = page_text(client.get("/organizers/").get_data(as_text=True))
    assert "Thank you" not in again
    assert WHO in again
    assert "map-checks-pointer" not in client.get(f"/organizers/c/{SLUG}/").get_data(as_text=True)

    [confirmation] = _confirmations(app)
    assert (confirmation.congress, confirmation.state, confirmation.lines) == (
        120,
        "MO",
        "previous",
    )
    assert confirmation.organizer_email == EMAIL
    with app.app_context():
        actions = list(get_session().scalars(sa.select(AuditEvent.action)))
    assert "confirm map MO 120th Congress: previous lines" in actions


def test_confirming_twice_records_once(app: Flask) -> None:
    client = signed_in_client(app)
    form = _confirm_form(client.get("/organizers/").get_data(as_text=True))
    client.post("/organizers/", data=form)
    client.get("/organizers/")
    assert client.post("/organizers/", data=form).status_code == 303
    text = page_text(client.get("/organizers/").get_data(as_text=True))
    assert f"{CLAIM}: already {WHO}." in text
    assert len(_confirmations(app)) == 1


def test_a_post_without_a_csrf_token_is_refused(app: Flask) -> None:
    client = signed_in_client(app)
    form = _confirm_form(client.get("/organizers/").get_data(as_text=True))
    del form["csrf_token"]
    assert client.post("/organizers/", data=form).status_code == 400
    form["csrf_token"] = "forged"
    assert client.post("/organizers/", data=form).status_code == 400
    assert _confirmations(app) == []
    assert 'id="map-checks"' in client.get("/organizers/").get_data(as_text=True)


def test_a_signed_out_request_is_refused(app: Flask, client: FlaskClient) -> None:
    create_organizer(app)
    token = hidden_value(client.get("/organizers/login").get_data(as_text=True), "csrf_token")
    fields = {"congress": "120", "state": "MO", "lines": "previous"}
    response = client.post("/organizers/", data={"csrf_token": token, **fields})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/organizers/login")
    assert client.post("/organizers/", data=fields).status_code == 400
    assert client.get("/organizers/").status_code == 302
    assert _confirmations(app) == []


def test_a_row_that_is_not_flagged_or_has_changed_is_not_confirmed(app: Flask) -> None:
    client = signed_in_client(app)
    form = _confirm_form(client.get("/organizers/").get_data(as_text=True))
    client.post("/organizers/", data={**form, "state": "TX"})
    html = client.get("/organizers/").get_data(as_text=True)
    alert = parse(html).find_all("p", role="alert")[0]
    assert "Texas's row for the 120th Congress is not flagged" in alert.squeezed()

    client.post("/organizers/", data={**form, "lines": "new"})
    text = page_text(client.get("/organizers/").get_data(as_text=True))
    assert "has changed since that page was shown" in text
    assert "Nothing was confirmed" in text

    assert client.post("/organizers/", data={**form, "state": "mo"}).status_code == 400
    assert _confirmations(app) == []


def test_the_dashboard_asks_again_when_the_table_now_says_otherwise(
    make_app: Any, tmp_path: Path
) -> None:
    table = tmp_path / "map_changes.toml"
    table.write_text(MISSOURI_ROW.format(lines="new", plan="2025 map"), "utf-8")
    app = make_app(MAP_CHANGES_PATH=str(table))
    client = signed_in_client(app)
    with app.app_context():
        map_checks.confirm(
            get_session(), 120, "MO", _organizer(app), maps=load_map_table(), now=NOW
        )
        get_session().commit()
    html = client.get("/organizers/").get_data(as_text=True)
    text = page_text(html)
    assert 'id="map-checks"' in html
    assert "puts Missouri on a new map (2025 map)" in text
    assert f"An earlier confirmation, by {EMAIL} on 2026-11-23 15:00 UTC" in text
    assert "Confirm: Missouri uses its 2025 lines for the 120th Congress" in text
    assert _confirm_form(html)["lines"] == "new"


# --- data status ----------------------------------------------------------------------------


def test_status_lines_warn_until_an_organizer_confirms(app: Flask) -> None:
    create_organizer(app)
    organizer = _organizer(app)
    maps = load_map_table()
    with app.app_context():
        session = get_session()
        [line] = map_checks.status_lines(session, maps, NOW)
        assert line.startswith(
            "warning: Missouri (120th Congress): the changed-states table keeps Missouri on "
            "its 119th Congress lines (2022 map, kept for the 2026 election), but this is "
            "unconfirmed; an organizer should check the certified results and confirm it on "
            "the dashboard (or run `advocacy data confirm-map MO --congress 120 --by EMAIL`), "
            "or the operator should correct advocacy/congress/map_changes.toml; "
            "sources: Census 120th Congress geography encodes Missouri's 2025 map; "
        )
        map_checks.confirm(session, 120, "MO", organizer, maps=maps, now=NOW)
        assert map_checks.status_lines(session, maps, NOW) == []
        assert map_checks.unconfirmed(session, maps, NOW) == []


def test_the_row_is_shown_while_its_congress_sits_or_is_next_only(app: Flask) -> None:
    maps = load_map_table()
    sworn_in = datetime(2027, 1, 3, 17, 0, tzinfo=UTC)
    with app.app_context():
        session = get_session()
        assert len(map_checks.status_lines(session, maps, sworn_in)) == 1
        assert "While the 120th Congress sits" in map_checks.meanwhile(
            maps.row(120, "MO"),  # type: ignore[arg-type]
            maps,
            sworn_in,
        )
        assert map_checks.status_lines(session, maps, datetime(2029, 6, 1, tzinfo=UTC)) == []
        assert map_checks.status_lines(session, maps, datetime(2024, 6, 1, tzinfo=UTC)) == []


def test_a_confirmation_of_previous_lines_does_not_silence_a_table_that_now_says_new(
    app: Flask,
) -> None:
    create_organizer(app)
    organizer = _organizer(app)
    kept = _table("previous", "2022 map, kept for the 2026 election")
    redrawn = _table("new", "2025 map")
    with app.app_context():
        session = get_session()
        map_checks.confirm(session, 120, "MO", organizer, maps=kept, now=NOW)
        assert map_checks.status_lines(session, kept, NOW) == []

        [line] = map_checks.status_lines(session, redrawn, NOW)
        assert "puts Missouri on a new map (2025 map), but this is unconfirmed" in line
        assert f"an earlier confirmation, by {EMAIL} on 2026-11-23 15:00 UTC" in line
        [check] = map_checks.checks(session, redrawn, NOW)
        assert not check.confirmed and check.outdated is not None
        assert map_checks.claim(check.change, redrawn) == (
            "Missouri uses its 2025 lines for the 120th Congress"
        )

        map_checks.confirm(session, 120, "MO", organizer, maps=redrawn, now=NOW)
        assert map_checks.status_lines(session, redrawn, NOW) == []
        # Back to "previous": the latest confirmation (of "new") no longer matches.
        assert len(map_checks.status_lines(session, kept, NOW)) == 1


def test_status_lines_say_so_when_the_confirmations_cannot_be_read(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with Session(engine) as session:
        lines = map_checks.status_lines(session, load_map_table(), NOW)
    engine.dispose()
    assert len(lines) == 2
    assert lines[0].startswith("warning: Missouri (120th Congress)")
    assert "could not be read from the database" in lines[1]


# --- the command line -----------------------------------------------------------------------


def test_the_command_confirms_a_flagged_row_for_an_organizer(app: Flask) -> None:
    create_organizer(app)
    runner = app.test_cli_runner()
    result = runner.invoke(confirm_map_command, ["mo", "--by", EMAIL.upper()])
    assert result.exit_code == 0, result.output
    assert f"Confirmed: {CLAIM} (by {EMAIL} on 2026-11-23 15:00 UTC)" in result.output
    [confirmation] = _confirmations(app)
    assert (confirmation.congress, confirmation.state) == (120, "MO")

    again = runner.invoke(confirm_map_command, ["MO", "--congress", "120", "--by", EMAIL])
    assert again.exit_code == 0
    assert "already confirmed" in again.output
    assert len(_confirmations(app)) == 1


def test_the_command_refuses_rows_that_are_not_flagged_and_non_organizers(app: Flask) -> None:
    create_organizer(app)
    runner = app.test_cli_runner()
    cases = [
        (["TX", "--by", EMAIL], "Texas has no row flagged for checking"),
        (["TX", "--congress", "120", "--by", EMAIL], "Texas's row for the 120th Congress is not"),
        (["MO", "--congress", "121", "--by", EMAIL], "no row for Missouri in the 121st Congress"),
        (["ZZ", "--by", EMAIL], "'ZZ' is not a state's two-letter USPS code"),
        (["MO", "--by", "someone@example.org"], "No organizer has the address"),
    ]
    for args, message in cases:
        result = runner.invoke(confirm_map_command, args)
        assert result.exit_code == 1, args
        assert message in result.output, result.output
        if "Texas" in message:
            assert "Flagged rows: MO (120th Congress)." in result.output
    assert runner.invoke(confirm_map_command, ["MO"]).exit_code == 2  # --by is required
    assert _confirmations(app) == []

"""The organizers' dashboard, exports and lobby report, on a seeded set of pledges."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from contact_keys import PRIVATE_KEY, hashed
from data_files import holder_record
from flask import Flask
from flask.testing import FlaskClient
from organizer_pages import (
    EMAIL,
    NOW,
    SEED,
    download,
    seed_pledges,
    signed_in_client,
    step_up,
)
from pages import SLUG, hidden_value, page_text, parse, table_rows

from advocacy.congress.maps import load_map_table
from advocacy.db import get_session
from advocacy.models import AuditEvent, Pledge, PledgeQuote
from advocacy.organizers import dashboard, exports, packets, stats
from advocacy.organizers.contacts import decrypted_rows
from advocacy.pledges import tallies

BASE = f"/organizers/c/{SLUG}"
PARTY = {"Democrat": "D", "Republican": "R"}
FIGURES = ("total", "today", "week", "consented")


def _member_label(state: str, district: int) -> str:
    member = holder_record(state, district)
    assert member is not None
    code = f"{state}-{district if district else 'AL'}"
    return (
        f"{code}, Rep. {member.name} ({PARTY.get(member.party or '', (member.party or '?')[:1])})"
    )


def _seeded(app: Flask) -> FlaskClient:
    client = signed_in_client(app)
    seed_pledges(app)
    return client


# --- the numbers ----------------------------------------------------------------------------


def test_stats_functions_agree_with_the_database(app: Flask) -> None:
    campaign_id = seed_pledges(app)
    today = NOW.date()
    with app.app_context():
        session = get_session()
        pledges = list(session.scalars(sa.select(Pledge).where(Pledge.campaign_id == campaign_id)))
        totals = stats.totals(session, campaign_id, today)
        assert totals.total == len(pledges) == len(SEED)
        assert totals.consented == sum(p.consent for p in pledges) == 4
        days = Counter(p.created_at.date() for p in pledges)
        assert totals.today == days[today] == 2
        week = sum(n for day, n in days.items() if day > today - timedelta(days=7))
        assert totals.last_7_days == week == 5
        assert stats.per_day(session, campaign_id) == dict(days)
        assert dict(stats.by_state(session, campaign_id)) == Counter(p.state for p in pledges)
        assert stats.by_district(session, campaign_id) == Counter(
            (p.state, p.district) for p in pledges
        )
        assert dict(stats.by_ref(session, campaign_id)) == Counter(p.ref for p in pledges)
        assert stats.by_ref(session, campaign_id)[0] == ("", 4)


def test_daily_series_fills_every_day_since_launch() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC).date()
    series = stats.daily_series({start + timedelta(days=2): 5}, start, start + timedelta(days=3))
    assert series == [
        (start, 0),
        (start + timedelta(days=1), 0),
        (start + timedelta(days=2), 5),
        (start + timedelta(days=3), 0),
    ]


def test_dashboard_shows_the_seeded_numbers(app: Flask) -> None:
    client = _seeded(app)
    response = client.get(f"{BASE}/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    page = parse(html)
    figures = {name: page.by_id(f"fig-{name}").squeezed() for name in FIGURES}
    assert figures == {"total": "8", "today": "2", "week": "5", "consented": "4"}

    # The chart: one bar per day since launch (31 days), with a text alternative.
    assert html.count('class="org-chart__bar"') == 31
    assert '<svg viewBox="0 0 640 160" role="img" aria-labelledby="chart-title chart-desc"' in html
    daily = dict((day, int(n)) for day, n in table_rows(html, "daily-table"))
    assert len(daily) == 31
    assert daily[NOW.date().isoformat()] == 2
    assert daily[(NOW - timedelta(days=10)).date().isoformat()] == 2
    assert sum(daily.values()) == 8

    assert table_rows(html, "states-table") == [
        ["Washington (WA)", "4"],
        ["Virginia (VA)", "3"],
        ["Alaska (AK)", "1"],
    ]
    refs = table_rows(html, "refs-table")
    assert refs == [
        ["direct (no partner)", "4", "50.0%"],
        ["cfu", "2", "25.0%"],
        ["uhrp", "2", "25.0%"],
    ]


def test_dashboard_districts_name_the_member_and_include_empty_seats(app: Flask) -> None:
    client = _seeded(app)
    html = client.get(f"{BASE}/").get_data(as_text=True)
    rows = table_rows(html, "districts-table")
    by_label = {label: int(n.replace(",", "")) for label, n in rows}
    assert by_label[_member_label("WA", 7)] == 3
    assert by_label[_member_label("WA", 9)] == 1
    assert by_label[_member_label("VA", 8)] == 2
    assert by_label[_member_label("AK", 0)] == 1
    assert by_label["VA, district not known"] == 1
    # Every other Washington and Virginia seat, at zero; no state without pledges.
    assert by_label[_member_label("WA", 1)] == 0
    assert len([r for r in rows if r[0].startswith("WA-")]) == 10
    assert len([r for r in rows if r[0].startswith("VA-")]) == 11
    assert not [r for r in rows if r[0].startswith("CA-")]
    # Sorted by count by default, largest first; by seat on request.
    counts = [int(n) for _label, n in rows]
    assert counts == sorted(counts, reverse=True)
    by_seat = table_rows(
        client.get(f"{BASE}/?sort=seat").get_data(as_text=True), "districts-table"
    )
    assert [r[0][:5] for r in by_seat[:2]] == ["AK-AL", "VA, d"]
    assert by_seat[2][0].startswith("VA-1,")
    assert sorted(by_seat) == sorted(rows)


def test_dashboard_shows_seat_codes_when_member_data_is_unavailable(app: Flask) -> None:
    client = _seeded(app)
    seats = dashboard.seat_rows({("WA", 7): 3}, None, "count")
    assert [(s.label, s.count) for s in seats] == [("WA-7", 3)]
    assert client.get(f"{BASE}/").status_code == 200


def test_dashboard_warns_about_old_data(make_app: Any) -> None:
    fresh = signed_in_client(make_app(ORGANIZERS_DATA_STALE_DAYS=10_000))
    html = fresh.get(f"{BASE}/").get_data(as_text=True)
    assert "shipped snapshot dated" in html and 'id="stale-warning"' not in html
    stale = make_app(ORGANIZERS_DATA_STALE_DAYS=-1)
    client = stale.test_client()
    from organizer_pages import login

    assert login(client).status_code == 303
    assert 'id="stale-warning"' in client.get(f"{BASE}/").get_data(as_text=True)


def test_unknown_campaign_is_404_for_organizers(app: Flask) -> None:
    client = signed_in_client(app)
    assert client.get("/organizers/c/no-such-campaign/").status_code == 404
    assert client.get("/organizers/c/no-such-campaign/pledges.csv").status_code == 404
    token = hidden_value(client.get(f"{BASE}/").get_data(as_text=True), "csrf_token")
    missing = client.post("/organizers/c/no-such-campaign/pledges.csv", data={"csrf_token": token})
    assert missing.status_code == 404


# --- exports --------------------------------------------------------------------------------


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _opened(text: str) -> list[dict[str, str]]:
    """The pledges export with its sealed contacts opened, as on the organizer's machine."""
    rows = list(decrypted_rows(io.StringIO(text), PRIVATE_KEY))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_pledges_csv_streams_the_consented_pledges_with_a_header(app: Flask) -> None:
    client = _seeded(app)
    response = download(client, f"{BASE}/pledges.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    assert SLUG in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    rows = _csv(response)
    assert list(rows[0]) == list(exports.PLEDGE_COLUMNS)
    consented = [i for i, row in enumerate(SEED) if row[4]]
    # Names and emails travel sealed: the server cannot read them, the private key can.
    assert "example.org" not in response.get_data(as_text=True)
    opened = _opened(response.get_data(as_text=True))
    assert {r["email"] for r in opened} == {f"supporter{i}@example.org" for i in consented}
    assert {r["name"] for r in opened} == {f"Supporter Number{i}" for i in consented}
    # Oldest first, times in UTC.
    assert rows[0]["created_at"].endswith("Z")
    assert rows[0]["created_at"] <= rows[-1]["created_at"]
    assert Counter(r["consent"] for r in rows) == {"yes": 4}


def test_the_pledges_export_never_names_a_supporter_who_did_not_consent(app: Flask) -> None:
    client = _seeded(app)
    body = download(client, f"{BASE}/pledges.csv").get_data(as_text=True)
    opened = "\n".join(f"{r['name']},{r['email']}" for r in _opened(body))
    for index, row in enumerate(SEED):
        named = f"supporter{index}@example.org" in opened or f"Number{index}," in opened
        assert named == row[4], index
    assert "PRIVATE note" not in body
    # The old address of the full list gives the same, consented-only file.
    with_filter = download(client, f"{BASE}/pledges.csv?consented=1").get_data(as_text=True)
    assert _csv_rows(with_filter) == _csv_rows(body)
    # The counts still cover everyone, but a file leaves the dashboard: small counts are
    # words, and WA-7's 3 would give WA-9's 1 away from Washington's total of 4.
    districts = _csv(download(client, f"{BASE}/districts.csv"))
    pledges = {(r["state"], r["district"]): r["pledges"] for r in districts}
    assert pledges == {
        ("AK", "0"): "fewer than 3",
        ("VA", ""): "fewer than 3",
        ("VA", "8"): "fewer than 3",
        ("WA", "7"): "not shown",
        ("WA", "9"): "fewer than 3",
    }


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_export_query_keeps_only_consented_pledges(app: Flask) -> None:
    campaign_id = seed_pledges(app)
    with app.app_context():
        rows = list(exports.pledge_rows(get_session(), campaign_id))
    assert rows[0] == exports.PLEDGE_COLUMNS
    assert len(rows) - 1 == sum(1 for row in SEED if row[4]) == 4
    assert {row[5] for row in rows[1:]} == {"yes"}


def _export_events(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            get_session().scalars(
                sa.select(AuditEvent.action).where(AuditEvent.action.startswith("export"))
            )
        )


def test_an_export_address_opened_from_a_link_shows_a_button_and_downloads_nothing(
    app: Flask,
) -> None:
    """The adversary's link on another site downloaded pledges.csv in the organizer's name."""
    client = _seeded(app)
    # Even just asked again (stepup.py), a GET downloads nothing.
    assert step_up(client, f"{BASE}/pledges.csv").status_code == 303
    for path in (f"{BASE}/pledges.csv", f"{BASE}/districts.csv"):
        page = client.get(path, headers={"Sec-Fetch-Site": "cross-site", "Referer": "https://x"})
        assert page.status_code == 200
        assert page.mimetype == "text/html"
        assert "Content-Disposition" not in page.headers
        html = page.get_data(as_text=True)
        assert not re.search(r"supporter\d+@", html) and "Supporter Number" not in html
        assert re.search(rf'<form method="post" action="{re.escape(path)}"', html)
        assert 'name="csrf_token"' in html
    assert _export_events(app) == []
    pledges_page = page_text(client.get(f"{BASE}/pledges.csv").get_data(as_text=True))
    assert "only the supporters who agreed to be contacted: 4 of 8 pledges" in pledges_page


def test_an_export_needs_the_pages_token_and_a_same_site_post(app: Flask) -> None:
    client = _seeded(app)
    path = f"{BASE}/pledges.csv"
    assert client.post(path).status_code == 400
    assert client.post(path, data={"csrf_token": "forged"}).status_code == 400
    assert step_up(client, path).status_code == 303
    token = hidden_value(client.get(path).get_data(as_text=True), "csrf_token")
    # A browser that says another site sent the form is refused even with a token.
    for origin in ("cross-site", "same-site"):
        refused = client.post(path, data={"csrf_token": token}, headers={"Sec-Fetch-Site": origin})
        assert refused.status_code == 403
        assert "@example.org" not in refused.get_data(as_text=True)
    assert _export_events(app) == []
    sent = client.post(path, data={"csrf_token": token}, headers={"Sec-Fetch-Site": "same-origin"})
    assert sent.status_code == 200 and sent.mimetype == "text/csv"
    assert _export_events(app) == ["export pledges.csv"]


def test_the_dashboard_offers_each_export_as_a_button_that_posts_a_token(app: Flask) -> None:
    client = _seeded(app)
    html = client.get(f"{BASE}/").get_data(as_text=True)
    for name in ("pledges.csv", "districts.csv"):
        form = parse(html).one("form", method="post", action=f"{BASE}/{name}")
        assert form.find_all("input", name="csrf_token") and form.find_all("button", type="submit")
        assert f'href="{BASE}/{name}' not in html
    assert "agreed to be contacted (4 of 8)" in page_text(html)
    token = hidden_value(html, "csrf_token")
    assert client.post(f"{BASE}/districts.csv", data={"csrf_token": token}).status_code == 200


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(app: Flask) -> None:
    assert exports.neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert exports.neutralise("+1") == "'+1"
    assert exports.neutralise("-1") == "'-1"
    assert exports.neutralise("@x") == "'@x"
    assert exports.neutralise("\tx") == "'\tx"
    assert exports.neutralise("\rx") == "'\rx"
    assert exports.neutralise("Seattle") == "Seattle"
    assert exports.neutralise(7) == "7"
    assert exports.neutralise(None) == ""

    client = signed_in_client(app)
    hostile = [
        ("WA", 7, "=cmd", "+1", True, "-1", 0),
        ("WA", 7, "@x", "\tref", True, "\rnote", 0),
    ]
    seed_pledges(app, hostile)
    rows = _csv(download(client, f"{BASE}/pledges.csv"))
    assert [(r["city"], r["ref"]) for r in rows] == [("'=cmd", "'+1"), ("'@x", "'\tref")]


def test_districts_csv_counts_per_seat(make_app: Callable[..., Flask]) -> None:
    # A small number of 1 hides nothing: every count exact (the default's words: above).
    client = _seeded(make_app(LOBBY_SMALL_NUMBER=1))
    response = download(client, f"{BASE}/districts.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = _csv(response)
    assert [(r["state"], r["district"], r["pledges"]) for r in rows] == [
        ("AK", "0", "1"),
        ("VA", "", "1"),
        ("VA", "8", "2"),
        ("WA", "7", "3"),
        ("WA", "9", "1"),
    ]
    wa7 = holder_record("WA", 7)
    assert wa7 is not None
    assert rows[3]["member"] == wa7.name and rows[3]["party"] == wa7.party
    assert "@" not in response.get_data(as_text=True)


def test_exports_are_audited_without_supporter_data(app: Flask) -> None:
    client = _seeded(app)
    download(client, f"{BASE}/pledges.csv").get_data()
    download(client, f"{BASE}/districts.csv").get_data()
    with app.app_context():
        events = list(
            get_session().scalars(
                sa.select(AuditEvent).where(AuditEvent.action != "sign-in").order_by(AuditEvent.id)
            )
        )
    assert [(e.action, e.campaign_slug) for e in events] == [
        # Asked again before the contacts (stepup.py): no passkey or code, so the password.
        ("step-up for export (password)", None),
        ("export pledges.csv", SLUG),
        ("export districts.csv", SLUG),
    ]
    columns = set(AuditEvent.__table__.columns.keys())
    # subject: the organizer whose account or role changed (an address, never a supporter's).
    assert columns == {"id", "organizer_id", "action", "campaign_slug", "subject", "created_at"}
    for event in events:
        assert "example.org" not in event.action and "Supporter" not in event.action

    html = client.get(f"{BASE}/").get_data(as_text=True)
    recent = table_rows(html, "exports-table")
    assert [row[1:] for row in recent] == [
        [EMAIL, "export districts.csv"],
        [EMAIL, "export pledges.csv"],
    ]


# --- the lobby report (the House packets; tests/organizers/test_lobby_packets.py has more) --


def test_lobby_report_for_one_district(app: Flask) -> None:
    client = _seeded(app)
    response = client.get(f"{BASE}/report/WA-7")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    text = page_text(html)
    member = holder_record("WA", 7)
    assert member is not None
    assert f"Prepared for the office of Representative {member.name}" in text
    assert f"{member.name} ({member.party}), Representative for Washington, district 7" in text
    assert "3 constituents in this district pledged" in text
    assert "Uyghur Policy Act" in text
    # Seattle has 2 pledges and Shoreline 1: small numbers, and no words from them.
    assert "Seattle: fewer than 3" in text and "Shoreline: fewer than 3" in text
    assert "My cousin has been detained since 2017." not in text
    assert "PRIVATE note" not in text
    main = re.search(r"<main.*</main>", html, re.S)
    assert main and "@" not in main.group(0)
    assert "supporter0" not in html
    assert "Supporter Number" not in text
    assert "98105" not in text


def test_lobby_report_has_one_page_per_district_with_pledges(app: Flask) -> None:
    client = _seeded(app)
    html = client.get(f"{BASE}/report").get_data(as_text=True)
    assert html.count('<article class="packet"') == 4
    for anchor in ("house-AK-0", "house-VA-8", "house-WA-7", "house-WA-9"):
        assert f'id="{anchor}"' in html
    # WA-9 has one pledge and VA-8 two: their supporters' words stay out.
    assert "Please act now." not in html
    assert "HYPERLINK" not in html
    assert "supporter0@example.org" not in html


def test_lobby_report_notes_are_few_and_short(app: Flask) -> None:
    client = signed_in_client(app)
    seed_pledges(
        app, [("WA", 7, "Seattle", "", True, f"note {i} " + "word " * 200, i) for i in range(8)]
    )
    html = client.get(f"{BASE}/report/WA-7").get_data(as_text=True)
    notes = [quote.one("p").text() for quote in parse(html).by_class("packet__quote")]
    assert len(notes) == packets.MAX_QUOTES == 3
    assert all(len(n) <= packets.QUOTE_WIDTH and n.endswith("…") for n in notes)
    assert notes[0].startswith("note 0 ")


def test_lobby_report_for_an_unknown_seat_is_404(app: Flask) -> None:
    client = _seeded(app)
    assert client.get(f"{BASE}/report/WA-99").status_code == 404
    assert client.get(f"{BASE}/report/nonsense").status_code == 404
    # Digits that Python's int() reads but no seat is written with: superscript, Arabic-
    # Indic, full-width; letters outside ASCII; huge numbers.
    for seat in ("WA-²", "WA-٧", "WA-７", "WA-⁷", "ÀÀ-1", "ß-1", "WA-" + "9" * 5000, "WA--7"):
        assert client.get(f"{BASE}/report/{seat}").status_code == 404, seat
    assert client.get(f"{BASE}/report/AK-AL").status_code == 200
    assert client.get(f"{BASE}/report/wa-07").status_code == 200
    # A real seat without pledges is a page with zero.
    assert "0 constituents" in page_text(client.get(f"{BASE}/report/WA-1").get_data(as_text=True))


def test_parse_seat_takes_ascii_seats_only() -> None:
    assert dashboard.parse_seat("WA-7") == ("WA", 7)
    assert dashboard.parse_seat("ak-al") == ("AK", 0)
    assert dashboard.parse_seat("AK-0") == ("AK", 0)
    for text in ("WA-²", "WA-٧", "WA-７", "WA-123", "WA7", "WA-", "W-7", "WA-7\n", " WA-7"):
        assert dashboard.parse_seat(text) is None, text


def test_fit_cuts_at_a_word_and_counts_wide_characters_twice() -> None:
    assert packets.fit("short", 20) == "short"
    assert packets.fit("word " * 100, 20) == "word word word word…"
    assert packets.fit("维吾尔" * 20, 11) == "维吾尔维吾…"  # five wide characters and …
    assert packets.fit("ئۇيغۇر " * 50, 30) == "ئۇيغۇر ئۇيغۇر ئۇيغۇر ئۇيغۇر…"


def test_tile_map_has_every_state_and_dc_shaded_by_count(app: Flask) -> None:
    tiles, width, height = dashboard.tile_map({"WA": 4, "VA": 3, "AK": 1})
    assert len(tiles) == 51 and len({(t.x, t.y) for t in tiles}) == 51
    shades = {t.state: t.shade for t in tiles}
    assert shades["WA"] == 4 and shades["AK"] == 1 and shades["CA"] == 0
    assert 0 < shades["VA"] < 4
    assert width > 0 and height > 0

    client = _seeded(app)
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert html.count('class="org-map__tile') == 51
    assert "<title>Washington: 4</title>" in html
    assert 'aria-labelledby="map-title map-desc"' in html


def test_districts_of_a_map_that_changed_count_as_not_known(app: Flask) -> None:
    rows = [
        ("TX", 37, "Austin", "", True, "Written under the old map.", 40),
        ("WA", 7, "Seattle", "", True, "", 40),
        ("TX", 10, "Austin", "", True, "Written under the new map.", 1),
    ]
    campaign_id = seed_pledges(app, rows)
    maps = load_map_table()
    with app.app_context():
        session = get_session()
        for pledge, congress in zip(
            session.scalars(sa.select(Pledge).order_by(Pledge.id)), (119, 119, 120), strict=True
        ):
            pledge.congress = congress
        # The quotes keep the map their words were written under, as the pledges do.
        for quote, congress in zip(
            session.scalars(sa.select(PledgeQuote).order_by(PledgeQuote.id)),
            (119, 120),
            strict=True,
        ):
            quote.congress = congress
        session.flush()
        tallies.recount(session, campaign_id)
        session.commit()
        on_120, on_119 = stats.SittingMap(120, maps), stats.SittingMap(119, maps)
        # The 119th's TX-37 is not the 120th's; Washington kept its map.
        assert stats.by_district(session, campaign_id, on_120) == {
            ("TX", None): 1,
            ("WA", 7): 1,
            ("TX", 10): 1,
        }
        assert stats.by_district(session, campaign_id, on_119) == {
            ("TX", 37): 1,
            ("WA", 7): 1,
            ("TX", None): 1,
        }
        assert stats.consented_notes(session, campaign_id, "TX", on_120, district=37) == []
        assert stats.consented_notes(session, campaign_id, "TX", on_120, district=10) == [
            stats.Note("Written under the new map.", "Austin", 10)
        ]
        # Statewide (a senator's page), the old map's note counts as district not known.
        assert stats.consented_notes(session, campaign_id, "TX", on_120) == [
            stats.Note("Written under the new map.", "Austin", 10),
            stats.Note("Written under the old map.", "Austin", None),
        ]


def test_an_unconfirmed_pledge_is_never_exported(app: Flask) -> None:
    # Consented, but its owner never confirmed it from their mailbox: anyone could have
    # typed that address, so it names nobody.
    unconfirmed = ("WA", 7, "Seattle", "", True, "", 1)
    campaign_id = seed_pledges(app, [*SEED, unconfirmed])
    with app.app_context():
        session = get_session()
        pledge = session.scalars(
            sa.select(Pledge).where(
                Pledge.email_hash == hashed(f"supporter{len(SEED)}@example.org")
            )
        ).one()
        pledge.confirmed_at = None
        session.commit()
        rows = list(exports.pledge_rows(get_session(), campaign_id))
    emails = {row[2] for row in rows[1:]}
    assert f"supporter{len(SEED)}@example.org" not in emails
    assert len(rows) - 1 == sum(1 for row in SEED if row[4])

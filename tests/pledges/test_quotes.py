"""Notes are kept only to be quoted: a supporter's own words go into their letters, and
are stored readable only when they tick `quote`, apart from the pledge (pledges.quotes)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from pages import SLUG, parse, pledge_fields, submit_pledge
from plaintext import readable_in

from advocacy.db import Base, get_session
from advocacy.models import PledgeQuote, utcnow

API = f"/api/v1/campaigns/{SLUG}/pledges"
THANKS = f"/c/{SLUG}/thanks"
# Several scripts: Uyghur in Arabic and Latin letters, Chinese, Russian.
NOTES = {
    "uyghur": "ئاكام 2017-يىلدىن بېرى لاگېردا.",
    "latin": "Akam 2017-yildin beri lagerda.",
    "chinese": "我的哥哥从2017年起被关在营地里。",
    "russian": "Мой брат в лагере с 2017 года.",
}


def quotes(app: Flask) -> list[PledgeQuote]:
    with app.app_context():
        return list(get_session().scalars(sa.select(PledgeQuote).order_by(PledgeQuote.id)))


def database_rows(app: Flask) -> bytes:
    """Every row of every table, as bytes."""
    parts: list[bytes] = []
    with app.app_context():
        session = get_session()
        for table in Base.metadata.sorted_tables:
            for row in session.execute(sa.select(table)):
                parts += [v if isinstance(v, bytes) else str(v).encode() for v in row]
    return b"\x00".join(parts)


def test_a_note_not_to_be_quoted_goes_into_the_letters_and_nowhere_else(app: Flask) -> None:
    for n, note in enumerate(NOTES.values()):
        client = app.test_client()
        answer = submit_pledge(client, email=f"s{n}@example.org", note=note, consent="y")
        assert answer.status_code == 303
        letter = parse(client.get(THANKS).get_data(as_text=True)).by_class("member")[0]
        assert note in letter.one("textarea").text()
    assert (
        app.test_client().post(API, json=pledge_fields(note=NOTES["latin"] + " API")).status_code
        == 202
    )
    assert quotes(app) == []
    assert readable_in(database_rows(app), [*NOTES.values(), NOTES["latin"] + " API"]) == []


def test_words_agreed_to_be_quoted_are_kept_with_their_place_and_day_only(app: Flask) -> None:
    client = app.test_client()
    note = "  " + NOTES["uyghur"] + "  "
    assert (
        submit_pledge(client, note=note, quote="y", street="", city="Shoreline").status_code == 303
    )
    body = pledge_fields(email="api@example.org", note=NOTES["chinese"], quote=True, city="")
    assert app.test_client().post(API, json=body).status_code == 202
    # Ticked without words: nothing to keep.
    assert submit_pledge(app.test_client(), email="b@example.org", quote="y").status_code == 303

    kept = quotes(app)
    assert [(q.text, q.state, q.district, q.city) for q in kept] == [
        (NOTES["uyghur"], "WA", 7, "Shoreline"),
        (NOTES["chinese"], "WA", 7, ""),
    ]
    assert all(q.created_on == utcnow().date() for q in kept)
    # The row has no way back to its pledge or its writer: no id, no email, no name, no time.
    columns = {column.name for column in PledgeQuote.__table__.columns}
    assert columns == {
        "id",
        "campaign_id",
        "state",
        "district",
        "congress",
        "city",
        "text",
        "created_on",
    }
    # The words are still in the letters, as for everyone.
    assert NOTES["uyghur"] in client.get(THANKS).get_data(as_text=True)


def test_quote_must_be_true_or_false_in_the_api(app: Flask) -> None:
    answer = app.test_client().post(API, json=pledge_fields(note="x", quote="yes"))
    assert answer.status_code == 422
    assert answer.get_json()["fields"] == {"quote": "Must be true or false."}
    assert quotes(app) == []


def test_the_form_asks_off_by_default_and_says_a_withdrawal_cannot_reach_them(
    make_app: Any,
) -> None:
    app = make_app(RETENTION_DAYS=200)
    page = parse(app.test_client().get(f"/c/{SLUG}").get_data(as_text=True))
    box = page.by_id("quote")
    assert box.attrs["type"] == "checkbox" and "checked" not in box.attrs
    assert box.attrs["aria-describedby"] == "quote-hint"
    label = page.one("label", for_="quote").text()
    assert "without my name" in label
    hint = page.by_id("quote-hint").squeezed()
    assert "cannot be found again to remove if you withdraw" in hint
    assert "we delete them 200 days after you sign" in hint


def test_purge_deletes_quotes_older_than_the_retention_period(make_app: Any) -> None:
    app = make_app(RETENTION_DAYS=30)
    client = app.test_client()
    for email in ("old@example.org", "new@example.org"):
        body = pledge_fields(email=email, note=f"Words of {email}", quote=True)
        assert client.post(API, json=body).status_code == 202
    with app.app_context():
        session = get_session()
        session.execute(
            sa.update(PledgeQuote)
            .where(PledgeQuote.text == "Words of old@example.org")
            .values(created_on=utcnow().date() - timedelta(days=31))
        )
        session.commit()
    result = app.test_cli_runner().invoke(args=["pledges", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 quote(s) older than 30 day(s)" in result.output
    assert [q.text for q in quotes(app)] == ["Words of new@example.org"]

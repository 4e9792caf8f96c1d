"""A pledge counts only once its owner confirms it from their mailbox (issue 19, item 1).

The attack this closes: pledge a throw-away address, then the target's, then another
throw-away, and read the count in the answers or the stats API; a count that moves for a
new address and not for a repeat told whether the target had pledged. Now nothing moves
until a confirmation from the mailbox, and every answer is the same byte for byte.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from contact_keys import hashed, recipient
from flask import Flask
from flask.testing import FlaskClient
from inbox import (
    PUBLIC_URL,
    confirm_waiting,
    mail_config,
    open_link,
    path_and_code,
    post_code,
    send_mail,
    smtp_server,
    without_csrf,
)
from pages import SLUG, hidden_value, pledge_fields, submit_pledge, without_handoff
from werkzeug.test import TestResponse

from advocacy.db import get_session
from advocacy.models import OutboxMail, Pledge

API = f"/api/v1/campaigns/{SLUG}/pledges"
STATS = f"/api/v1/campaigns/{SLUG}"
WIDGET = f"/c/{SLUG}/widget"
CONFIRMED = "Your pledge is confirmed"
NOT_CONFIRMED = "This code does not confirm a pledge"


def stats(client: FlaskClient) -> dict[str, Any]:
    body: dict[str, Any] = client.get(STATS).get_json()
    return body


def visible(response: TestResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    """All an attacker sees of an answer, but the date and the session cookie (random)."""
    headers = [(k, v) for k, v in response.headers if k not in ("Date", "Set-Cookie")]
    return response.status_code, headers, response.get_data()


def pledge_by(entry: str, client: FlaskClient, email: str) -> list[Any]:
    """Pledge as the attacker would through one entry point; return every answer seen."""
    if entry == "api":
        return [visible(client.post(API, json=pledge_fields(email=email)))]
    if entry == "widget":
        page = client.get(WIDGET).get_data(as_text=True)
        data = {**pledge_fields(email=email), "started": hidden_value(page, "started")}
        status, headers, body = visible(client.post(WIDGET, data=data))
        # The handoff's token names a new random visit: the same shape for everyone.
        return [(status, headers, without_handoff(body.decode()).encode())]
    response = submit_pledge(client, email=email)
    thanks = client.get(response.headers["Location"])
    status, headers, body = visible(thanks)
    # The results page's forms carry the session's own CSRF token (random per browser).
    return [visible(response), (status, headers, without_csrf(body.decode()).encode())]


def outbox(app: Flask) -> list[tuple[str, str]]:
    """The emails waiting: (address, kind)."""
    with app.app_context():
        rows = get_session().scalars(sa.select(OutboxMail).order_by(OutboxMail.id))
        return [(recipient(app, row).email, row.kind) for row in rows]


@pytest.mark.parametrize("entry", ["api", "widget", "form"])
def test_the_who_pledged_attack_learns_nothing(app: Flask, entry: str) -> None:
    owner = app.test_client()
    # The targets: one never pledged, one pledged but has not confirmed, one confirmed.
    submit_pledge(owner, email="pending@example.org", name="Pending Owner")
    submit_pledge(owner, email="signed@example.org", name="Signed Owner")
    with app.app_context():
        db = get_session()
        pending = sa.select(Pledge.id).where(Pledge.email_hash == hashed("pending@example.org"))
        db.execute(sa.delete(OutboxMail).where(OutboxMail.pledge_id == pending.scalar_subquery()))
        db.commit()
    assert confirm_waiting(app) == 1  # signed@ confirms from their mailbox
    before = stats(owner)
    assert before["pledge_count"] == 1

    seen: dict[str, list[Any]] = {}
    counts = []
    for n, target in enumerate(["new@example.org", "pending@example.org", "signed@example.org"]):
        attacker = app.test_client()  # a fresh browser each time
        for label, email in (
            (f"throwaway-{n}-a", f"throwaway-{n}-a@example.net"),
            (target, target),
            (f"throwaway-{n}-b", f"throwaway-{n}-b@example.net"),
        ):
            seen[label] = pledge_by(entry, attacker, email)
            counts.append(stats(attacker))

    # Every answer, new address or repeat, confirmed or not: the same, byte for byte.
    first = seen["throwaway-0-a"]
    assert all(answers == first for answers in seen.values())
    # No number anyone can see moved: not the count, not when it last changed.
    assert all(body == before for body in counts)
    widget = app.test_client().get(WIDGET).get_data(as_text=True)
    assert "<strong>1</strong> person has added" in widget

    # The mailboxes are where the difference goes: the owners', never the attacker's.
    mailed = dict(outbox(app)[-9:])
    assert mailed["new@example.org"] == "confirm"
    assert mailed["pending@example.org"] == "confirm"  # sent again
    assert mailed["signed@example.org"] == "signed"  # "already signed; how to withdraw"

    # The count moves once, and only for a confirmation from a mailbox.
    assert confirm_waiting(app) == 8  # the throw-aways, new@ and pending@
    assert stats(owner)["pledge_count"] == 9


def test_confirming_from_the_email_end_to_end(make_app: Any) -> None:
    with smtp_server() as inbox:
        app = make_app(**mail_config(inbox.port))
        supporter = app.test_client()
        response = submit_pledge(
            supporter, email="Amina.Tursun@Example.org", name="Amina Tursun", consent="y"
        )
        thanks = supporter.get(response.headers["Location"]).get_data(as_text=True)
        assert "check your email" in thanks and "once you confirm it from your email" in thanks
        assert stats(supporter)["pledge_count"] == 0

        report = send_mail(app)
        assert (report.sent, report.retrying, report.dropped) == (1, 0, 0)
        assert outbox(app) == []  # the row, and with it the codes, went once sent
        [mail] = inbox.received
        assert mail.envelope_to == ["Amina.Tursun@Example.org"]
        assert mail.message["To"] == "Amina.Tursun@Example.org"
        assert mail.message["Subject"].startswith("Confirm your pledge: ")
        assert mail.message["From"] == "Uyghur Policy Act campaign <act@example.org>"
        assert mail.message["Auto-Submitted"] == "auto-generated"
        assert "Name: Amina Tursun" in mail.body and "ZIP code: 98105" in mail.body
        # Links from the configured public address, codes only in their fragment.
        link = mail.link("confirm")
        path, code = path_and_code(link)
        assert link.startswith(f"{PUBLIC_URL}/c/{SLUG}/confirm#")
        assert path == f"/c/{SLUG}/confirm" and code in mail.body  # also to type in
        assert mail.link("withdraw").startswith(f"{PUBLIC_URL}/c/{SLUG}/withdraw#")

        # Opening the link (a mail scanner does) changes nothing.
        form = open_link(supporter, link, press=False)
        assert "Confirm my pledge" in form and 'name="code"' in form
        assert stats(supporter)["pledge_count"] == 0

        # The supporter presses the button, in another browser even (the email's).
        phone = app.test_client()
        page = open_link(phone, link)
        assert CONFIRMED in page and "<strong>1</strong> person has added" in page
        assert stats(phone)["pledge_count"] == 1

        # Twice counts once; a used code and a made-up one get the same page.
        again = open_link(phone, link)
        assert NOT_CONFIRMED in again
        made_up = post_code(phone, "confirm", "K7QX2-M9PDA-3VW8E-TB6HJ")
        assert made_up[0] == 200
        assert without_csrf(made_up[1]) == without_csrf(again)
        assert stats(phone)["pledge_count"] == 1

        # Counted in the dashboard's tallies too (with its consent), on today's date.
        with app.app_context():
            from advocacy.organizers import stats as dashboard

            db = get_session()
            campaign_id = db.scalar(sa.select(Pledge.campaign_id))
            totals = dashboard.totals(db, campaign_id)
            assert (totals.total, totals.consented, totals.today) == (1, 1, 1)


def test_the_widget_and_the_api_are_confirmed_the_same_way(make_app: Any) -> None:
    with smtp_server() as inbox:
        app = make_app(**mail_config(inbox.port))
        client = app.test_client()
        page = client.get(WIDGET).get_data(as_text=True)
        data = {**pledge_fields(email="w@example.org"), "started": hidden_value(page, "started")}
        widget = client.post(WIDGET, data=data).get_data(as_text=True)
        assert "check your email to confirm" in widget
        api = client.post(API, json=pledge_fields(email="a@example.org")).get_json()
        assert set(api) == {"status", "message", "pledge_count", "representatives"}
        assert "email" in api["message"] and api["pledge_count"] == 0
        send_mail(app)
        assert sorted(m.envelope_to[0] for m in inbox.received) == [
            "a@example.org",
            "w@example.org",
        ]
        for mail in inbox.received:
            assert CONFIRMED in open_link(app.test_client(), mail.link("confirm"))
        assert stats(client)["pledge_count"] == 2


def test_a_repeat_mails_the_owner_what_fits(make_app: Any) -> None:
    with smtp_server() as inbox:
        app = make_app(**mail_config(inbox.port))
        client = app.test_client()
        client.post(API, json=pledge_fields())
        client.post(API, json=pledge_fields(email="AMINA@example.org", name="Someone Else"))
        send_mail(app)
        first, resent = inbox.received
        # Unconfirmed: the confirmation again, with codes of its own; either one works.
        assert resent.message["Subject"] == first.message["Subject"]
        assert resent.link("confirm") != first.link("confirm")
        # The name typed this time: the pledge keeps none the server could show.
        assert "Name: Someone Else" in resent.body
        assert CONFIRMED in open_link(app.test_client(), first.link("confirm"))
        # The other code of the same pledge is used up with it.
        assert NOT_CONFIRMED in open_link(app.test_client(), resent.link("confirm"))

        client.post(API, json=pledge_fields())
        send_mail(app)
        signed = inbox.received[-1]
        assert signed.message["Subject"].startswith("You have already signed: ")
        assert "counted" in signed.body and "/confirm" not in signed.body
        assert stats(client)["pledge_count"] == 1
        assert "Your pledge is withdrawn" in open_link(app.test_client(), signed.link("withdraw"))
        assert stats(client)["pledge_count"] == 0


def test_mail_to_one_address_is_limited_and_the_answer_stays_the_same(
    make_app: Any,
) -> None:
    app = make_app(MAIL_PER_ADDRESS_PER_DAY=3)
    client = app.test_client()
    answers = [
        client.post(API, json=pledge_fields(email=email)).get_data()
        for email in (
            "bomb@example.org",
            "BOMB@example.org",
            "bomb+1@example.org",  # the same mailbox: the same budget
            "bomb@example.org",
            "bomb+2@example.org",
        )
    ]
    assert len(set(answers)) == 1
    assert [email.lower() for email, _ in outbox(app)] == [
        "bomb@example.org",
        "bomb@example.org",
        "bomb+1@example.org",
    ]
    # Another address has its own budget.
    client.post(API, json=pledge_fields(email="other@example.org"))
    assert outbox(app)[-1] == ("other@example.org", "confirm")


def test_an_address_a_mail_server_would_read_differently_is_refused(client: FlaskClient) -> None:
    for email in ("a,b@example.org", "a(comment)@example.org", 'a"b"@example.org'):
        response = client.post(API, json=pledge_fields(email=email))
        assert response.status_code == 422
        assert "one email address" in response.get_json()["fields"]["email"]


def test_links_come_from_the_public_address_not_the_host_header(make_app: Any) -> None:
    with smtp_server() as inbox:
        app = make_app(**mail_config(inbox.port))
        client = app.test_client()
        client.post(API, json=pledge_fields(), headers={"Host": "evil.example"})
        send_mail(app)
        [mail] = inbox.received
        assert all(link.startswith(PUBLIC_URL + "/") for link in mail.links())
        assert "evil" not in mail.body

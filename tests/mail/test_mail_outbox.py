"""The outbox: mail written with the pledge, delivered later, never lost, never waited on.

Every test talks to a real SMTP server on loopback (aiosmtpd), or to a port where none
listens; nothing is mocked but that boundary.
"""

from __future__ import annotations

import logging
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from contact_keys import hashed
from flask import Flask
from inbox import free_port, mail_config, open_link, post_code, send_mail, smtp_server
from pages import SLUG, hidden_value, pledge_fields, submit_pledge

from advocacy.db import get_session
from advocacy.models import Campaign, OutboxMail, Pledge, PledgeKey, utcnow
from advocacy.pledges import codes
from advocacy.pledges.confirmation import confirm

API = f"/api/v1/campaigns/{SLUG}/pledges"


def waiting(app: Flask) -> list[OutboxMail]:
    with app.app_context():
        return list(get_session().scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))


def make_due(app: Flask) -> None:
    """Move every waiting email's next attempt to now (rather than wait out the delay)."""
    with app.app_context():
        db = get_session()
        db.execute(sa.update(OutboxMail).values(next_attempt_at=utcnow()))
        db.commit()


def count(app: Flask) -> int:
    with app.app_context():
        return int(get_session().scalar(sa.select(Campaign.pledge_count)) or 0)


def test_mail_survives_a_mail_server_that_is_down_and_goes_when_it_is_back(
    make_app: Any,
) -> None:
    port = free_port()  # nothing listens there yet
    app = make_app(**mail_config(port))
    client = app.test_client()
    # The answers do not wait on the mail server, and say the same as ever.
    assert submit_pledge(client, email="one@example.org").status_code == 303
    assert client.post(API, json=pledge_fields(email="two@example.org")).status_code == 202

    report = send_mail(app)
    assert (report.sent, report.retrying, report.dropped) == (0, 2, 0)
    rows = waiting(app)
    assert len(rows) == 2
    assert all(row.attempts == 1 and row.last_error for row in rows)
    assert all(row.next_attempt_at > row.created_at for row in rows)  # put off
    # Not due yet: the next run leaves them alone.
    assert send_mail(app).retrying == 0 and len(waiting(app)) == 2
    failed = app.test_cli_runner().invoke(args=["mail", "send"])
    assert failed.exit_code == 0 and "Sent 0 email(s)" in failed.output
    status = app.test_cli_runner().invoke(args=["mail", "status"])
    assert "2 email(s) wait" in status.output and "ConnectionRefusedError" in status.output

    with smtp_server(port) as inbox:
        make_due(app)
        result = app.test_cli_runner().invoke(args=["mail", "send"])
        assert result.exit_code == 0, result.output
        assert "Sent 2 email(s)" in result.output
        assert sorted(mail.envelope_to[0] for mail in inbox.received) == [
            "one@example.org",
            "two@example.org",
        ]
        assert waiting(app) == []
        assert "No email waits" in app.test_cli_runner().invoke(args=["mail", "status"]).output
        # And the codes in them work.
        for mail in inbox.received:
            assert "Your pledge is confirmed" in open_link(app.test_client(), mail.link("confirm"))
        assert count(app) == 2


def test_mail_send_exits_1_while_the_server_refuses_connections(make_app: Any) -> None:
    app = make_app(**mail_config(free_port()))
    app.test_client().post(API, json=pledge_fields())
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 1
    assert "1 to try again later" in result.output


def test_retries_wait_longer_each_time() -> None:
    from advocacy.mail.outbox import retry_delay

    delays = [retry_delay(n) for n in range(1, 10)]
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays[-1] == timedelta(hours=1)


def test_a_recipient_refused_for_good_is_dropped_and_the_rest_go(make_app: Any) -> None:
    with smtp_server() as inbox:
        inbox.refuse.add("nobody@example.org")
        app = make_app(**mail_config(inbox.port))
        client = app.test_client()
        client.post(API, json=pledge_fields(email="nobody@example.org"))
        client.post(API, json=pledge_fields(email="somebody@example.org"))
        report = send_mail(app)
        assert (report.sent, report.retrying, report.dropped) == (1, 0, 1)
        assert [mail.envelope_to for mail in inbox.received] == [["somebody@example.org"]]
        assert waiting(app) == []


def test_mail_about_a_withdrawn_pledge_is_not_sent(make_app: Any) -> None:
    with smtp_server() as inbox:
        app = make_app(**mail_config(inbox.port))
        client = app.test_client()
        client.post(API, json=pledge_fields())
        [row] = waiting(app)
        page = client.get(f"/c/{SLUG}/withdraw").get_data(as_text=True)
        token = hidden_value(page, "csrf_token")
        client.post(f"/c/{SLUG}/withdraw", data={"csrf_token": token, "code": row.withdraw_code})
        assert waiting(app) == []  # went with the pledge
        assert send_mail(app).sent == 0 and inbox.received == []


def test_undelivered_mail_is_given_up_when_its_codes_expire(make_app: Any) -> None:
    app = make_app(**mail_config(free_port()), PLEDGE_CONFIRM_DAYS=7)
    app.test_client().post(API, json=pledge_fields())
    with app.app_context():
        db = get_session()
        db.execute(sa.update(OutboxMail).values(created_at=utcnow() - timedelta(days=8)))
        db.commit()
    report = send_mail(app)
    assert (report.sent, report.retrying, report.dropped) == (0, 0, 1)
    assert waiting(app) == []


def test_the_background_sender_delivers_without_being_asked(make_app: Any) -> None:
    with smtp_server() as inbox:
        app = make_app(**mail_config(inbox.port), MAIL_SEND_IN_APP=True)
        mailer = app.extensions["advocacy.mailer"]
        try:
            response = app.test_client().post(API, json=pledge_fields())
            assert response.status_code == 202
            [mail] = inbox.wait_for(1)
            assert mail.envelope_to == ["amina@example.org"]
        finally:
            mailer.stop()
        assert waiting(app) == []


def test_without_a_mail_server_development_writes_eml_files_and_says_where(
    make_app: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()  # no MAIL_SERVER: development
    app.test_client().post(API, json=pledge_fields())
    with caplog.at_level(logging.WARNING):
        assert send_mail(app).sent == 1
    folder = Path(app.instance_path) / "mail"
    [written] = list(folder.glob("*.eml"))
    assert str(written) in caplog.text
    assert "amina@example.org" not in caplog.text  # the log never holds the address
    text = written.read_text()
    assert "To: amina@example.org" in text and "http://127.0.0.1:5000/c/" in text


def test_a_code_works_for_the_days_set_and_an_unconfirmed_pledge_then_goes(
    make_app: Any,
) -> None:
    app = make_app(PLEDGE_CONFIRM_DAYS=7)
    client = app.test_client()
    submit_pledge(client, email="late@example.org")
    submit_pledge(client, email="kept@example.org")
    rows = waiting(app)
    late = rows[0].confirm_code
    assert late is not None
    with app.app_context():
        db = get_session()
        eight_days_ago = utcnow() - timedelta(days=8)
        late_id = db.scalar(
            sa.select(Pledge.id).where(Pledge.email_hash == hashed("late@example.org"))
        )
        db.execute(sa.update(Pledge).where(Pledge.id == late_id).values(created_at=eight_days_ago))
        db.execute(
            sa.update(PledgeKey)
            .where(PledgeKey.pledge_id == late_id)
            .values(created_at=eight_days_ago)
        )
        db.commit()
        campaign_id = db.scalar(sa.select(Campaign.id))
        assert campaign_id is not None
        expired = confirm(db, campaign_id, late, now=utcnow(), valid_for=timedelta(days=7))
        assert not expired
        db.rollback()
    result = app.test_cli_runner().invoke(args=["pledges", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 pledge(s) left unconfirmed for 7 day(s)" in result.output
    with app.app_context():
        db = get_session()
        assert db.scalars(sa.select(Pledge.email_hash)).all() == [hashed("kept@example.org")]
        # Its codes and its unsent email went with it.
        keys = db.scalar(sa.select(sa.func.count()).select_from(PledgeKey))
        assert keys == 2  # kept@'s confirm and withdraw codes
        assert len(waiting(app)) == 1


def test_a_repeat_keeps_an_unconfirmed_pledge_alive_with_a_fresh_code(make_app: Any) -> None:
    app = make_app(PLEDGE_CONFIRM_DAYS=7)
    client = app.test_client()
    submit_pledge(client)
    with app.app_context():
        db = get_session()
        old = utcnow() - timedelta(days=8)
        db.execute(sa.update(Pledge).values(created_at=old))
        db.execute(sa.update(PledgeKey).values(created_at=old))
        db.commit()
    submit_pledge(client)  # the supporter tries again: a new email, a code that works
    app.test_cli_runner().invoke(args=["pledges", "purge"])
    fresh = waiting(app)[-1].confirm_code
    assert fresh is not None
    status, html = post_code(client, "confirm", codes.shown(fresh))
    assert "Your pledge is confirmed" in html
    assert count(app) == 1


def test_no_answer_waits_on_a_mail_server_that_hangs(make_app: Any) -> None:
    hung = socket.socket()  # a server that accepts connections and never says a word
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    config = {**mail_config(hung.getsockname()[1]), "MAIL_TIMEOUT": 5}
    app = make_app(**config, MAIL_SEND_IN_APP=True)
    mailer = app.extensions["advocacy.mailer"]
    client = app.test_client()
    try:
        assert client.post(API, json=pledge_fields(email="a@example.org")).status_code == 202
        connection, _ = hung.accept()  # the sender is now stuck waiting for a greeting
        # The next supporters are answered all the same, while the sender waits.
        assert client.post(API, json=pledge_fields(email="b@example.org")).status_code == 202
        assert submit_pledge(client, email="c@example.org").status_code == 303
        connection.close()
    finally:
        hung.close()  # the sender's attempts fail at once from here
        mailer.stop()
    assert len(waiting(app)) == 3  # nothing lost: tried again later

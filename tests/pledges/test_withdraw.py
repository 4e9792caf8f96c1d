"""Withdrawing a pledge with the code from the supporter's email: the page says what
happened to the mailbox's pledge, and never tells anyone else whether an email had
pledged; never a link in an answer to whoever typed the address."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from contact_keys import hashed
from flask import Flask
from flask.testing import FlaskClient
from inbox import (
    confirm_waiting,
    mail_config,
    open_link,
    post_code,
    send_mail,
    smtp_server,
    without_csrf,
)
from pages import SLUG, hidden_value, page_text, pledge_fields, submit_pledge

from advocacy.db import get_session
from advocacy.models import Campaign, OutboxMail, Pledge, PledgeKey, SupporterVisit, utcnow

API = f"/api/v1/campaigns/{SLUG}/pledges"
WITHDRAWN = "Your pledge is withdrawn"
NOTHING = "There is no pledge to withdraw with this code"
LEGACY = "No pledge is left under this link"


def counts(app: Flask) -> tuple[int, int, int]:
    """Return the campaign's count, the pledges stored and the results pages kept."""
    with app.app_context():
        db = get_session()
        count = db.scalar(sa.select(Campaign.pledge_count).where(Campaign.slug == SLUG))
        pledges = db.scalar(sa.select(sa.func.count()).select_from(Pledge))
        visits = db.scalar(sa.select(sa.func.count()).select_from(SupporterVisit))
        return int(count or 0), int(pledges or 0), int(visits or 0)


def withdraw_codes(app: Flask) -> list[str]:
    """The withdraw codes waiting in the outbox, oldest first (what the emails will carry)."""
    with app.app_context():
        return list(
            get_session().scalars(sa.select(OutboxMail.withdraw_code).order_by(OutboxMail.id))
        )


def test_no_answer_to_a_pledge_carries_a_withdraw_link(app: Flask, client: FlaskClient) -> None:
    form = submit_pledge(client, email="form@example.org")
    thanks = client.get(form.headers["Location"]).get_data(as_text=True)
    api = client.post(API, json=pledge_fields(email="api@example.org")).get_data(as_text=True)
    page = client.get(f"/c/{SLUG}/widget").get_data(as_text=True)
    data = {**pledge_fields(email="widget@example.org"), "started": hidden_value(page, "started")}
    widget = client.post(f"/c/{SLUG}/widget", data=data).get_data(as_text=True)
    for answer in (thanks, api, widget):
        assert "/withdraw" not in answer and "withdraw_url" not in answer
    # Each withdraw code waits for its own mailbox, and nowhere else.
    for code in withdraw_codes(app):
        assert all(code not in answer for answer in (thanks, api, widget))


def test_the_emailed_link_withdraws_a_confirmed_pledge_and_erases_its_data(
    make_app: Any,
) -> None:
    with smtp_server() as inbox:
        app = make_app(**mail_config(inbox.port))
        client = app.test_client()
        submit_pledge(client, email="amina@example.org")
        send_mail(app)
        [mail] = inbox.received
        assert "Your pledge is confirmed" in open_link(client, mail.link("confirm"))
        assert counts(app) == (1, 1, 1)
        link = mail.link("withdraw")
        assert "amina" not in link.lower()  # no personal data in the address
        ask = open_link(client, link, press=False)
        assert "Withdraw your pledge?" in ask
        assert WITHDRAWN in open_link(client, link)
        assert counts(app) == (0, 0, 0)
        # The results page of this browser is gone too.
        assert client.get(f"/c/{SLUG}/thanks").status_code == 302


def test_withdrawing_an_unconfirmed_pledge_deletes_it_without_touching_the_count(
    app: Flask, client: FlaskClient
) -> None:
    submit_pledge(app.test_client(), email="someone@example.org")
    confirm_waiting(app)
    submit_pledge(client, email="not-me@example.org")  # typed by someone else
    assert counts(app)[:2] == (1, 2)
    [code] = withdraw_codes(app)  # the confirmed pledge's email was dropped at confirming
    status, html = post_code(client, "withdraw", code)
    assert (status, WITHDRAWN in html) == (200, True)
    assert counts(app)[:2] == (1, 1)
    with app.app_context():  # its codes and its unsent email went with it
        emails = get_session().scalars(sa.select(Pledge.email_hash)).all()
        assert emails == [hashed("someone@example.org")]
        assert get_session().scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def test_every_email_carries_a_code_that_keeps_working(app: Flask, client: FlaskClient) -> None:
    # A repeat (perhaps by someone else) mails a new code; the first email's still works.
    submit_pledge(client, email="amina@example.org")
    submit_pledge(app.test_client(), email="AMINA@example.org")
    first, second = withdraw_codes(app)
    assert first != second
    confirm_waiting(app)
    status, html = post_code(client, "withdraw", second)
    assert (status, WITHDRAWN in html) == (200, True)
    assert counts(app)[:2] == (0, 0)


def test_a_repeat_emails_link_after_the_pledge_went_says_nothing_was_withdrawn(
    app: Flask, client: FlaskClient
) -> None:
    # The link in the repeat's email, pressed after the first email's withdrew the pledge:
    # it used to say "Your pledge is withdrawn" when nothing happened.
    submit_pledge(client, email="amina@example.org")
    submit_pledge(app.test_client(), email="amina@example.org")
    first, second = withdraw_codes(app)
    assert WITHDRAWN in post_code(client, "withdraw", first)[1]
    status, html = post_code(client, "withdraw", second)
    assert status == 200
    assert WITHDRAWN not in html
    text = page_text(html)
    assert NOTHING in text
    assert "Nothing was changed" in text and "withdrawn with this link or with another" in text
    assert "<title>No pledge to withdraw" in html


def test_a_used_code_and_a_made_up_one_say_there_is_nothing_to_withdraw(
    app: Flask, client: FlaskClient
) -> None:
    submit_pledge(client)
    [code] = withdraw_codes(app)
    withdrawn = post_code(client, "withdraw", code)
    assert WITHDRAWN in withdrawn[1] and NOTHING not in page_text(withdrawn[1])
    used = post_code(client, "withdraw", code)
    made_up = post_code(client, "withdraw", "K7QX2-M9PDA-3VW8E-TB6HJ")
    # The one who holds a used code learns nothing the made-up one would not: both are
    # "no pledge under this code", which is what happened.
    assert used[0] == made_up[0] == 200
    assert without_csrf(used[1]) == without_csrf(made_up[1])
    assert NOTHING in page_text(used[1])
    assert counts(app)[:2] == (0, 0)


def test_withdrawing_nothing_keeps_this_browsers_results_page(
    app: Flask, client: FlaskClient
) -> None:
    submit_pledge(client)
    post_code(client, "withdraw", "K7QX2-M9PDA-3VW8E-TB6HJ")
    assert client.get(f"/c/{SLUG}/thanks").status_code == 200


def test_a_code_typed_by_hand_is_read_as_meant(app: Flask, client: FlaskClient) -> None:
    submit_pledge(client)
    [code] = withdraw_codes(app)
    typed = " " + code.lower().replace("0", "o").replace("1", "l")[:10] + " " + code[10:].lower()
    assert post_code(client, "withdraw", typed)[0] == 200
    assert counts(app)[:2] == (0, 0)


def test_a_malformed_code_is_422_with_a_message_beside_the_field(client: FlaskClient) -> None:
    for code in ("", "12345", "'; DROP TABLE pledges; --", "é" * 20):
        status, html = post_code(client, "withdraw", code)
        assert status == 422
        assert 'id="code-error"' in html and 'aria-invalid="true"' in html


def test_withdrawing_needs_the_forms_csrf_token(app: Flask, client: FlaskClient) -> None:
    submit_pledge(client)
    [code] = withdraw_codes(app)
    assert client.post(f"/c/{SLUG}/withdraw", data={"code": code}).status_code == 400
    assert counts(app)[:2] == (0, 1)


def test_opening_the_page_changes_nothing(app: Flask, client: FlaskClient) -> None:
    # Mail scanners open links: only the supporter's button press withdraws.
    submit_pledge(client)
    [code] = withdraw_codes(app)
    for path in (f"/c/{SLUG}/withdraw", f"/c/{SLUG}/withdraw?code={code}"):
        assert client.get(path).status_code == 200
    assert counts(app)[:2] == (0, 1)


def test_a_link_shown_by_the_earlier_release_still_withdraws(
    app: Flask, client: FlaskClient
) -> None:
    # Thank-you pages used to show /c/<slug>/withdraw/<32 characters>; migration 0009
    # moved their keys into pledge_keys.
    submit_pledge(client)
    confirm_waiting(app)
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz012-_9"
    with app.app_context():
        db = get_session()
        pledge_id = db.scalar(sa.select(Pledge.id))
        key = hashlib.sha256(token.encode()).hexdigest()
        db.add(PledgeKey(key=key, pledge_id=pledge_id, purpose="withdraw", created_at=utcnow()))
        db.commit()
    page = client.get(f"/c/{SLUG}/withdraw/{token}")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert hidden_value(html, "csrf_token")
    assert f'value="{token}"' in html  # the form, filled in, posting to the new address
    assert f'action="/c/{SLUG}/withdraw"' in html
    answer = client.post(
        f"/c/{SLUG}/withdraw", data={"csrf_token": hidden_value(html, "csrf_token"), "code": token}
    )
    assert LEGACY in page_text(answer.get_data(as_text=True))
    assert counts(app)[:2] == (0, 0)


def test_an_earlier_releases_link_never_tells_a_withdrawal_from_a_repeats_link(
    app: Flask,
) -> None:
    # Those links were shown to whoever typed the form, and a repeat's withdrew nothing:
    # telling the two apart would say whether the address had pledged before.
    submit_pledge(app.test_client())
    kept = "AbCdEfGhIjKlMnOpQrStUvWxYz012-_9"
    with app.app_context():
        db = get_session()
        pledge_id = db.scalar(sa.select(Pledge.id))
        key = hashlib.sha256(kept.encode()).hexdigest()
        db.add(PledgeKey(key=key, pledge_id=pledge_id, purpose="withdraw", created_at=utcnow()))
        db.commit()
    answers = []
    for token in (kept, "ZyXwVuTsRqPoNmLkJiHgFeDcBa987-_1"):  # a pledge's, a repeat's
        browser = app.test_client()
        submit_pledge(browser, email=f"{token[:4].lower()}@example.net")  # a results page
        answers.append(post_code(browser, "withdraw", token))
        # Either way this browser's results page goes, so the cookie says nothing either.
        assert browser.get(f"/c/{SLUG}/thanks").status_code == 302
    assert {status for status, _ in answers} == {200}
    assert len({without_csrf(html) for _, html in answers}) == 1
    text = page_text(answers[0][1])
    assert LEGACY in text and WITHDRAWN not in text
    assert "If a pledge made then was still on file under it, it is withdrawn now" in text

"""The emails about a pledge, in the language of the page it was made on (issue #23).

A pledge sent on /ug/c/<slug> gets its email in Uyghur, with links to the pages in
Uyghur; on /ug-Latn/ in Latin script with links to /ug-Latn/; on /c/<slug> in English,
as before. The email is written when the outbox sends it, from the language kept on its
row. Real SMTP on loopback; the Uyghur is the shipped catalogue's.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from inbox import PUBLIC_URL, Received, free_port, mail_config, open_link, send_mail, smtp_server
from pages import SLUG, hidden_value, parse, pledge_fields

from advocacy.db import get_session
from advocacy.i18n.uly import to_latin
from advocacy.models import OutboxMail

HELLO = "ياخشىمۇسىز،"
CONFIRM_SUBJECT = "ۋەدىڭىزنى جەزملەشتۈرۈڭ"
SIGNED_SUBJECT = "سىز ئاللىبۇرۇن ئىمزا قويغان"


def pledge_and_receive(app: Flask, prefix: str, email: str = "amina@example.org") -> Received:
    """Pledge on the campaign page at prefix, let the outbox send, return the email."""
    client = app.test_client()
    html = client.get(f"{prefix}/c/{SLUG}").get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        **pledge_fields(email=email),
    }
    assert client.post(f"{prefix}/c/{SLUG}", data=data).status_code == 303
    with smtp_server(app.config["MAIL_PORT"]) as inbox:
        assert send_mail(app).sent == 1
    (mail,) = inbox.received
    return mail


@pytest.fixture
def mail_app(make_app: Any) -> Flask:
    app: Flask = make_app(**mail_config(free_port()))
    return app


def outbox_languages(app: Flask) -> list[str | None]:
    with app.app_context():
        return list(get_session().scalars(sa.select(OutboxMail.language)))


def test_a_pledge_on_the_uyghur_page_is_confirmed_by_an_email_in_uyghur(mail_app: Flask) -> None:
    mail = pledge_and_receive(mail_app, "/ug")
    assert str(mail.message["Subject"]).startswith(f"{CONFIRM_SUBJECT}: ")
    assert mail.body.startswith(HELLO)
    assert "Please" not in mail.body and "pledge" not in mail.body
    links = mail.links()
    assert links and all(link.startswith(f"{PUBLIC_URL}/ug/c/{SLUG}") for link in links)
    # The link opens the confirm page in Uyghur, and confirms.
    page = parse(open_link(mail_app.test_client(), mail.link("confirm")))
    assert page.one("html").attrs["lang"] == "ug"
    assert page.one("h1").squeezed() == "ۋەدىڭىز جەزملەشتۈرۈلدى"


def test_a_pledge_on_the_latin_page_gets_its_email_in_latin(mail_app: Flask) -> None:
    mail = pledge_and_receive(mail_app, "/ug-Latn")
    assert str(mail.message["Subject"]).startswith(to_latin(CONFIRM_SUBJECT, capitalize=True))
    assert mail.body.startswith(to_latin(HELLO, capitalize=True))
    assert not any("\u0600" <= char <= "\u06ff" for char in mail.body)
    links = mail.links()
    assert links and all(link.startswith(f"{PUBLIC_URL}/ug-Latn/c/{SLUG}") for link in links)


def test_a_pledge_on_the_english_page_gets_the_english_email_as_before(mail_app: Flask) -> None:
    mail = pledge_and_receive(mail_app, "")
    assert str(mail.message["Subject"]).startswith("Confirm your pledge: ")
    body = mail.body.replace("\r\n", "\n")
    assert body.startswith("Hello,\n\nSomeone, most likely you, used this email address")
    links = mail.links()
    assert links and all(link.startswith(f"{PUBLIC_URL}/c/{SLUG}") for link in links)


def test_the_outbox_row_keeps_the_page_language_until_it_is_sent(mail_app: Flask) -> None:
    client = mail_app.test_client()
    for prefix, email in (
        ("/ug", "a@example.org"),
        ("/ug-Latn", "b@example.org"),
        ("", "c@example.org"),
    ):
        html = client.get(f"{prefix}/c/{SLUG}").get_data(as_text=True)
        data = {"started": hidden_value(html, "started"), **pledge_fields(email=email)}
        assert client.post(f"{prefix}/c/{SLUG}", data=data).status_code == 303
    assert sorted(outbox_languages(mail_app), key=str) == [None, "ug", "ug-Latn"]


def test_a_repeat_on_the_uyghur_page_is_told_in_uyghur_it_was_already_signed(
    mail_app: Flask,
) -> None:
    first = pledge_and_receive(mail_app, "/ug")
    open_link(mail_app.test_client(), first.link("confirm"))
    again = pledge_and_receive(mail_app, "/ug")
    assert str(again.message["Subject"]).startswith(f"{SIGNED_SUBJECT}: ")
    assert again.body.startswith(HELLO)
    assert all(link.startswith(f"{PUBLIC_URL}/ug/c/{SLUG}") for link in again.links())

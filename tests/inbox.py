"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and helpers to
read a supporter's email and follow its links as they would."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask
from flask.testing import FlaskClient
from pages import SLUG, hidden_value

from advocacy.db import get_session
from advocacy.mail.outbox import DeliveryReport
from advocacy.models import Campaign, OutboxMail, Pledge

PUBLIC_URL = "https://act.example.org"
FROM = "Uyghur Policy Act campaign <act@example.org>"
LINK = re.compile(r"https://act\.example\.org/\S+")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())  # type: ignore[attr-defined]

    def links(self) -> list[str]:
        return LINK.findall(self.body)

    def link(self, page: str) -> str:
        """Return the link to the confirm or withdraw page, with its #code."""
        found = [url for url in self.links() if f"/{page}#" in url]
        assert len(found) == 1, self.body
        return found[0]


@dataclass
class Mailbox:
    """What the server has received; addresses it refuses for good (550)."""

    port: int
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.original_content or b""
        message = message_from_bytes(content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.arrived:
            self.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), message)
            )
            self.arrived.notify_all()
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.received if address in mail.envelope_to]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        """Wait until count messages have arrived (the background sender's), or fail."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
        assert len(self.received) >= count, f"{len(self.received)} of {count} arrived"
        return self.received


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[Mailbox]:
    """Run an SMTP server on 127.0.0.1 (a free port, or the one given) while in the block."""
    mailbox = Mailbox(port or free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


def mail_config(port: int) -> dict[str, Any]:
    """Settings of an app that mails through the SMTP server on this port."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_SECURITY": "none",
        "MAIL_FROM": FROM,
        "MAIL_TIMEOUT": 5,
        "PUBLIC_URL": PUBLIC_URL,
    }


def send_mail(app: Flask) -> DeliveryReport:
    """Deliver the outbox now, as `advocacy mail send` does."""
    with app.app_context():
        report: DeliveryReport = app.extensions["advocacy.mailer"].send_due()
        return report


def path_and_code(link: str) -> tuple[str, str]:
    """Split a link from an email into what a browser requests and what it keeps (#code)."""
    parts = urlsplit(link)
    return parts.path, parts.fragment


def open_link(client: FlaskClient, link: str, *, press: bool = True) -> str:
    """Do what the page's script and the supporter do: GET the page, then press its button
    with the code from the fragment. Returns the page the button gives (or the form)."""
    path, code = path_and_code(link)
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    if not press:
        return html
    answer = client.post(path, data={"csrf_token": hidden_value(html, "csrf_token"), "code": code})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_data(as_text=True)


def post_code(client: FlaskClient, page: str, code: str, slug: str = SLUG) -> tuple[int, str]:
    """Type a code into the confirm or withdraw page and press its button."""
    path = f"/c/{slug}/{page}"
    html = client.get(path).get_data(as_text=True)
    answer = client.post(path, data={"csrf_token": hidden_value(html, "csrf_token"), "code": code})
    return answer.status_code, answer.get_data(as_text=True)


def without_csrf(html: str) -> str:
    """The page without its session's CSRF token (random per session)."""
    return re.sub(r'name="csrf_token"( type="hidden")? value="[^"]*"', "", html)


def confirm_waiting(app: Flask, client: FlaskClient | None = None) -> int:
    """Confirm every pledge whose confirmation email waits in the outbox, as its supporter
    would with the code (without an SMTP server); return how many were counted."""
    with app.app_context():
        waiting = (
            get_session()
            .execute(
                sa.select(Campaign.slug, OutboxMail.confirm_code)
                .join(Pledge, Pledge.id == OutboxMail.pledge_id)
                .join(Campaign, Campaign.id == Pledge.campaign_id)
                .where(OutboxMail.kind == "confirm")
            )
            .all()
        )
    client = client or app.test_client()
    counted = 0
    for slug, code in waiting:
        status, html = post_code(client, "confirm", code, slug)
        assert status == 200, html
        counted += "Your pledge is confirmed" in html
    return counted

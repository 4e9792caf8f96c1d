"""Mail: the outbox (rows written with the change they tell of), its senders, and the
transports that hand messages to an SMTP server or, in development, to a folder.

Plumbing like the database: it knows no capability. What a message says is composed by
the capability that queued it (pledges.mails), registered with `Mailer.compose`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app

from advocacy.mail.sender import Mailer
from advocacy.mail.transport import FolderTransport, SmtpTransport, Transport


def init_app(app: Flask) -> None:
    """Give the app its mailer (the thread starts with the first mail) and its commands."""
    from advocacy.mail.cli import mail_group

    give_up_after = timedelta(days=app.config["PLEDGE_CONFIRM_DAYS"])
    mailer = Mailer(transport_for(app), give_up_after, app.config["MAIL_SEND_IN_APP"])
    app.extensions["advocacy.mailer"] = mailer
    app.cli.add_command(mail_group)


def transport_for(app: Flask) -> Transport:
    """Return the SMTP server configured, or the development folder without one."""
    config = app.config
    if not config["MAIL_SERVER"]:
        return FolderTransport(Path(app.instance_path) / "mail")
    return SmtpTransport(
        host=config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        security=config["MAIL_SECURITY"],
        username=str(config["MAIL_USERNAME"] or ""),
        password=str(config["MAIL_PASSWORD"] or ""),
        timeout=config["MAIL_TIMEOUT"],
        local_hostname=urlsplit(config["PUBLIC_URL"]).hostname or "localhost",
    )


def get_mailer() -> Mailer:
    mailer: Mailer = current_app.extensions["advocacy.mailer"]
    return mailer


def outbox_changed() -> None:
    """Wake this process's sender once a request's mail is committed (cheap: one event)."""
    get_mailer().wake(current_app._get_current_object())  # type: ignore[attr-defined]

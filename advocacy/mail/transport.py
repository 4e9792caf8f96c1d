"""Handing messages to an SMTP server, or to a folder of .eml files in development.

The standard library's smtplib and email packages do all of it: a message, a connection
with a timeout, STARTTLS or TLS from the start with certificates checked, a login. Each
transport receives its settings in the constructor, never reads the app or the
environment, and raises one error type of its own, MailError.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class MailError(Exception):
    """A message was not handed over.

    permanent: the server refused this message for good (its recipient does not exist),
    so sending it again cannot help; anything else (the server down, a timeout, a
    refused login, a full mailbox) is worth another try later.
    """

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Transport(Protocol):
    def send(self, messages: Sequence[EmailMessage]) -> list[MailError | None]:
        """Hand over each message; return, for each, None once sent or why it was not."""
        ...  # pragma: no cover


@dataclass(frozen=True)
class SmtpTransport:
    """An SMTP server: one connection for a batch of messages."""

    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    username: str
    password: str
    timeout: float
    # The name we greet the server with: given, because smtplib would otherwise ask the
    # resolver for this machine's name, with no timeout.
    local_hostname: str = "localhost"

    def send(self, messages: Sequence[EmailMessage]) -> list[MailError | None]:
        if not messages:
            return []
        try:
            connection = self._connect()
        except (OSError, smtplib.SMTPException) as error:
            return [MailError(_reason(error)) for _ in messages]
        results: list[MailError | None] = []
        try:
            for message in messages:
                results.append(_send_one(connection, message))
        except (OSError, smtplib.SMTPException) as error:
            # The connection broke: this message and the rest wait for the next try.
            log.warning("the mail server connection broke: %s", _reason(error))
        finally:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()
        lost = MailError("connection lost before the message was sent")
        return results + [lost for _ in range(len(messages) - len(results))]

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if self.security == "ssl":
            connection = smtplib.SMTP_SSL(
                self.host,
                self.port,
                local_hostname=self.local_hostname,
                timeout=self.timeout,
                context=context,
            )
        else:
            connection = smtplib.SMTP(
                self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout
            )
        try:
            if self.security == "starttls":
                connection.starttls(context=context)
            if self.username:
                connection.login(self.username, self.password)
        except (OSError, smtplib.SMTPException):
            connection.close()
            raise
        return connection


@dataclass(frozen=True)
class FolderTransport:
    """Development: each message becomes a .eml file in a folder, to open in a mail app."""

    folder: Path

    def send(self, messages: Sequence[EmailMessage]) -> list[MailError | None]:
        results: list[MailError | None] = []
        for message in messages:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
                path = self.folder / f"{stamp}-{secrets.token_hex(3)}.eml"
                path.write_bytes(bytes(message))
            except OSError as error:
                results.append(MailError(_reason(error)))
                continue
            # Where to look, for the developer; never the address.
            log.warning("no ADVOCACY_MAIL_SERVER: wrote the email to %s", path)
            results.append(None)
        return results


def _send_one(connection: smtplib.SMTP, message: EmailMessage) -> MailError | None:
    """Send one message on an open connection; raise only if the connection broke."""
    try:
        connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        permanent = bool(codes) and all(code >= 500 for code in codes)
        return MailError(
            f"recipient refused {codes[0] if codes else ''}".strip(), permanent=permanent
        )
    except smtplib.SMTPResponseException as error:
        if isinstance(error, smtplib.SMTPSenderRefused):
            log.error("the mail server refuses our from address: check ADVOCACY_MAIL_FROM")
        return MailError(_reason(error))
    return None


def _reason(error: BaseException) -> str:
    """Say why, without what the server echoed back (it may quote the address)."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__

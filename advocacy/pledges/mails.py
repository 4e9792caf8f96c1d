"""What the emails about a pledge say: composed when sent, from the outbox row (whose
recipient is encrypted under the secret key's outbox key until then) and the pledge as it
is then (a withdrawn pledge has no mail left to send).

The links carry their code in the fragment (`/c/<slug>/confirm#CODE`): a browser never
sends a fragment, so the code stays out of request lines, access logs and proxies; a
small script on the page reads it into the form. The code is also written out, to type
on the page where that script does not run.

An email is written in the language of the page its pledge was made on (the row's
`language`, /ug/c/<slug> gives "ug"), with links to the pages in that language: composed
inside `speaking(language)`, so the templates' and the subjects' messages come from its
catalogue. A row from before languages, or from an English page, is English.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, current_app, render_template
from flask_babel import gettext
from sqlalchemy.orm import Session

from advocacy.i18n.languages import ENGLISH, Language, by_tag
from advocacy.models import Campaign, OutboxMail, Pledge
from advocacy.pledges import codes
from advocacy.pledges.sealing import Contact, open_recipient, outbox_key
from advocacy.web.languages import speaking
from advocacy.web.links import public_url_for

log = logging.getLogger(__name__)


def compose(session: Session, rows: Sequence[OutboxMail]) -> dict[int, EmailMessage]:
    """Return the message of each outbox row whose pledge is still there."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    pledges = {
        row.id: row
        for row in session.execute(
            sa.select(Pledge.id, Pledge.zip, Campaign.slug, Campaign.title)
            .join(Campaign, Campaign.id == Pledge.campaign_id)
            .where(Pledge.id.in_({row.pledge_id for row in rows}))
        )
    }
    key = outbox_key(app.config["SECRET_KEY"])
    messages: dict[int, EmailMessage] = {}
    for row in rows:
        pledge = pledges.get(row.pledge_id)
        if pledge is None:
            continue
        try:
            # A row written under an earlier secret key cannot be read: nothing to send.
            recipient = open_recipient(key, row.recipient)
            language = by_tag(row.language or "") or ENGLISH
            # Written in the language of the page the pledge was made on.
            with speaking(language):
                messages[row.id] = _message(app, row, pledge, recipient, language)
        except (ValueError, IndexError) as error:
            # An address no mail server would take (the forms refuse these): nothing to send.
            log.warning("an email could not be composed: %s", type(error).__name__)
    return messages


def _subject(kind: str, title: str) -> str:
    if kind == "signed":
        return str(gettext("You have already signed: %(title)s", title=title))
    return str(gettext("Confirm your pledge: %(title)s", title=title))


def _message(
    app: Flask, row: OutboxMail, pledge: Any, recipient: Contact, language: Language
) -> EmailMessage:
    slug = str(pledge.slug)

    def link(endpoint: str, fragment: str = "") -> str:
        # To the pages in the email's language.
        return public_url_for(app, endpoint, fragment, language=language, slug=slug)

    links = {
        "withdraw_code": codes.shown(row.withdraw_code),
        "withdraw_link": link("pledges.withdraw_page", codes.shown(row.withdraw_code)),
        "withdraw_page": link("pledges.withdraw_page"),
        "campaign_page": link("campaigns.page"),
    }
    if row.confirm_code:
        shown = codes.shown(row.confirm_code)
        links.update(
            confirm_code=shown,
            confirm_link=link("pledges.confirm_page", shown),
            confirm_page=link("pledges.confirm_page"),
        )
    body = render_template(
        f"pledges/mail/{row.kind}.txt",
        name=recipient.name,
        zip=pledge.zip,
        title=pledge.title,
        days=app.config["PLEDGE_CONFIRM_DAYS"],
        site=urlsplit(app.config["PUBLIC_URL"]).hostname,
        **links,
    )
    host = urlsplit(app.config["PUBLIC_URL"]).hostname or "localhost"
    message = EmailMessage()
    message["Subject"] = _subject(row.kind, pledge.title)
    message["From"] = app.config["MAIL_FROM"] or f"Advocacy <advocacy@{host}>"
    # The address alone (never the name typed with it), parsed strictly: one mailbox.
    message["To"] = Address(addr_spec=recipient.email)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=host)
    # Sent by a machine: no out-of-office replies, please.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message

"""What the emails about a pledge say: composed when sent, from the outbox row (whose
recipient is encrypted under the secret key's outbox key until then) and the pledge as it
is then (a withdrawn pledge has no mail left to send).

The links carry their code in the fragment (`/c/<slug>/confirm#CODE`): a browser never
sends a fragment, so the code stays out of request lines, access logs and proxies; a
small script on the page reads it into the form. The code is also written out, to type
on the page where that script does not run.
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
from sqlalchemy.orm import Session

from advocacy.models import Campaign, OutboxMail, Pledge
from advocacy.pledges import codes
from advocacy.pledges.sealing import Contact, open_recipient, outbox_key
from advocacy.web.links import public_url_for

log = logging.getLogger(__name__)

SUBJECTS = {
    "confirm": "Confirm your pledge: {title}",
    "signed": "You have already signed: {title}",
}


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
            messages[row.id] = _message(app, row, pledge, recipient)
        except (ValueError, IndexError) as error:
            # An address no mail server would take (the forms refuse these): nothing to send.
            log.warning("an email could not be composed: %s", type(error).__name__)
    return messages


def _message(app: Flask, row: OutboxMail, pledge: Any, recipient: Contact) -> EmailMessage:
    slug = str(pledge.slug)
    links = {
        "withdraw_code": codes.shown(row.withdraw_code),
        "withdraw_link": public_url_for(
            app, "pledges.withdraw_page", codes.shown(row.withdraw_code), slug=slug
        ),
        "withdraw_page": public_url_for(app, "pledges.withdraw_page", slug=slug),
        "campaign_page": public_url_for(app, "campaigns.page", slug=slug),
    }
    if row.confirm_code:
        shown = codes.shown(row.confirm_code)
        links.update(
            confirm_code=shown,
            confirm_link=public_url_for(app, "pledges.confirm_page", shown, slug=slug),
            confirm_page=public_url_for(app, "pledges.confirm_page", slug=slug),
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
    message["Subject"] = SUBJECTS[row.kind].format(title=pledge.title)
    message["From"] = app.config["MAIL_FROM"] or f"Advocacy <advocacy@{host}>"
    # The address alone (never the name typed with it), parsed strictly: one mailbox.
    message["To"] = Address(addr_spec=recipient.email)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=host)
    # Sent by a machine: no out-of-office replies, please.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message

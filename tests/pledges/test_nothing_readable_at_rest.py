"""A breached server's database and logs name no supporter (issue #22).

Supporters pledge through the campaign page, the JSON API and the partner widget, with and
without agreeing to be contacted, with notes in several scripts; their emails are sent;
they confirm, one pledges again in other letter case, one withdraws, an organizer reads
the dashboard and downloads the contacts. Then the database as it lies at rest (SQLite:
the file, with its -wal; PostgreSQL: pg_dump's output) and everything logged hold none of
their names, emails or streets, in any encoding, and no note but those their writers
agreed to have quoted; while the organization's private key opens the consenting
supporters' contacts from the export.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import logging
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import sqlalchemy as sa
from apps import base_config
from contact_keys import PRIVATE_KEY, hashed
from flask import Flask
from flask.testing import FlaskClient
from inbox import Received, mail_config, open_link, send_mail, smtp_server
from organizer_pages import download, signed_in_client
from pages import SLUG, hidden_value, pledge_fields, submit_pledge

from advocacy import create_app
from advocacy.campaigns.service import install_shipped_campaigns
from advocacy.db import get_session
from advocacy.migrate import upgrade
from advocacy.models import OutboxMail, Pledge
from advocacy.organizers.contacts import decrypted_rows
from advocacy.pledges.sealing import email_hash

API = f"/api/v1/campaigns/{SLUG}/pledges"
WIDGET = f"/c/{SLUG}/widget"
PG_DUMP = "/usr/bin/pg_dump"


@dataclass(frozen=True)
class Supporter:
    entry: str  # "form", "api" or "widget"
    name: str
    email: str
    street: str
    note: str
    consent: bool
    quote: bool = False  # the note may be quoted, without the name, to members' offices


SUPPORTERS = [
    Supporter(
        "form",
        "Zulpiye Qeyserova",
        "Zulpiye.Qeyserova@sealing-test.example",
        "4417 Larkspur Terrace",
        "Please pass the act: my mother has not answered since 2017.",
        True,
        quote=True,
    ),
    Supporter(
        "form",
        "ئابلىكىم يەكەنلىك",
        "ablikim.yarkendi@sealing-test.example",
        "9082 Quillfeather Road",
        "مېنىڭ ئائىلەم ئۈچۈن بۇ قانۇننى ماقۇللاڭ",
        False,
    ),
    Supporter(
        "api",
        "Ayşegül Nurmemetova",
        "aysegul.nurmemetova@sealing-test.example",
        "1311 Wintergreen Hollow",
        "我的家人在新疆，请支持这项法案。",
        True,
    ),
    Supporter(
        "form",
        "Erkin Sidiqov",
        "erkin.sidiqov@sealing-test.example",
        "",
        "Mon frère est détenu depuis 2018.",
        False,
        quote=True,
    ),
    Supporter(
        "api",
        "Mehmetjan Tursunbaqi",
        "mehmetjan+pledge@sealing-test.example",
        "",
        "🕊️✊🏽 for my brother 🇺🇸",
        False,
    ),
    Supporter(
        "widget", "Gulbahar Xiyalova", "gulbahar.xiyalova@sealing-test.example", "", "", True
    ),
    Supporter(
        "widget", "Rozinisa Ekberova", "rozinisa.ekberova@sealing-test.example", "", "", False
    ),
]


def encodings(secret: str) -> Iterator[bytes]:
    """Every form a secret could be written in: as text, and as the encodings a database
    dump, a log line or a URL would use."""
    for text in {secret, secret.lower(), secret.strip()}:
        raw = text.encode()
        yield raw
        yield text.encode("utf-16-le")
        yield base64.b64encode(raw)
        yield base64.urlsafe_b64encode(raw)
        yield raw.hex().encode()
        yield quote(text).encode()
        yield quote_plus(text).encode()
        yield json.dumps(text)[1:-1].encode()  # \\uXXXX escapes
        yield hashlib.sha256(raw).hexdigest().encode()  # an unkeyed hash is a lookup table


def secrets_of(supporters: list[Supporter]) -> dict[str, str]:
    found: dict[str, str] = {}
    for supporter in supporters:
        found[f"name of {supporter.email}"] = supporter.name
        found[f"email {supporter.email}"] = supporter.email
        found[f"mailbox {supporter.email}"] = supporter.email.split("@")[0]
        if supporter.street:
            found[f"street of {supporter.email}"] = supporter.street
        if supporter.note and not supporter.quote:
            found[f"note of {supporter.email}"] = supporter.note
    return found


def leaks(data: bytes, secrets: dict[str, str]) -> list[str]:
    lowered = data.lower()
    return [
        label
        for label, secret in secrets.items()
        if any(form in data or form.lower() in lowered for form in encodings(secret))
    ]


def pledge(client: FlaskClient, supporter: Supporter, email: str | None = None) -> None:
    fields = pledge_fields(
        name=supporter.name,
        email=email or supporter.email,
        street=supporter.street or None,
        note=supporter.note or None,
    )
    if supporter.entry == "api":
        body = {**fields, "consent": supporter.consent, "quote": supporter.quote}
        assert client.post(API, json=body).status_code == 202
        return
    if supporter.consent:
        fields["consent"] = "y"
    if supporter.quote:
        fields["quote"] = "y"
    if supporter.entry == "form":
        extra = {k: v for k, v in fields.items() if k not in ("name", "email")}
        response = submit_pledge(client, name=fields["name"], email=fields["email"], **extra)
        assert response.status_code == 303, response.get_data(as_text=True)
        return
    html = client.get(f"{WIDGET}?ref=partner.org").get_data(as_text=True)
    data = {
        "started": hidden_value(html, "started"),
        "ref": hidden_value(html, "ref"),
        **{k: v for k, v in fields.items() if k in ("name", "email", "zip", "consent")},
    }
    response = client.post(WIDGET, data=data, headers={"Origin": "http://localhost"})
    assert response.status_code == 200, response.get_data(as_text=True)


def database_at_rest(app: Flask, url: str, folder: Path) -> bytes:
    """The database as a thief would copy it, after every connection closed."""
    app.extensions["advocacy.engine"].dispose()
    if url.startswith("sqlite"):
        path = Path(sa.make_url(url).database or "")
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        return b"".join(file.read_bytes() for file in files if file.exists())
    if not Path(PG_DUMP).exists():
        pytest.skip(f"{PG_DUMP} is missing: PostgreSQL's dump cannot be checked")
    address = sa.make_url(url)
    dump = subprocess.run(
        [
            PG_DUMP,
            "--host",
            address.host or "127.0.0.1",
            "--port",
            str(address.port or 5432),
            "--username",
            address.username or "postgres",
            "--no-password",
            address.database or "",
        ],
        capture_output=True,
        check=False,
        timeout=120,
        env={"PGPASSWORD": address.password or "", "PATH": "/usr/bin:/bin"},
    )
    assert dump.returncode == 0, dump.stderr.decode(errors="replace")
    assert b"CREATE TABLE public.pledges" in dump.stdout
    return dump.stdout


@pytest.fixture
def sealed_app(tmp_path: Path, scratch_database_url: str) -> Iterator[tuple[Flask, str]]:
    """An app on a database of this test's own, so its dump holds this test's rows alone."""
    with smtp_server() as inbox:
        config = {**base_config(tmp_path, scratch_database_url), **mail_config(inbox.port)}
        app = create_app(config)
        app.config["TESTING"] = True
        upgrade(app)
        with app.app_context():
            install_shipped_campaigns(get_session())
            get_session().commit()
        app.extensions["smtp test inbox"] = inbox
        yield app, scratch_database_url
        app.extensions["advocacy.engine"].dispose()


def test_a_dump_and_the_logs_name_nobody_and_everything_still_works(
    sealed_app: tuple[Flask, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app, url = sealed_app
    inbox = app.extensions["smtp test inbox"]
    client = app.test_client()
    for supporter in SUPPORTERS:
        pledge(client, supporter)
    # The same address in other letter case is the same person: one pledge, one more email.
    first = SUPPORTERS[0]
    pledge(client, first, email=first.email.upper())

    assert send_mail(app).sent == len(SUPPORTERS) + 1
    with app.app_context():
        db = get_session()
        assert db.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0
        assert db.scalar(sa.select(sa.func.count()).select_from(Pledge)) == len(SUPPORTERS)
    # Each email went to its supporter, greeting the name they typed.
    for supporter in SUPPORTERS:
        mail = mails_to(inbox.received, supporter.email)[0]
        assert f"Name: {supporter.name}" in mail.body
        open_link(app.test_client(), mail.link("confirm"))
    assert len(mails_to(inbox.received, first.email)) == 2
    stats = client.get(f"/api/v1/campaigns/{SLUG}").get_json()
    assert stats["pledge_count"] == len(SUPPORTERS)

    # One consenting supporter withdraws: their sealed contact goes with the pledge.
    [leaving] = [s for s in SUPPORTERS if s.entry == "widget" and s.consent]
    withdrawn = open_link(
        app.test_client(), mails_to(inbox.received, leaving.email)[0].link("withdraw")
    )
    assert "Your pledge is withdrawn" in withdrawn
    stats = client.get(f"/api/v1/campaigns/{SLUG}").get_json()
    assert stats["pledge_count"] == len(SUPPORTERS) - 1

    organizer = signed_in_client(app)
    dashboard = organizer.get(f"/organizers/c/{SLUG}").get_data(as_text=True)
    assert 'id="fig-consented">2<' in dashboard
    export = download(organizer, f"/organizers/c/{SLUG}/pledges.csv")
    assert export.status_code == 200
    text = export.get_data(as_text=True)
    assert not leaks(text.encode(), secrets_of(SUPPORTERS))
    # Opened on the organizer's machine with the private key: what the consenting typed.
    opened = list(csv.DictReader(io.StringIO(decrypted(text))))
    assert [(row["name"], row["email"]) for row in opened] == [
        (s.name, s.email) for s in SUPPORTERS if s.consent and s is not leaving
    ]

    dump = database_at_rest(app, url, tmp_path)
    assert leaks(dump, secrets_of(SUPPORTERS)) == []
    # Everything our server logged (the test's mail provider, aiosmtpd's "mail.log", is not
    # ours: it receives the emails, as a real provider does).
    ours = [record for record in caplog.records if not record.name.startswith("mail.log")]
    assert any(record.name.startswith("advocacy") for record in ours)
    logged = "\n".join(f"{record.getMessage()} {record.args!r}" for record in ours)
    assert leaks(logged.encode(), secrets_of(SUPPORTERS)) == []
    # The check can fail: what the database does keep is found in the dump, the hash under
    # the test's key and the words a supporter agreed to have quoted.
    assert hashed(first.email).encode() in dump
    assert first.note.encode() in dump


def decrypted(export: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(decrypted_rows(io.StringIO(export), PRIVATE_KEY))
    return buffer.getvalue()


def mails_to(received: list[Received], address: str) -> list[Received]:
    return [
        mail for mail in received if [to.lower() for to in mail.envelope_to] == [address.lower()]
    ]


def test_a_copy_under_another_hash_key_cannot_tell_whether_an_email_pledged(
    make_app: Any,
) -> None:
    app = make_app()
    email = "target@sealing-test.example"
    assert app.test_client().post(API, json=pledge_fields(email=email)).status_code == 202
    other_key = "another-servers-hash-key-0123456789abcdef"
    copy = make_app(HASH_KEY=other_key)
    with copy.app_context():
        stored = set(get_session().scalars(sa.select(Pledge.email_hash)))
    assert stored == {hashed(email)}
    # Neither the other server's key nor any unkeyed digest finds the address ...
    digests = {
        email_hash(other_key, email),
        hashlib.sha256(email.encode()).hexdigest(),
        hashlib.sha256(email.lower().encode()).hexdigest(),
        hashlib.md5(email.encode()).hexdigest(),
    }
    assert not digests & stored
    # ... and the other server, given the same address, takes it for someone new.
    assert copy.test_client().post(API, json=pledge_fields(email=email)).status_code == 202
    with copy.app_context():
        assert get_session().scalar(sa.select(sa.func.count()).select_from(Pledge)) == 2

"""The organization's key pair and the sealed contacts export: `advocacy organizers keys new`
makes the pair (the private half locked by a passphrase), the server is given the public
half, and `advocacy organizers contacts decrypt` opens the downloaded export on the
organizer's machine into what the consenting supporters typed."""

from __future__ import annotations

import csv
import io
import re
import stat
from pathlib import Path
from typing import Any

from flask import Flask
from inbox import confirm_waiting
from organizer_pages import download, signed_in_client
from pages import SLUG, submit_pledge

PASSPHRASE = "a long passphrase kept offline"
TYPED = [
    # name, email, consent
    ("Gulzire Awulqanqizi", "Gulzire.A@keys-test.example", True),
    ("ئەخمەت تۇرسۇن", "ahmet.tursun@keys-test.example", True),
    ("Not Consenting", "quiet@keys-test.example", False),
]


def new_keys(app: Flask, path: Path, passphrase: str = PASSPHRASE) -> Any:
    return app.test_cli_runner().invoke(
        args=["organizers", "keys", "new", str(path), "--passphrase-stdin"],
        input=passphrase + "\n",
    )


def test_keys_new_writes_a_locked_private_key_and_prints_the_public_half(
    app: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "contact-key.json"
    result = new_keys(app, path)
    assert result.exit_code == 0, result.output
    line = re.search(r"^ADVOCACY_CONTACT_PUBLIC_KEY=(\S{44})$", result.output, re.M)
    assert line, result.output
    assert (
        "Keep the private key file and passphrase offline; losing them loses the contact "
        "details, never the counts."
    ) in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # The file holds the public half in clear, the private half only encrypted.
    text = path.read_text()
    assert line.group(1) in text and PASSPHRASE not in text

    # Never overwritten: a second pair would orphan every contact sealed to the first.
    again = new_keys(app, path)
    assert again.exit_code == 1 and "exists already" in again.output
    assert path.read_text() == text
    short = new_keys(app, tmp_path / "other.json", "short")
    assert short.exit_code == 1 and "12 characters or more" in short.output
    assert not (tmp_path / "other.json").exists()


def test_the_decrypted_export_is_what_the_consenting_supporters_typed(
    app: Flask, make_app: Any, tmp_path: Path
) -> None:
    key_file = tmp_path / "contact-key.json"
    made = new_keys(app, key_file)
    public = re.search(r"ADVOCACY_CONTACT_PUBLIC_KEY=(\S+)", made.output)
    assert public
    server = make_app(CONTACT_PUBLIC_KEY=public.group(1))
    client = server.test_client()
    for name, email, consent in TYPED:
        fields = {"consent": "y"} if consent else {}
        assert submit_pledge(client, name=name, email=email, **fields).status_code == 303
    assert confirm_waiting(server) == len(TYPED)
    export = tmp_path / "pledges.csv"
    export.write_bytes(
        download(signed_in_client(server), f"/organizers/c/{SLUG}/pledges.csv").data
    )
    assert b"keys-test.example" not in export.read_bytes()

    opened = tmp_path / "contacts.csv"
    result = server.test_cli_runner().invoke(
        args=[
            "organizers",
            "contacts",
            "decrypt",
            str(export),
            "--key",
            str(key_file),
            "--output",
            str(opened),
            "--passphrase-stdin",
        ],
        input=PASSPHRASE + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 2 contact(s)" in result.output
    rows = list(csv.DictReader(io.StringIO(opened.read_text(encoding="utf-8"))))
    assert [(row["name"], row["email"]) for row in rows] == [
        (name, email) for name, email, consent in TYPED if consent
    ]
    assert {row["zip"] for row in rows} == {"98105"}

    wrong = server.test_cli_runner().invoke(
        args=["organizers", "contacts", "decrypt", str(export), "--key", str(key_file)],
        input="not the passphrase\n",
    )
    assert wrong.exit_code == 1
    assert "The passphrase does not open this key file." in wrong.output

    # Another organization's key opens nothing.
    other = tmp_path / "other-key.json"
    new_keys(app, other)
    refused = server.test_cli_runner().invoke(
        args=["organizers", "contacts", "decrypt", str(export), "--key", str(other)],
        input=PASSPHRASE + "\n",
    )
    assert refused.exit_code == 1
    assert "Line 2: the contact does not open with this key" in refused.output

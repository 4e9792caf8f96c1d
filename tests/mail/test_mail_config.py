"""The settings pledges' emails need: a public address for links, and an SMTP server in
production (the app refuses to start without them, in one line); laptop defaults else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apps import base_config

from advocacy import create_app
from advocacy.config import ConfigError
from advocacy.mail.transport import FolderTransport, SmtpTransport

PRODUCTION = {
    "ENV": "production",
    "SECRET_KEY": "k" * 40,
    "PUBLIC_URL": "https://act.example.org",
    "MAIL_SERVER": "smtp.example.org",
    "MAIL_FROM": "Campaign <act@example.org>",
}


def app_with(tmp_path: Path, **settings: Any) -> Any:
    return create_app({**base_config(tmp_path, "sqlite://"), **settings})


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("PUBLIC_URL", "ADVOCACY_PUBLIC_URL must be set in production"),
        ("MAIL_SERVER", "ADVOCACY_MAIL_SERVER must be set in production"),
        ("MAIL_FROM", "ADVOCACY_MAIL_FROM must be set with ADVOCACY_MAIL_SERVER"),
    ],
)
def test_production_refuses_to_start_without_them_in_one_line(
    tmp_path: Path, missing: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as raised:
        app_with(tmp_path, **{**PRODUCTION, missing: ""})
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "url", ["http://act.example.org", "act.example.org", "https://act.example.org/#x"]
)
def test_production_wants_an_https_address_without_a_fragment(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match="ADVOCACY_PUBLIC_URL"):
        app_with(tmp_path, **{**PRODUCTION, "PUBLIC_URL": url})


def test_production_mails_through_its_smtp_server(tmp_path: Path) -> None:
    app = app_with(tmp_path, **PRODUCTION, MAIL_SECURITY="SSL")
    transport = app.extensions["advocacy.mailer"].transport
    assert isinstance(transport, SmtpTransport)
    assert (transport.host, transport.port, transport.security) == ("smtp.example.org", 465, "ssl")
    assert transport.local_hostname == "act.example.org"
    assert app.config["PUBLIC_URL"] == "https://act.example.org"


def test_development_defaults_to_loopback_and_a_folder_of_emails(tmp_path: Path) -> None:
    app = app_with(tmp_path)
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert app.config["MAIL_PORT"] == 587 and app.config["MAIL_SECURITY"] == "starttls"
    transport = app.extensions["advocacy.mailer"].transport
    assert isinstance(transport, FolderTransport)
    assert transport.folder == Path(app.instance_path) / "mail"


def test_mail_settings_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", "https://act.example.org/")
    monkeypatch.setenv("ADVOCACY_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("ADVOCACY_MAIL_PORT", "2525")
    monkeypatch.setenv("ADVOCACY_MAIL_FROM", "act@example.org")
    monkeypatch.setenv("ADVOCACY_MAIL_TIMEOUT", "3")
    monkeypatch.setenv("ADVOCACY_MAIL_PER_ADDRESS_PER_DAY", "5")
    monkeypatch.setenv("ADVOCACY_PLEDGE_CONFIRM_DAYS", "3")
    monkeypatch.setenv("ADVOCACY_MAIL_SEND_IN_APP", "false")
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    config = app.config
    assert config["PUBLIC_URL"] == "https://act.example.org"  # no trailing slash
    assert (config["MAIL_PORT"], config["MAIL_TIMEOUT"]) == (2525, 3.0)
    assert (config["MAIL_PER_ADDRESS_PER_DAY"], config["PLEDGE_CONFIRM_DAYS"]) == (5, 3)
    assert config["MAIL_SEND_IN_APP"] is False


@pytest.mark.parametrize(
    ("setting", "value"),
    [("MAIL_SECURITY", "tls-please"), ("MAIL_PORT", "smtp"), ("PLEDGE_CONFIRM_DAYS", "0")],
)
def test_a_bad_value_is_refused(tmp_path: Path, setting: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"ADVOCACY_{setting}"):
        app_with(tmp_path, **{setting: value})

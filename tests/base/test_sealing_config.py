"""The keys a pledge is written with: the email hash key (a setting of its own, required in
production like the secret key) and the organization's public key (optional: without it
the consent box is not offered)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from contact_keys import PRIVATE_KEY, PUBLIC_KEY, pledge_of
from pages import SLUG, pledge_fields, submit_pledge

from advocacy import create_app
from advocacy.config import ConfigError
from advocacy.db import get_session

PRODUCTION = {
    "ADVOCACY_ENV": "production",
    "ADVOCACY_SECRET_KEY": "s" * 40,
    "ADVOCACY_PUBLIC_URL": "https://act.example.org",
    "ADVOCACY_MAIL_SERVER": "smtp.example.org",
    "ADVOCACY_MAIL_FROM": "act@example.org",
}


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("ADVOCACY_HASH_KEY", "ADVOCACY_CONTACT_PUBLIC_KEY", "ADVOCACY_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    instance = tmp_path / "instance"
    monkeypatch.setenv("ADVOCACY_INSTANCE_PATH", str(instance))
    return instance


def test_production_refuses_to_start_without_a_hash_key(
    production: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match="ADVOCACY_HASH_KEY must be set in production"):
        create_app()
    monkeypatch.setenv("ADVOCACY_HASH_KEY", "short")
    with pytest.raises(ConfigError, match="ADVOCACY_HASH_KEY is too short"):
        create_app()
    monkeypatch.setenv("ADVOCACY_HASH_KEY", PRODUCTION["ADVOCACY_SECRET_KEY"])
    with pytest.raises(ConfigError, match="must differ from ADVOCACY_SECRET_KEY"):
        create_app()
    monkeypatch.setenv("ADVOCACY_HASH_KEY", "h" * 40)
    assert create_app().config["HASH_KEY"] == "h" * 40
    assert not (production / "hash_key").exists()


def test_development_makes_a_hash_key_once_apart_from_the_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("ADVOCACY_HASH_KEY", "ADVOCACY_SECRET_KEY", "ADVOCACY_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ADVOCACY_INSTANCE_PATH", str(tmp_path))
    first = create_app().config
    assert first["HASH_KEY"] == create_app().config["HASH_KEY"]
    assert first["HASH_KEY"] == (tmp_path / "hash_key").read_text().strip()
    assert len(first["HASH_KEY"]) >= 32 and first["HASH_KEY"] != first["SECRET_KEY"]


@pytest.mark.parametrize(
    "value",
    [
        PUBLIC_KEY,
        bytes(PRIVATE_KEY.public_key).hex(),
        f"  {PUBLIC_KEY}\n",
    ],
)
def test_the_public_key_is_taken_in_base64_or_hex(make_app: Any, value: str) -> None:
    assert make_app(CONTACT_PUBLIC_KEY=value).config["CONTACT_PUBLIC_KEY"] == PUBLIC_KEY


@pytest.mark.parametrize(
    "value",
    [
        "not a key",
        base64.b64encode(b"x" * 31).decode(),
        "PRIVATE" + PUBLIC_KEY,
        bytes(PRIVATE_KEY.public_key).hex()[:-2] + "zz",
    ],
)
def test_a_malformed_public_key_is_refused_with_its_name(make_app: Any, value: str) -> None:
    with pytest.raises(ConfigError, match="ADVOCACY_CONTACT_PUBLIC_KEY must be the public key"):
        make_app(CONTACT_PUBLIC_KEY=value)


def test_without_a_public_key_no_consent_is_offered_or_kept(make_app: Any) -> None:
    app = make_app(CONTACT_PUBLIC_KEY="")
    client = app.test_client()
    for page in (f"/c/{SLUG}", f"/c/{SLUG}/widget"):
        html = client.get(page).get_data(as_text=True)
        assert 'name="consent"' not in html, page
    # Nor a promise about a box that is not there.
    assert "keep no readable copy" in client.get(f"/c/{SLUG}").get_data(as_text=True)
    assert submit_pledge(client, consent="y").status_code == 303
    api = f"/api/v1/campaigns/{SLUG}/pledges"
    body = pledge_fields(email="api@example.org", consent=True)
    assert client.post(api, json=body).status_code == 202
    with app.app_context():
        for email in ("amina@example.org", "api@example.org"):
            pledge = pledge_of(get_session(), email)
            assert pledge is not None
            assert (pledge.consent, pledge.sealed_contact) == (False, None)

"""Settings: laptop defaults work, production refuses to start without a real secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advocacy import create_app
from advocacy.config import ConfigError
from advocacy.representatives.service import data_locations


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("ADVOCACY_SECRET_KEY", "ADVOCACY_ENV", "ADVOCACY_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setenv("ADVOCACY_INSTANCE_PATH", str(instance))
    return instance


def test_development_defaults_need_no_settings(clean_env: Path) -> None:
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{clean_env / 'advocacy.sqlite3'}"
    # No data paths: a copy downloaded into the instance folder, else the shipped snapshot.
    assert app.config["LEGISLATORS_PATH"] is None and app.config["ZCTA_PATH"] is None
    assert "DATA_DOWNLOAD" not in app.config
    places = data_locations(app)
    assert [place.downloaded for place in places] == [
        clean_env / "legislators-current.json",
        clean_env / "zccd.csv",
    ]
    assert [place.in_use() for place in places] == [
        (place.shipped, "snapshot") for place in places
    ]
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_development_secret_is_generated_once_and_kept(clean_env: Path) -> None:
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (clean_env / "secret_key").read_text().strip() == first


def test_production_refuses_to_start_without_secret_key(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_ENV", "production")
    with pytest.raises(ConfigError, match="ADVOCACY_SECRET_KEY must be set"):
        create_app()


def test_production_refuses_a_short_secret_key(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_ENV", "production")
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        create_app()


def test_production_with_secret_uses_secure_cookies(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_ENV", "production")
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ADVOCACY_HASH_KEY", "h" * 40)
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", "https://act.example.org")
    monkeypatch.setenv("ADVOCACY_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("ADVOCACY_MAIL_FROM", "act@example.org")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not (clean_env / "secret_key").exists()


def test_environment_variables_override_defaults(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("ADVOCACY_MIN_FILL_SECONDS", "5")
    monkeypatch.setenv("ADVOCACY_SESSION_COOKIE_SECURE", "false")
    monkeypatch.setenv("ADVOCACY_GEOCODER_URL", "http://127.0.0.1:8099/geocoder")
    app = create_app()
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["MIN_FILL_SECONDS"] == 5.0
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["GEOCODER_URL"] == "http://127.0.0.1:8099/geocoder"


def test_a_nonsense_boolean_is_refused_with_its_name(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_RATELIMIT_ENABLED", "maybe")
    with pytest.raises(ConfigError, match="ADVOCACY_RATELIMIT_ENABLED"):
        create_app()


def test_unknown_environment_name_is_refused(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_ENV", "prod")
    with pytest.raises(ConfigError, match="ADVOCACY_ENV"):
        create_app()


def test_geocoder_vintages_are_read_from_the_setting(make_app: Any) -> None:
    app = make_app(GEOCODER_VINTAGES="121=ACS2028_Current, 122=ACS2030_Current")
    assert app.config["GEOCODER_VINTAGES"] == {121: "ACS2028_Current", 122: "ACS2030_Current"}
    holder = app.extensions["advocacy.finder"]
    assert holder.geocoder.vintages[121] == "ACS2028_Current"
    assert holder.geocoder.vintages[120] == "ACS2026_Current"  # built in, still there


@pytest.mark.parametrize("value", ["121", "121=", "one=ACS", "121=ACS 2028"])
def test_a_malformed_vintage_setting_is_refused(make_app: Any, value: str) -> None:
    with pytest.raises(ConfigError, match="ADVOCACY_GEOCODER_VINTAGES must read like"):
        make_app(GEOCODER_VINTAGES=value)


@pytest.mark.parametrize("value", ["0", "soon", "-1"])
def test_a_malformed_zcta_congress_is_refused(make_app: Any, value: str) -> None:
    with pytest.raises(ConfigError, match="ADVOCACY_ZCTA_CONGRESS must be a whole number"):
        make_app(ZCTA_CONGRESS=value)

"""Settings: laptop defaults, then ADVOCACY_* environment variables, then test overrides."""

from __future__ import annotations

import base64
import binascii
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from advocacy.db import DATABASE_TIMEOUT

DEFAULTS: dict[str, Any] = {
    # "development" or "production"; production insists on an explicit secret key.
    "ENV": "development",
    "DATABASE_URL": None,  # None: SQLite file in the instance folder
    # Connections per process; match the server's threads per worker.
    "DATABASE_POOL_SIZE": 5,
    # Seconds one statement may take (PostgreSQL's statement_timeout; on SQLite, a write's
    # wait for the lock); a PostgreSQL server that does not answer at all is given up a
    # second later (advocacy/db_postgres.py). Either way the request answers 503.
    "DATABASE_TIMEOUT": DATABASE_TIMEOUT,
    "SECRET_KEY": None,  # None: generated once and kept in the instance folder
    # The key of the pledges' email hashes (advocacy/pledges/sealing.py), apart from the
    # secret key: None generates one once into the instance folder; required in production.
    "HASH_KEY": None,
    # The organization's X25519 public key (base64 or hex, from `advocacy organizers keys
    # new`): consenting supporters' names and emails are sealed to it. None: the consent
    # box is not offered, and no name or email is kept at all.
    "CONTACT_PUBLIC_KEY": None,
    # None: the US Census Geocoder (advocacy.representatives.geocoder.DEFAULT_BASE_URL).
    "GEOCODER_URL": None,
    "GEOCODER_TIMEOUT": 4.0,  # seconds; the page must answer within a few seconds
    # Address look-ups per process that may wait on the geocoder at once; more are answered
    # from the ZIP code at once. Below the server's threads per worker (granian
    # --blocking-threads 4), so the other threads stay free for every other page.
    "GEOCODER_MAX_WAITING": 2,
    # More Census vintages by Congress ("121=ACS2028_Current"); the 119th's and 120th's are
    # built in, and a Congress with none is asked on Current_Current (checked by CDSESSN).
    "GEOCODER_VINTAGES": "",
    # None: a copy downloaded by `advocacy data refresh` into the instance folder if
    # there is one, else the snapshot shipped in the package.
    "LEGISLATORS_PATH": None,
    "ZCTA_PATH": None,
    # None: the sources' own addresses (advocacy.representatives.datafiles.sources), kept
    # there so that settings import no capability.
    "LEGISLATORS_URL": None,
    "ZCTA_URL": None,
    # Whose map the ZIP table at ZCTA_PATH (or ZCTA_URL, for `data refresh`) draws when its
    # header does not say (`cd120` does): a district number means something only on one
    # Congress's map, so it is never guessed. None: the header, or what is known of the URL.
    "ZCTA_CONGRESS": None,
    # The changed-states table (which states redrew their maps); None: the shipped one.
    "MAP_CHANGES_PATH": None,
    # The data snapshot shipped in the package; another folder of the same shape may
    # stand in (a packager's own snapshot; the tests' fresh install after a changeover).
    "SNAPSHOT_PATH": None,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    # Pledges per client address, every way they come (README, *Rate limits*): generous,
    # so that a campus or a carrier's shared address can pledge, and bounded, so that one
    # script cannot flood. Each form's tokens are limited per token besides.
    "RATELIMIT_WRITE": "30 per minute;300 per hour;1000 per day",
    # Pledges through the JSON API, which has no form token, per client address (also
    # within RATELIMIT_WRITE).
    "RATELIMIT_API_WRITE": "10 per minute;60 per hour",
    # Pledges through an event's page while it is on, per event and client address,
    # instead of RATELIMIT_WRITE (advocacy/events/schedule.py).
    "RATELIMIT_EVENT": "300 per 10 minutes",
    "RATELIMIT_LOOKUP": "30 per minute;300 per hour",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Redis down: count in each process's memory (with a warning in the log) instead of
    # failing every pledge and look-up.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "MIN_FILL_SECONDS": 2.0,
    # How long a served form stays valid; after that the supporter is asked to resend.
    "FORM_MAX_AGE_SECONDS": 6 * 3600,
    # Sends a form token is good for (advocacy/web/formguard.py), counted in the rate-limit
    # storage: a person's own token (stamped when the page loaded, where JavaScript runs,
    # or in an answer to a post), and a page's shared token, which every visitor of its
    # ten-second window without JavaScript shares.
    "FORM_TOKEN_USES": 3,
    "FORM_WINDOW_TOKEN_USES": 30,
    "PROXY_FIX_X_FOR": 0,  # number of trusted proxies in front of the app
    "STATS_CACHE_SECONDS": 1.0,
    # `advocacy pledges purge` clears pledges' city, ZIP code and note after this many days.
    "RETENTION_DAYS": 365,
    # Where supporters reach this service: the links in emails are built from it, never
    # from a request's Host header. Required in production.
    "PUBLIC_URL": None,  # None: http://127.0.0.1:5000 in development
    # The site's onion service ("http://xxxx.onion"): public pages name it in an
    # Onion-Location header, which Tor Browser offers to switch to. "": no header.
    "ONION_LOCATION": "",
    # A pledge counts once confirmed from the supporter's mailbox; an unconfirmed one, and
    # its codes, expire this many days after the last confirmation email was queued.
    "PLEDGE_CONFIRM_DAYS": 7,
    # Emails to one address per UTC day, over every campaign (advocacy/pledges/service.py).
    "MAIL_PER_ADDRESS_PER_DAY": 3,
    # The SMTP server (advocacy/mail). No server in development: messages are written as
    # .eml files into the instance folder's mail/ folder instead. Required in production.
    "MAIL_SERVER": "",
    "MAIL_PORT": None,  # None: 465 with MAIL_SECURITY=ssl, else 587
    "MAIL_SECURITY": "starttls",  # "starttls", "ssl" (TLS from the start) or "none"
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_FROM": "",  # "Campaign name <act@example.org>"; required with a server
    "MAIL_TIMEOUT": 10.0,  # seconds for each SMTP connection and command
    # The app process sends its outbox from a background thread; `advocacy mail send`
    # (cron, systemd timer) does the same, and either is enough.
    "MAIL_SEND_IN_APP": True,
    # Origins whose pages may frame the pledge widget, space- or comma-separated
    # ("https://partner.org https://*.example.net"); empty: any site may.
    "WIDGET_ALLOWED_ORIGINS": "",
    # Organizers (advocacy/organizers): the locked room where supporters' data is seen.
    # Refuse sign-in to organizers who have not set up a one-time code (TOTP).
    "ORGANIZERS_REQUIRE_2FA": False,
    # An organizer's session ends this long after sign-in, whatever happens.
    "ORGANIZERS_SESSION_HOURS": 8,
    # Sign-in attempts, each counted before the password is checked
    # (advocacy/organizers/throttle.py): per client address; per account and client (the
    # browser's device cookie if it signed in to the account before, else its address);
    # and per account from all browsers without its device cookie together (looser).
    "ORGANIZERS_LOGIN_LIMIT": "10 per minute;50 per hour",
    "ORGANIZERS_ACCOUNT_LIMIT": "5 per 15 minutes;20 per day",
    "ORGANIZERS_ACCOUNT_CEILING": "30 per 15 minutes;100 per day",
    # The domain organizers' passkeys belong to (WebAuthn's RP ID); "": the host of
    # PUBLIC_URL. A parent domain of it lets the passkeys work on its other hosts too;
    # anything else is refused at start (advocacy/organizers/passkeys.py).
    "ORGANIZERS_WEBAUTHN_RP_ID": "",
    # The dashboard warns when the members or ZIP data is older than this.
    "ORGANIZERS_DATA_STALE_DAYS": 14,
    # Lobby packets (advocacy/organizers/packets.py) print a count below this as "fewer
    # than N" and leave out quotes from such places, so that no family can be singled out.
    "LOBBY_SMALL_NUMBER": 3,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    # Every message a supporter may see is ours, in our catalogues; WTForms' own catalogue
    # would be read from disk on every request with a form (Flask-WTF does so once Flask-Babel
    # is installed), for messages never shown.
    "WTF_I18N_ENABLED": False,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
    "MAX_CONTENT_LENGTH": 64 * 1024,  # no legitimate form or API body is larger
}


# The documented minimum length of a production secret key.
SECRET_KEY_MIN = 32


class ConfigError(RuntimeError):
    """The settings cannot start a working service."""


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the environment, then test_config; validate."""
    app.config.update(DEFAULTS)
    app.config["SESSION_COOKIE_SECURE"] = None  # decided below from ENV unless set
    app.config.from_prefixed_env("ADVOCACY")
    if test_config:
        app.config.update(test_config)

    production = app.config["ENV"] == "production"
    if app.config["ENV"] not in ("development", "production"):
        raise ConfigError("ADVOCACY_ENV must be 'development' or 'production'.")
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = production

    instance = Path(app.instance_path)
    if not app.config["SECRET_KEY"]:
        if production:
            raise ConfigError(
                "ADVOCACY_SECRET_KEY must be set in production "
                '(for example: python -c "import secrets; print(secrets.token_hex(32))").'
            )
        app.config["SECRET_KEY"] = _instance_secret(instance)
    elif production and len(str(app.config["SECRET_KEY"])) < SECRET_KEY_MIN:
        raise ConfigError(
            f"ADVOCACY_SECRET_KEY is too short for production: use {SECRET_KEY_MIN}+ characters."
        )

    _load_sealing_config(app, production, instance)

    if not app.config["DATABASE_URL"]:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'advocacy.sqlite3'}"
    app.config["DATABASE_TIMEOUT"] = _positive_seconds(
        app.config["DATABASE_TIMEOUT"], "DATABASE_TIMEOUT"
    )

    for key in (
        "MIN_FILL_SECONDS",
        "GEOCODER_TIMEOUT",
        "STATS_CACHE_SECONDS",
        "ORGANIZERS_SESSION_HOURS",
        "ORGANIZERS_DATA_STALE_DAYS",
    ):
        app.config[key] = float(app.config[key])
    if app.config["ZCTA_CONGRESS"] not in (None, ""):
        app.config["ZCTA_CONGRESS"] = _positive_int(app.config["ZCTA_CONGRESS"], "ZCTA_CONGRESS")
    else:
        app.config["ZCTA_CONGRESS"] = None
    app.config["GEOCODER_VINTAGES"] = _vintages(app.config["GEOCODER_VINTAGES"])
    waiting = app.config["GEOCODER_MAX_WAITING"]
    if isinstance(waiting, bool) or not str(waiting).strip().isdigit() or int(waiting) < 1:
        raise ConfigError(
            "ADVOCACY_GEOCODER_MAX_WAITING must be a whole number of look-ups, 1 or more "
            f"(such as 2), not {waiting!r}."
        )
    app.config["GEOCODER_MAX_WAITING"] = int(waiting)
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith(("redis://", "rediss://")):
        # A blackholed Redis must not hold a request: fail over to memory within a second.
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        )
    for key in ("FORM_TOKEN_USES", "FORM_WINDOW_TOKEN_USES", "LOBBY_SMALL_NUMBER"):
        app.config[key] = _positive_int(app.config[key], key)
    for key in ("RATELIMIT_ENABLED", "ORGANIZERS_REQUIRE_2FA"):
        app.config[key] = _as_bool(app.config[key], key)
    _load_mail_config(app, production)


def _load_sealing_config(app: Flask, production: bool, instance: Path) -> None:
    """Check the email hash key (as the secret key) and the organization's public key."""
    config = app.config
    if not config["HASH_KEY"]:
        if production:
            raise ConfigError(
                "ADVOCACY_HASH_KEY must be set in production, apart from the secret key "
                '(for example: python -c "import secrets; print(secrets.token_hex(32))").'
            )
        config["HASH_KEY"] = _instance_secret(instance, "hash_key")
    elif production and len(str(config["HASH_KEY"])) < SECRET_KEY_MIN:
        raise ConfigError(
            f"ADVOCACY_HASH_KEY is too short for production: use {SECRET_KEY_MIN}+ characters."
        )
    if production and str(config["HASH_KEY"]) == str(config["SECRET_KEY"]):
        raise ConfigError("ADVOCACY_HASH_KEY must differ from ADVOCACY_SECRET_KEY.")
    public = str(config["CONTACT_PUBLIC_KEY"] or "").strip()
    config["CONTACT_PUBLIC_KEY"] = _contact_public_key(public) if public else None


def _contact_public_key(text: str) -> str:
    """Return an X25519 public key given in base64 or hex as base64, or refuse it."""
    raw: bytes | None = None
    if len(text) == 64:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = None
    if raw is None:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != 32:
        raise ConfigError(
            "ADVOCACY_CONTACT_PUBLIC_KEY must be the public key printed by "
            "`advocacy organizers keys new` (32 bytes in base64, 44 characters)."
        )
    return base64.b64encode(raw).decode()


DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:5000"
MAIL_SECURITIES = ("starttls", "ssl", "none")


def _load_mail_config(app: Flask, production: bool) -> None:
    """Check the public address and the mail settings that pledges' confirmations need."""
    config = app.config
    config["PUBLIC_URL"] = _public_url(config["PUBLIC_URL"], production)
    config["ONION_LOCATION"] = _onion_location(config["ONION_LOCATION"])
    for key in ("PLEDGE_CONFIRM_DAYS", "MAIL_PER_ADDRESS_PER_DAY"):
        config[key] = _positive_int(config[key], key)
    config["MAIL_SEND_IN_APP"] = _as_bool(config["MAIL_SEND_IN_APP"], "MAIL_SEND_IN_APP")
    config["MAIL_TIMEOUT"] = float(config["MAIL_TIMEOUT"])
    security = str(config["MAIL_SECURITY"]).strip().lower()
    if security not in MAIL_SECURITIES:
        raise ConfigError(
            f"ADVOCACY_MAIL_SECURITY must be starttls, ssl or none, not {security!r}."
        )
    config["MAIL_SECURITY"] = security
    if config["MAIL_PORT"] in (None, ""):
        config["MAIL_PORT"] = 465 if security == "ssl" else 587
    config["MAIL_PORT"] = _positive_int(config["MAIL_PORT"], "MAIL_PORT")
    config["MAIL_SERVER"] = str(config["MAIL_SERVER"] or "").strip()
    if production and not config["MAIL_SERVER"]:
        raise ConfigError(
            "ADVOCACY_MAIL_SERVER must be set in production: pledges count once confirmed "
            "by email."
        )
    if config["MAIL_SERVER"] and "@" not in str(config["MAIL_FROM"] or ""):
        raise ConfigError(
            "ADVOCACY_MAIL_FROM must be set with ADVOCACY_MAIL_SERVER "
            "(Campaign <act@example.org>)."
        )


def _public_url(value: Any, production: bool) -> str:
    """Check ADVOCACY_PUBLIC_URL: an http(s) address, https in production; no trailing /."""
    if not value:
        if production:
            raise ConfigError(
                "ADVOCACY_PUBLIC_URL must be set in production: the https:// address "
                "supporters use (links in emails are built from it)."
            )
        return DEVELOPMENT_PUBLIC_URL
    text = str(value).strip().rstrip("/")
    parts = urlsplit(text)
    # A fragment would swallow the codes that links carry after it.
    if parts.fragment or "#" in text:
        raise ConfigError(f"ADVOCACY_PUBLIC_URL must not hold a #fragment: {text!r}.")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ConfigError(
            f"ADVOCACY_PUBLIC_URL must read like https://act.example.org, not {text!r}."
        )
    if production and parts.scheme != "https":
        raise ConfigError(
            f"ADVOCACY_PUBLIC_URL must start with https:// in production, not {text!r}."
        )
    return text


def _onion_location(value: Any) -> str:
    """Check ADVOCACY_ONION_LOCATION: empty, or an http(s) address of a .onion host."""
    text = str(value or "").strip().rstrip("/")
    if not text:
        return ""
    parts = urlsplit(text)
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or not host.endswith(".onion")
        or host == ".onion"
        or parts.path
        or parts.query
        or parts.fragment
        or "#" in text
        or "?" in text
    ):
        raise ConfigError(
            "ADVOCACY_ONION_LOCATION must be an onion service's address such as "
            f"http://examplexyz.onion (no path), not {text!r}."
        )
    return text


def _vintages(value: Any) -> dict[int, str]:
    """Parse "121=ACS2028_Current, 122=ACS2030_Current" (or a dict, from tests)."""
    if isinstance(value, dict):
        return {int(k): str(v) for k, v in value.items()}
    vintages: dict[int, str] = {}
    for item in str(value or "").replace(";", ",").split(","):
        if not item.strip():
            continue
        congress, equals, vintage = item.partition("=")
        if not equals or not congress.strip().isdigit() or not vintage.strip().isidentifier():
            raise ConfigError(
                "ADVOCACY_GEOCODER_VINTAGES must read like 121=ACS2028_Current "
                f"(Congress=vintage, comma-separated), not {item.strip()!r}."
            )
        vintages[int(congress)] = vintage.strip()
    return vintages


def _positive_seconds(value: Any, name: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = 0.0
    if not 0 < seconds < float("inf") or isinstance(value, bool):
        raise ConfigError(f"ADVOCACY_{name} must be a number of seconds such as 5, not {value!r}.")
    return seconds


def _positive_int(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or isinstance(value, bool):
        raise ConfigError(f"ADVOCACY_{name} must be a whole number such as 120, not {value!r}.")
    return number


def _as_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"ADVOCACY_{name} must be true or false, not {value!r}.")


def _instance_secret(instance: Path, name: str = "secret_key") -> str:
    """Return a development secret kept in the instance folder, creating it once."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / name
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    # Created exclusively so two processes starting at once cannot disagree on the key.
    try:
        with open(path, "x") as handle:
            handle.write(key)
        path.chmod(0o600)
    except FileExistsError:
        return path.read_text().strip()
    return key

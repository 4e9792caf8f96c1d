"""Organizers: accounts, the campaign dashboard, exports and the lobby report.

The supporters' data is sensitive (families of diaspora supporters can be targeted by a
state): every page here needs a signed-in organizer, and every export is audited.
"""

from __future__ import annotations

from flask import Flask

from advocacy.config import ConfigError


def _as_bool(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"ADVOCACY_{name} must be true or false, not {value!r}.")


def init_app(app: Flask) -> None:
    """Register the blueprint at /organizers and the `advocacy organizers` commands."""
    from advocacy.organizers import views
    from advocacy.organizers.cli import organizers_group

    config = app.config
    config["ORGANIZERS_REQUIRE_2FA"] = _as_bool(
        config["ORGANIZERS_REQUIRE_2FA"], "ORGANIZERS_REQUIRE_2FA"
    )
    for key in ("ORGANIZERS_SESSION_HOURS", "ORGANIZERS_DATA_STALE_DAYS"):
        config[key] = float(config[key])
    app.register_blueprint(views.bp)
    app.cli.add_command(organizers_group)

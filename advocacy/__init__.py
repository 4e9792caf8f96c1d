"""Advocacy: turn a campaign page into action."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from advocacy import (
    api,
    campaigns,
    db,
    events,
    mail,
    organization,
    organizers,
    pledges,
    web,
    widget,
)
from advocacy.config import load_config
from advocacy.paths import PROJECT_ROOT
from advocacy.representatives import service as representatives


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then ADVOCACY_* variables, then test_config."""
    instance_path = os.environ.get("ADVOCACY_INSTANCE_PATH") or None
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)

    if app.config["PROXY_FIX_X_FOR"]:
        count = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]

    db.init_app(app)
    mail.init_app(app)
    web.init_app(app)
    organization.init_app(app)
    representatives.init_app(app)
    campaigns.init_app(app)
    pledges.init_app(app)
    widget.init_app(app)
    events.init_app(app)
    organizers.init_app(app)
    api.init_app(app)

    from advocacy.cli import register_commands

    register_commands(app)
    return app

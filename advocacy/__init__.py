"""Advocacy: turn a campaign page into action."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from advocacy import db, errors, security
from advocacy.campaigns.service import StatsCache
from advocacy.config import load_config
from advocacy.extensions import csrf, limiter
from advocacy.representatives import service as representatives_service
from advocacy.representatives.states import NON_STATES, state_name
from advocacy.text import longdate

# Templates and static files live at the top of the repository, beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    representatives_service.init_app(app)
    app.extensions["advocacy.stats_cache"] = StatsCache(app.config["STATS_CACHE_SECONDS"])
    app.add_template_filter(longdate)
    app.add_template_filter(state_name)
    app.jinja_env.globals["non_states"] = NON_STATES

    from advocacy import health
    from advocacy.campaigns import views as campaigns
    from advocacy.letters import views as letters
    from advocacy.pledges import views as pledges
    from advocacy.representatives import views as representatives

    for blueprint in (
        health.bp,
        campaigns.bp,
        pledges.bp,
        representatives.bp,
        letters.bp,
    ):
        app.register_blueprint(blueprint)

    from advocacy.cli import register_commands

    register_commands(app)
    return app

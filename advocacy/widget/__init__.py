"""The pledge widget: a loader partners paste into their pages, and the page it frames."""

from __future__ import annotations

from flask import Flask

from advocacy.config import ConfigError
from advocacy.web.extensions import csrf
from advocacy.widget.framing import widget_policy


def init_app(app: Flask) -> None:
    """Register the loader and widget routes, the form's CSRF exemption and its framing policy."""
    from advocacy.widget import views

    try:
        app.extensions["advocacy.widget_csp"] = widget_policy(app.config["WIDGET_ALLOWED_ORIGINS"])
    except ValueError as error:
        raise ConfigError(f"ADVOCACY_WIDGET_ALLOWED_ORIGINS: {error}") from error
    # Only the widget's form: it posts from a cross-site frame, where the session cookie
    # that CSRFProtect needs never arrives. views.submit checks its own token and Origin.
    csrf.exempt(views.submit)
    app.register_blueprint(views.bp)

"""Organizers: accounts, the campaign dashboard, exports and the lobby report.

The supporters' data is sensitive (families of diaspora supporters can be targeted by a
state): every page here needs a signed-in organizer, and every export is audited.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint at /organizers, the sign-in throttle and the commands."""
    from advocacy.organizers import throttle, views
    from advocacy.organizers.cli import organizers_group

    throttle.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(organizers_group)

"""Events: a gathering's short link (/e/<code>), its page with the campaign's ask and the
pledge form, its QR code and poster, and its own pledge budget while it is on.

The organizers create and list events in their locked room (`organizers/event_views.py`,
which uses this package's services); the public side is here.
"""

from __future__ import annotations

from flask import Flask

from advocacy.web.extensions import csrf


def init_app(app: Flask) -> None:
    """Register the events' public pages."""
    from advocacy.events import views

    # Guarded like the campaign page's form: a token signed for the event and the Origin
    # check, so that the page is the same for everyone (see advocacy.pledges.guard).
    csrf.exempt(views.submit)
    app.register_blueprint(views.bp)

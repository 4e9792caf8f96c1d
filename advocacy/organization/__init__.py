"""The organization: who runs the site (name, contact, logo, its own words), shown on every
public page, and the privacy page that says what is kept about supporters.

Its settings pages live in the organizers' locked room (`settings.py`, a blueprint the
organizers' one holds); its public pages are `/privacy` and the logo (`views.py`). It
uses the base layer and web's plumbing, and no other capability.
"""

from __future__ import annotations

from flask import Flask

from advocacy.organization import identity
from advocacy.organization.identity import current_identity


def init_app(app: Flask) -> None:
    """Register the public pages, the templates' `organization`, and the commands."""
    from advocacy.organization import settings, views
    from advocacy.organization.cli import organization_group
    from advocacy.web.extensions import csrf

    identity.init_app(app)
    views.init_caches(app)
    app.register_blueprint(views.bp)
    # Every template may show who runs the site; read at most once per request.
    app.context_processor(lambda: {"organization": current_identity()})
    # The logo's post is larger than other forms may be, so its body is read in the view,
    # under its own limit, rather than by the app-wide CSRF check first; the view's form
    # checks the same session token itself (LogoForm is a FlaskForm).
    csrf.exempt(settings.save_logo)
    app.cli.add_command(organization_group)

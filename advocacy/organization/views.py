"""The organization's public pages: the privacy page and the logo.

Both are the same for every visitor, carry no cookie and nothing personal, and may be
kept by a shared cache for a short while (the logo for a year at an address that names
its content).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from advocacy.cache import Cache
from advocacy.db import get_session
from advocacy.models import Campaign
from advocacy.organization.identity import LOGO_VERSION_LENGTH, current_identity
from advocacy.organization.privacy import privacy_facts
from advocacy.organization.service import StoredLogo, stored_logo
from advocacy.web.caching import conditional

bp = Blueprint("organization", __name__)

# The privacy page changes only when the settings or the identity do.
PRIVACY_CACHE_CONTROL = "public, max-age=60"
# The logo at an address with its hash (?v=) never changes; the bare address may.
LOGO_IMMUTABLE = "public, max-age=31536000, immutable"
LOGO_REVALIDATE = "public, max-age=300"
LOGO_EXTENSION = "advocacy.organization.logo"


def init_caches(app: Flask) -> None:
    """Keep the logo's bytes per process, by their hash: a new logo is a new key."""
    app.extensions[LOGO_EXTENSION] = Cache[str, StoredLogo | None](max_size=2)


@bp.get("/privacy")
def privacy() -> BaseResponse:
    # Whole rows: the page names each campaign by its title in the page's language.
    campaigns = get_session().scalars(sa.select(Campaign).order_by(Campaign.title)).all()
    html = render_template(
        "organization/privacy.html", facts=privacy_facts(current_app), campaigns=campaigns
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = PRIVACY_CACHE_CONTROL
    return conditional(response)


@bp.get("/organization/logo.png")
def logo() -> Any:
    identity = current_identity()
    wanted = request.args.get("v", "")
    stored = None
    if identity.logo_sha256 and identity.logo_sha256.startswith(wanted):
        cache: Cache[str, StoredLogo | None] = current_app.extensions[LOGO_EXTENSION]
        stored = cache.get(identity.logo_sha256, lambda: stored_logo(get_session()))
        if stored is None or stored.sha256 != identity.logo_sha256:
            cache.forget(identity.logo_sha256)  # changed meanwhile: keep nothing
            stored = None
    if stored is None:
        # A logo another process saved a moment ago (this one's identity is a few seconds
        # behind), or none at all.
        stored = stored_logo(get_session())
        if stored is None:
            abort(404)
    response = Response(stored.png, mimetype="image/png")
    # Ours, made by logo.py: never to be read as anything but a PNG.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # At the address naming this very PNG it never changes; at any other, it may.
    versioned = len(wanted) == LOGO_VERSION_LENGTH and stored.sha256.startswith(wanted)
    response.headers["Cache-Control"] = LOGO_IMMUTABLE if versioned else LOGO_REVALIDATE
    return conditional(response, stored.sha256)

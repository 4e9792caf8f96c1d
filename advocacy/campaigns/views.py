"""The campaign page: the story, the bill, and the pledge form.

The form is pledges': its post (POST /c/<slug>) and its token (GET /c/<slug>/form-token)
are pledges' views, and the blank one comes from pledges through the app
(`page.render_blank_page`).
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, abort, request
from werkzeug.wrappers import Response as BaseResponse

from advocacy.campaigns.page import cached_page, home_slug, render_blank_page
from advocacy.campaigns.service import campaign_or_404, get_default_campaign
from advocacy.db import get_session
from advocacy.models import REF_MAX
from advocacy.web import formguard
from advocacy.web.caching import conditional

bp = Blueprint("campaigns", __name__)


@bp.get("/")
def home() -> BaseResponse:
    def find() -> str | None:
        campaign = get_default_campaign(get_session())
        return campaign.slug if campaign is not None else None

    slug = home_slug(find)
    if slug is None:
        abort(404)
    return page(slug)


@bp.get("/c/<slug>")
def page(slug: str) -> BaseResponse:
    ref = (request.args.get("ref") or "")[:REF_MAX]

    def render(at: float) -> str:
        return render_blank_page(campaign_or_404(get_session(), slug), ref, at)

    cached = cached_page(slug, ref, render)
    response = Response(cached.html, mimetype="text/html")
    # The same page for everyone until its form token's window ends: no cookie, nothing
    # personal, so a shared cache may keep it that long.
    max_age = formguard.seconds_left_in_window(time.time())
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return conditional(response, cached.etag)

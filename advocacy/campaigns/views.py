"""The campaign page: the story, the bill, and the pledge form.

The form is pledges': its post (POST /c/<slug>) and its token (GET /c/<slug>/form-token)
are pledges' views, and the blank one comes from pledges through the app
(`page.render_blank_page`).
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, abort, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from advocacy.campaigns.page import cached_page, home_slug, render_blank_page
from advocacy.campaigns.service import campaign_or_404, get_default_campaign
from advocacy.db import get_session
from advocacy.models import REF_MAX
from advocacy.web import formguard
from advocacy.web.caching import conditional
from advocacy.web.languages import current_language, suggested_language

bp = Blueprint("campaigns", __name__)
# How long browsers and caches may keep the redirect from a campaign's old slug, in seconds.
REDIRECT_MAX_AGE = 3600


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
        campaign = campaign_or_404(get_session(), slug)
        if campaign.slug != slug:
            # A slug the campaign had before: send the visitor (and search engines) on,
            # for good. Raised, so the page cache keeps nothing under the old slug.
            target = url_for("campaigns.page", slug=campaign.slug)
            if request.query_string:
                target += "?" + request.query_string.decode("latin-1")
            moved = redirect(target, 301)
            # Browsers keep a 301 for as long as they like unless told: an hour, so that a
            # rollback to the old slug is not a loop in their caches for long.
            moved.headers["Cache-Control"] = f"public, max-age={REDIRECT_MAX_AGE}"
            abort(moved)
        return render_blank_page(campaign, ref, at)

    suggestion = suggested_language()
    variant = (request.path, current_language().tag, suggestion.tag if suggestion else "")
    cached = cached_page(slug, ref, variant, render)
    response = Response(cached.html, mimetype="text/html")
    # The same page for everyone until its form token's window ends: no cookie, nothing
    # personal, so a shared cache may keep it that long.
    max_age = formguard.seconds_left_in_window(time.time())
    # A page that offers the visitor's browser language is theirs alone: a shared cache
    # keeps only the page without the offer (which anyone may get: the switcher stays).
    shared = "private" if suggestion else "public"
    response.headers["Cache-Control"] = f"{shared}, max-age={max_age}"
    return conditional(response, cached.etag)

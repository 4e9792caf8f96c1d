"""The campaign page: the story, the bill, and the pledge form (which pledges/ handles)."""

from __future__ import annotations

import time

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.wrappers import Response as BaseResponse

from advocacy.campaigns.page import PageCache, private_form_token, render_campaign_page
from advocacy.campaigns.service import CampaignRefs, campaign_or_404, get_default_campaign
from advocacy.db import get_session
from advocacy.models import REF_MAX
from advocacy.pledges.forms import PledgeForm
from advocacy.web import formguard
from advocacy.web.caching import conditional

bp = Blueprint("campaigns", __name__)


@bp.get("/")
def home() -> BaseResponse:
    def find() -> str | None:
        campaign = get_default_campaign(get_session())
        return campaign.slug if campaign is not None else None

    cache: PageCache = current_app.extensions["advocacy.page_cache"]
    slug = cache.default_slug(find)
    if slug is None:
        abort(404)
    return page(slug)


@bp.get("/c/<slug>")
def page(slug: str) -> BaseResponse:
    ref = (request.args.get("ref") or "")[:REF_MAX]

    def render(at: float) -> str:
        campaign = campaign_or_404(get_session(), slug)
        form = PledgeForm(formdata=None, meta={"csrf": False})
        form.ref.data = ref
        return render_campaign_page(campaign, form, at=at)[0]

    cache: PageCache = current_app.extensions["advocacy.page_cache"]
    cached = cache.get(slug, ref, render)
    response = Response(cached.html, mimetype="text/html")
    # The same page for everyone until its form token's window ends: no cookie, nothing
    # personal, so a shared cache may keep it that long.
    max_age = formguard.seconds_left_in_window(time.time())
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return conditional(response, cached.etag)


@bp.get("/c/<slug>/form-token")
def form_token(slug: str) -> Response:
    """Give the page's script a token of this visitor's own: the fill time runs from now."""
    refs: CampaignRefs = current_app.extensions["advocacy.campaign_refs"]
    refs.get(get_session(), slug)  # a 404 for a campaign that does not exist
    return formguard.token_answer(private_form_token(slug))

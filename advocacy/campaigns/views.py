"""The campaign page: the story, the bill, and the pledge form (which pledges/ handles)."""

from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, make_response, request
from werkzeug.wrappers import Response

from advocacy.campaigns.page import PageCache, render_campaign_page
from advocacy.campaigns.service import campaign_or_404, get_default_campaign
from advocacy.db import get_session
from advocacy.models import REF_MAX
from advocacy.pledges.forms import PledgeForm
from advocacy.web import formguard

bp = Blueprint("campaigns", __name__)


@bp.get("/")
def home() -> Response:
    campaign = get_default_campaign(get_session())
    if campaign is None:
        abort(404)
    return page(campaign.slug)


@bp.get("/c/<slug>")
def page(slug: str) -> Response:
    ref = (request.args.get("ref") or "")[:REF_MAX]

    def render(at: float) -> str:
        campaign = campaign_or_404(get_session(), slug)
        form = PledgeForm(formdata=None, meta={"csrf": False})
        form.ref.data = ref
        return render_campaign_page(campaign, form, at=at)[0]

    cache: PageCache = current_app.extensions["advocacy.page_cache"]
    response = make_response(cache.get(slug, ref, render))
    # The same page for everyone until its form token's window ends: no cookie, nothing
    # personal, so a shared cache may keep it that long.
    max_age = formguard.seconds_left_in_window(time.time())
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.add_etag()
    return response.make_conditional(request)

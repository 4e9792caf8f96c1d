"""The campaign page: the story, the bill, and the pledge form (which pledges/ handles)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request

from advocacy.campaigns.page import render_campaign_page
from advocacy.campaigns.service import campaign_or_404, get_default_campaign
from advocacy.db import get_session
from advocacy.models import REF_MAX
from advocacy.pledges.forms import PledgeForm

bp = Blueprint("campaigns", __name__)


@bp.get("/")
def home() -> Any:
    campaign = get_default_campaign(get_session())
    if campaign is None:
        abort(404)
    return page(campaign.slug)


@bp.get("/c/<slug>")
def page(slug: str) -> Any:
    campaign = campaign_or_404(get_session(), slug)
    form = PledgeForm(formdata=None)
    form.ref.data = (request.args.get("ref") or "")[:REF_MAX]
    return render_campaign_page(campaign, form)

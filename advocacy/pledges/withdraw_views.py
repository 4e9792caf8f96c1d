"""The withdraw link: a page that asks, and a POST that withdraws the pledge.

Both answer the same for every token, valid, used or made up, so the link cannot be used
to learn whether an email had pledged.
"""

from __future__ import annotations

import logging

from flask import render_template, session

from advocacy.campaigns.page import counts_changed
from advocacy.campaigns.service import campaign_or_404
from advocacy.db import begin_write, get_session
from advocacy.pledges.views import bp
from advocacy.pledges.withdrawal import withdraw
from advocacy.web.extensions import write_limited

log = logging.getLogger(__name__)

# The page's address holds the token: no other site may see it as a referrer, no search
# engine may keep it, no cache may store the page.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


@bp.get("/c/<slug>/withdraw/<token>")
def withdraw_page(slug: str, token: str) -> tuple[str, int, dict[str, str]]:
    campaign = campaign_or_404(get_session(), slug)
    html = render_template("pledges/withdraw.html", campaign=campaign, token=token, done=False)
    return html, 200, PRIVATE_HEADERS


@bp.post("/c/<slug>/withdraw/<token>")
@write_limited
def withdraw_pledge(slug: str, token: str) -> tuple[str, int, dict[str, str]]:
    db = get_session()
    campaign = campaign_or_404(db, slug)
    begin_write(db)
    if withdraw(db, campaign, token):
        log.info("a pledge to %s was withdrawn by its supporter", campaign.slug)
    db.commit()
    counts_changed(campaign.slug)
    # The results page of this browser goes too: it may belong to the withdrawn pledge.
    session.pop("visit", None)
    session.pop("withdraw", None)
    html = render_template("pledges/withdraw.html", campaign=campaign, token=token, done=True)
    return html, 200, PRIVATE_HEADERS

"""POST /c/<slug>/results/handoff: the partner widget's "Write to your members" button.

It is pressed inside a partner's frame and arrives as a top-level navigation to our site,
perhaps without our session cookie (SameSite=Lax sends none with a cross-site POST), so
it cannot carry the session's CSRF token. Its guard is the token itself (pledges.handoff):
signed for one campaign's visit, good for ten minutes and one use, and only ever in the
answer to the supporter's own pledge in the widget. A forged post can only move a visit
whose token it holds; the Origin check refuses other sites' pages besides.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, url_for

from advocacy.campaigns.content import content_of
from advocacy.campaigns.service import campaign_or_404
from advocacy.db import begin_write, get_session
from advocacy.pledges.handoff import MAX_AGE_SECONDS, redeem
from advocacy.pledges.views import bp
from advocacy.pledges.visits import keep_visit
from advocacy.web import formguard
from advocacy.web.extensions import write_limited

# The token is a bearer token: no referrer, no cache, no search engine.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


@bp.post("/c/<slug>/results/handoff")
@write_limited
def handoff(slug: str) -> Any:
    db = get_session()
    campaign = campaign_or_404(db, slug)
    handed = None
    if not formguard.is_foreign_post(request):
        begin_write(db)
        token = request.form.get("token", "")
        handed = redeem(db, current_app.config["SECRET_KEY"], campaign.id, token)
    if handed is None:
        db.rollback()
        html = render_template(
            "pledges/handoff_refused.html",
            campaign=campaign,
            content=content_of(campaign),
            handoff_minutes=MAX_AGE_SECONDS // 60,
        )
        return html, 400, PRIVATE_HEADERS
    db.commit()
    # From here on, as after a pledge on the campaign page: the random id and the visit's
    # key in the session.
    keep_visit(*handed)
    return redirect(url_for("pledges.thanks", slug=campaign.slug, _anchor="main"), 303)

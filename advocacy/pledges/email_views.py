"""The pages a supporter reaches from their email: confirm the pledge, or withdraw it.

The email's links carry the code in the fragment (`/c/<slug>/confirm#CODE`), which no
request carries: a small script (static/js/code.js) puts it into the page's form, and
without JavaScript the page asks for the code, which the email also shows. A GET only
shows the form (mail scanners open links, and must change nothing); the supporter's
button press POSTs it, guarded by the session's CSRF token. A confirmation says the
same for a used and a made-up code; a withdrawal says what happened, as far as the code
proves who asks (pledges.withdrawal). Both work on a campaign that has closed too: a
supporter may always take their name back.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, render_template, session

from advocacy.campaigns.content import CampaignContent, CampaignContentError, content_of
from advocacy.campaigns.page import counts_changed
from advocacy.campaigns.service import published_campaign_or_404
from advocacy.db import begin_write, get_session
from advocacy.models import Campaign, utcnow
from advocacy.pledges.confirmation import confirm
from advocacy.pledges.forms import CodeForm
from advocacy.pledges.views import bp
from advocacy.pledges.withdrawal import outcome, withdraw
from advocacy.web.extensions import write_limited

log = logging.getLogger(__name__)

# The pages handle codes: no other site may see their address as a referrer, no search
# engine may keep them, no cache may store them (they carry the session's CSRF token).
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}

Page = tuple[str, int, dict[str, str]]


def _page(
    template: str, campaign: Campaign, form: CodeForm, state: str, status: int = 200
) -> Page:
    # The content gives the campaign's title in the page's language. A supporter must be
    # able to confirm or withdraw even if it cannot be read: the row's title will do.
    try:
        content: CampaignContent | None = content_of(campaign)
    except CampaignContentError:
        log.exception("campaign %s: stored content not readable", campaign.slug)
        content = None
    html = render_template(template, campaign=campaign, content=content, form=form, state=state)
    return html, status, PRIVATE_HEADERS


@bp.get("/c/<slug>/confirm")
def confirm_page(slug: str) -> Page:
    campaign = published_campaign_or_404(get_session(), slug)
    return _page("pledges/confirm.html", campaign, CodeForm(formdata=None), "ask")


@bp.post("/c/<slug>/confirm")
@write_limited
def confirm_pledge(slug: str) -> Page:
    db = get_session()
    campaign = published_campaign_or_404(db, slug)
    form = CodeForm()
    if not form.validate():
        return _page("pledges/confirm.html", campaign, form, "ask", 422)
    begin_write(db)
    days = current_app.config["PLEDGE_CONFIRM_DAYS"]
    counted = confirm(
        db, campaign.id, form.normalized_code(), now=utcnow(), valid_for=timedelta(days=days)
    )
    db.commit()
    if counted:
        counts_changed(campaign.slug)
        log.info("a pledge to %s was confirmed by its supporter", campaign.slug)
        db.refresh(campaign)  # the count with this pledge in it
    return _page("pledges/confirm.html", campaign, form, "counted" if counted else "unknown")


@bp.get("/c/<slug>/withdraw")
def withdraw_page(slug: str) -> Page:
    campaign = published_campaign_or_404(get_session(), slug)
    return _page("pledges/withdraw.html", campaign, CodeForm(formdata=None), "ask")


@bp.get("/c/<slug>/withdraw/<token>")
def withdraw_page_with_token(slug: str, token: str) -> Page:
    """The link shown on thank-you pages before withdraw codes were mailed: still honoured."""
    campaign = published_campaign_or_404(get_session(), slug)
    form = CodeForm(formdata=None, data={"code": token})
    return _page("pledges/withdraw.html", campaign, form, "ask")


@bp.post("/c/<slug>/withdraw")
@write_limited
def withdraw_pledge(slug: str) -> Page:
    db = get_session()
    campaign = published_campaign_or_404(db, slug)
    form = CodeForm()
    if not form.validate():
        return _page("pledges/withdraw.html", campaign, form, "ask", 422)
    begin_write(db)
    code = form.normalized_code()
    withdrawn = withdraw(db, campaign.id, code)
    db.commit()
    if withdrawn:
        log.info("a pledge to %s was withdrawn by its supporter", campaign.slug)
        counts_changed(campaign.slug)
    state = outcome(code, withdrawn)
    if state != "none":
        # The results page of this browser goes too: it may belong to the withdrawn
        # pledge. For an old link, whether or not one went, so the cookie says nothing.
        session.pop("visit", None)
    return _page("pledges/withdraw.html", campaign, CodeForm(formdata=None), state)

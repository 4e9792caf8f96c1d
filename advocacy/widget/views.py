"""The loader (/embed.js) and the widget page a partner's page frames (/c/<slug>/widget).

Neither touches the session: the widget must work in a frame that gets no cookies, and
the loader and the blank widget are shared by every visitor through caches. A pledge's
results page is reached from the thanks by a signed handoff (pledges.handoff), which the
new tab it opens, on our own site, keeps in the session there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, make_response, render_template, request
from flask_babel import gettext, lazy_gettext
from werkzeug.exceptions import Gone, NotFound, TooManyRequests
from werkzeug.wrappers import Response as BaseResponse

from advocacy.campaigns.content import content_of
from advocacy.campaigns.service import cached_campaign_ref, campaign_or_404
from advocacy.db import get_session
from advocacy.i18n.languages import languages
from advocacy.mail import outbox_changed
from advocacy.models import REF_MAX, Campaign
from advocacy.pledges import guard, handoff
from advocacy.pledges.forms import PledgeForm
from advocacy.pledges.submission import checked_pledge, record_with_visit
from advocacy.web import formguard
from advocacy.web.caching import conditional
from advocacy.web.errors import (
    DATABASE_DOWN_ERRORS,
    MESSAGES,
    RETRY_AFTER_SECONDS,
    database_down,
    page_message,
    render_error,
)
from advocacy.web.extensions import pledge_limit
from advocacy.web.languages import speaking

bp = Blueprint("widget", __name__)

# The loader changes only with a release; a CDN may keep serving it while we are down.
EMBED_CACHE_CONTROL = "public, max-age=300, stale-if-error=86400"
# The endpoints a partner's page frames: the widget and every answer to its form.
FRAMED_ENDPOINTS = frozenset({"widget.page", "widget.submit"})
TOO_MANY_MESSAGE = lazy_gettext(
    "Too many attempts from your connection. Please wait a minute, then send the form "
    "again: everything you typed is still here."
)


def _widget_form(*, posted: bool) -> Any:
    """Return the pledge form, blank or filled from the post, without the session's token."""
    # The widget's own token (guard.WIDGET) stands in for the session-based one.
    if posted:
        return PledgeForm(meta={"csrf": False})
    return PledgeForm(formdata=None, meta={"csrf": False})


def _render(
    campaign: Campaign,
    form: Any,
    *,
    pledge_count: int | None = None,
    handoff_token: str = "",
) -> str:
    return render_template(
        "widget/page.html",
        campaign=campaign,
        content=content_of(campaign),
        form=form,
        ref=form.ref.data or "",
        pledge_count=campaign.pledge_count if pledge_count is None else pledge_count,
        pledged=bool(handoff_token),
        handoff_token=handoff_token,
        started_token=guard.WIDGET.issue_token(current_app.config["SECRET_KEY"], campaign.slug),
    )


def _private(html: str, status: int) -> Response:
    """Return an answer to a post: it holds what the supporter typed, so no cache keeps it."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _shared(response: Response, cache_control: str) -> BaseResponse:
    """Make a response every visitor shares cacheable, and answer revalidations with 304."""
    response.headers["Cache-Control"] = cache_control
    return conditional(response)


@bp.after_request
def allow_framing(response: Response) -> Response:
    """Let partners frame the widget's pages (errors included), as configured."""
    if request.endpoint in FRAMED_ENDPOINTS:
        response.headers["Content-Security-Policy"] = current_app.extensions["advocacy.widget_csp"]
    return response


@bp.get("/embed.js")
def embed_js() -> BaseResponse:
    script = current_app.extensions.get(EMBED_SCRIPT_EXTENSION)
    if script is None:
        script = current_app.extensions[EMBED_SCRIPT_EXTENSION] = _embed_script()
    return _shared(Response(script, mimetype="text/javascript"), EMBED_CACHE_CONTROL)


# The loader with its words in every language, made once per process.
EMBED_SCRIPT_EXTENSION = "advocacy.embed_script"
EMBED_TEXTS_LINE = re.compile(rb"^  var TEXTS = .*;$", re.MULTILINE)


def embed_texts() -> dict[str, dict[str, str]]:
    """What the loader writes on a partner's page, by address prefix ("" for English)."""
    texts = {}
    for language in languages():
        with speaking(language):
            texts[language.tag if language.prefix else ""] = {
                # %s: the campaign's short name, which the loader knows (not its title).
                "title": gettext("Pledge form for the campaign %s"),
                "link": gettext("Add your name on the campaign page"),
            }
    return texts


def _embed_script() -> bytes:
    static = Path(current_app.static_folder or "static")
    script = (static / "js" / "embed.js").read_bytes()
    line = b"  var TEXTS = " + json.dumps(embed_texts(), ensure_ascii=False).encode() + b";"
    return EMBED_TEXTS_LINE.sub(lambda _: line, script, count=1)


@bp.get("/c/<slug>/widget")
def page(slug: str) -> BaseResponse:
    # One query, for the campaign row; the count in it may be a window old in a cache.
    campaign = campaign_or_404(get_session(), slug)
    form = _widget_form(posted=False)
    form.ref.data = (request.args.get("ref") or "")[:REF_MAX]
    response = make_response(_render(campaign, form))
    # Identical for everyone until the token's window ends (see formguard.WINDOW_SECONDS).
    max_age = formguard.seconds_left_in_window(guard.now())
    return _shared(response, f"public, max-age={max_age}")


@bp.get("/c/<slug>/widget/form-token")
def form_token(slug: str) -> Response:
    """Give the widget's script a token of this visitor's own: the fill time runs from now."""
    cached_campaign_ref(get_session(), slug)  # a 404 for a campaign that does not exist
    return guard.WIDGET.token_answer(slug)


@bp.post("/c/<slug>/widget")
@pledge_limit
def submit(slug: str) -> Any:
    # A browser names the page a form was sent from; ours is the only one with this form.
    if formguard.is_foreign_post(request):
        return render_error(403, formguard.FOREIGN_ORIGIN_MESSAGE)
    form = _widget_form(posted=True)
    checked = checked_pledge(
        form, lambda started, honeypot: guard.WIDGET.check(slug, started, honeypot)
    )
    if checked is None:
        return _private(_render(campaign_or_404(get_session(), slug), form), 422)
    data, lookup = checked

    db = get_session()
    try:
        # The results page's state, as for a pledge on the campaign page; only the signed
        # handoff below can reach it, and it lapses with the handoff unless used.
        recorded = record_with_visit(
            db, slug, data, lookup, visit_lifetime=handoff.WIDGET_VISIT_LIFETIME
        )
        db.commit()
        # The email waits in the outbox: this answer never waits on the mail server.
        outbox_changed()
        campaign = campaign_or_404(db, slug)
    except DATABASE_DOWN_ERRORS as error:
        # Nothing was saved: give the form back filled, in the frame, to send again.
        database_down(error)
        html = render_template(
            "widget/retry.html",
            slug=slug,
            form=form,
            ref=form.ref.data or "",
            started_token=guard.WIDGET.issue_token(current_app.config["SECRET_KEY"], slug),
        )
        response = _private(html, 503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    # The same page whether this email is new or had pledged before: the widget must not
    # tell anyone who typed an address whether its owner had signed. The count has not
    # moved: the pledge counts once confirmed from its mailbox.
    token = handoff.issue_token(
        current_app.config["SECRET_KEY"], campaign.id, recorded.visit_id, recorded.visit_key
    )
    html = _render(campaign, form, pledge_count=recorded.outcome.pledge_count, handoff_token=token)
    return _private(html, 200)


@bp.errorhandler(NotFound)
def not_found(_error: NotFound) -> Any:
    """Answer a mistyped campaign inside the partner's frame: a small page, not the site's."""
    if request.endpoint not in FRAMED_ENDPOINTS:
        return render_error(404, MESSAGES[404])
    slug = (request.view_args or {}).get("slug", "")
    response = make_response(render_template("widget/not_found.html", slug=slug), 404)
    # A snippet with a typo is on every page of the partner's site: let caches answer it.
    response.headers["Cache-Control"] = (
        "public, max-age=60" if request.method == "GET" else "no-store"
    )
    return response


@bp.errorhandler(Gone)
def ended(error: Gone) -> Any:
    """Say inside the partner's frame that the campaign has ended (its organizers closed it)."""
    if request.endpoint not in FRAMED_ENDPOINTS:
        return render_error(410, page_message(410, error.description))
    slug = (request.view_args or {}).get("slug", "")
    response = make_response(render_template("widget/ended.html", slug=slug), 410)
    # On every page of a partner's site until they take the snippet down: cacheable.
    response.headers["Cache-Control"] = (
        "public, max-age=60" if request.method == "GET" else "no-store"
    )
    return response


@bp.errorhandler(TooManyRequests)
def too_many(_error: TooManyRequests) -> Any:
    """Keep what was typed in the widget when its form is rate limited."""
    if request.endpoint != "widget.submit":
        return render_error(429, MESSAGES[429])
    slug = (request.view_args or {}).get("slug", "")
    form = _widget_form(posted=True)
    form.form_errors.append(TOO_MANY_MESSAGE)
    return _private(_render(campaign_or_404(get_session(), slug), form), 429)

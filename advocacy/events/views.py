"""An event's public page (/e/<code>): the event, the campaign's ask and the pledge form.

The form is pledges' own (fields, checks, look-up, record, results page), guarded by a
token signed for this event (EVENT_PAGE), and its post is attributed to the event here on
the server (the ref "event-<code>"), whatever the form says. While the event is on, posts
have the event's budget per client address instead of the everyday one
(`budget_or_pledge_limit`); an unknown code is a 404, and an event that is over (or not
yet near) leaves its page working under the everyday budget.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_limiter.util import get_remote_address

from advocacy import clock
from advocacy.campaigns.content import content_of
from advocacy.campaigns.lifecycle import page_copy
from advocacy.campaigns.service import campaign_or_404
from advocacy.db import get_session
from advocacy.events import schedule
from advocacy.events.service import find_event
from advocacy.mail import outbox_changed
from advocacy.models import Campaign, Event, utcnow
from advocacy.pledges.forms import PledgeForm
from advocacy.pledges.guard import FormGuard
from advocacy.pledges.submission import checked_pledge, record_with_visit
from advocacy.pledges.visits import keep_visit
from advocacy.web import formguard
from advocacy.web.errors import (
    DATABASE_DOWN_ERRORS,
    RETRY_AFTER_SECONDS,
    database_down,
    render_error,
)
from advocacy.web.extensions import budget_or_pledge_limit
from advocacy.web.languages import current_language, in_script

bp = Blueprint("events", __name__)

# The time zones' names as the event page says them (schedule.ZONE_NAMES, translated).
ZONE_WORDS = {
    "America/New_York": lazy_gettext("US Eastern time"),
    "America/Chicago": lazy_gettext("US Central time"),
    "America/Denver": lazy_gettext("US Mountain time"),
    "America/Phoenix": lazy_gettext("Arizona time"),
    "America/Los_Angeles": lazy_gettext("US Pacific time"),
    "America/Anchorage": lazy_gettext("Alaska time"),
    "Pacific/Honolulu": lazy_gettext("Hawaii time"),
}


def when_in_language(starts: datetime, ends: datetime, zone: str) -> str:
    """Say when an event is, in a page's language other than English (CLDR's patterns:
    the English page writes its own, "Saturday, December 5, 6:30 PM to 8:30 PM")."""
    locale = current_language().cldr

    def moment(at: datetime, with_day: bool) -> str:
        clock_time = format_time(at, "short", locale=locale)
        if not with_day:
            return str(clock_time)
        day = format_date(at.date(), "full", locale=locale)
        return str(gettext("%(day)s, %(time)s", day=day, time=clock_time))

    zone_words = ZONE_WORDS.get(zone) or schedule.ZONE_NAMES.get(zone, zone)
    return in_script(
        gettext(
            "%(start)s to %(end)s, %(zone)s",
            start=moment(starts, True),
            end=moment(ends, ends.date() != starts.date()),
            zone=zone_words,
        )
    )


# The pledge form on an event's page: its tokens are bound to the event's code, and open
# neither the campaign page's form nor another event's.
EVENT_PAGE = FormGuard("advocacy.event-form")


def _event_or_404(code: str) -> tuple[Event, Campaign]:
    db = get_session()
    event = find_event(db, code)
    if event is None:
        abort(404)
    campaign = db.get(Campaign, event.campaign_id)
    assert campaign is not None
    # A closed campaign's events say it has ended (410), a draft's do not exist (404).
    return event, campaign_or_404(db, campaign.slug)


def _render(
    event: Event, campaign: Campaign, form: PledgeForm, token: str, status: int = 200
) -> tuple[str, int]:
    content = content_of(campaign)
    zone = event.time_zone
    html = render_template(
        "events/page.html",
        event=event,
        campaign=campaign,
        content=content,
        copy=page_copy(content, clock.now()),
        starts=schedule.in_zone(event.starts_at, zone),
        ends=schedule.in_zone(event.ends_at, zone),
        zone_name=schedule.ZONE_NAMES.get(zone, zone),
        when=None
        if current_language().is_english
        else when_in_language(
            schedule.in_zone(event.starts_at, zone), schedule.in_zone(event.ends_at, zone), zone
        ),
        form=form,
        started_token=token,
        form_action=url_for("events.submit", code=event.code),
        token_url=url_for("events.form_token", code=event.code),
    )
    return html, status


@bp.get("/e/<code>")
def page(code: str) -> Any:
    event, campaign = _event_or_404(code)
    if code != event.code:
        # One address per event, whatever case it was typed in.
        return redirect(url_for("events.page", code=event.code), 301)
    form = PledgeForm(formdata=None, meta={"csrf": False})
    form.ref.data = schedule.event_ref(event.code)
    token = EVENT_PAGE.issue_token(current_app.config["SECRET_KEY"], event.code)
    html, status = _render(event, campaign, form, token)
    response = make_response(html, status)
    # The same page for everyone until its form token's window ends, as the campaign page.
    max_age = formguard.seconds_left_in_window(time.time())
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


@bp.get("/e/<code>/form-token")
def form_token(code: str) -> Response:
    """Give the page's script a token of this visitor's own: the fill time runs from now."""
    event, _campaign = _event_or_404(code)
    return EVENT_PAGE.token_answer(event.code)


def _posted_event() -> Event | None:
    """Return the event a post names, looked up once per request (None: unknown)."""
    if "posted_event" not in g:
        code = (request.view_args or {}).get("code", "")
        try:
            g.posted_event = find_event(get_session(), code)
        except DATABASE_DOWN_ERRORS:
            # The view answers 503 itself; the limits meanwhile are the everyday ones.
            g.posted_event = None
    event: Event | None = g.posted_event
    return event


def event_is_on() -> bool:
    """Tell whether the post goes through an event that is on now (its own budget)."""
    event = _posted_event()
    return event is not None and schedule.is_on(event.starts_at, event.ends_at, utcnow())


def event_budget_key() -> str:
    """Key the event's budget by the event and the client's address."""
    event = _posted_event()
    return f"{event.code if event else ''}/{get_remote_address()}"


@bp.post("/e/<code>")
@budget_or_pledge_limit(event_is_on, event_budget_key)
def submit(code: str) -> Any:
    if formguard.is_foreign_post(request):
        return render_error(403, formguard.FOREIGN_ORIGIN_MESSAGE)
    event, campaign = _event_or_404(code)
    form = PledgeForm()
    # Attributed by the server: a ref posted in the form counts for nothing here.
    form.ref.data = schedule.event_ref(event.code)
    checked = checked_pledge(
        form, lambda started, honeypot: EVENT_PAGE.check(event.code, started, honeypot)
    )
    if checked is None:
        token = EVENT_PAGE.issue_token(current_app.config["SECRET_KEY"], event.code)
        return _render(event, campaign, form, token, 422)
    data, lookup = checked

    db = get_session()
    try:
        recorded = record_with_visit(db, campaign.slug, data, lookup)
        db.commit()
        # The email waits in the outbox: this answer never waits on the mail server.
        outbox_changed()
    except DATABASE_DOWN_ERRORS as error:
        # Nothing was saved: give the form back filled, to send again in a minute.
        database_down(error)
        html = render_template(
            "pledges/retry.html",
            slug=campaign.slug,
            form=form,
            form_action=url_for("events.submit", code=event.code),
            token_url=url_for("events.form_token", code=event.code),
        )
        return html, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    # The results page finds this supporter through a random id in the session cookie,
    # and opens with the key beside it.
    keep_visit(recorded.visit_id, recorded.visit_key)
    return redirect(url_for("pledges.thanks", slug=recorded.campaign.slug, _anchor="main"), 303)

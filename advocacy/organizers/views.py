"""The organizers' pages: sign in and out, the dashboard, exports, the lobby report.

The dashboard also shows the rows of the changed-states table flagged for checking, and
takes an organizer's confirmation of one (a POST to the dashboard's own address).

Every URL but the sign-in page needs a signed-in, active organizer, whose session is
looked up in the database on every request: pages send others to the sign-in page,
exports answer 401. Exports are POSTs with a CSRF token (a GET at the same address shows
the page with the button), so a link on another site cannot start one. Nothing here is
cached by browsers or proxies.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy.orm import Session, sessionmaker

from advocacy import clock
from advocacy.campaigns.checks import check_campaign
from advocacy.campaigns.content import content_of
from advocacy.campaigns.lifecycle import page_copy
from advocacy.campaigns.service import campaign_or_404
from advocacy.congress.calendar import congress_on, ordinal
from advocacy.congress.maps import MapTable
from advocacy.congress.states import state_name
from advocacy.db import get_session
from advocacy.models import Campaign, Organizer, as_utc
from advocacy.organizers import accounts, dashboard, exports, stats, throttle
from advocacy.organizers.forms import ConfirmMapForm, ExportForm, LoginForm, LogoutForm
from advocacy.representatives import datafiles, verification
from advocacy.representatives.service import data_locations, get_directory, map_table
from advocacy.web.errors import MESSAGES, render_error
from advocacy.web.inputs import CONTROL

log = logging.getLogger(__name__)

bp = Blueprint("organizers", __name__, url_prefix="/organizers")

SESSION_KEY = "organizer"
# Signing out needs no live session: it ends whatever the cookie names.
PUBLIC_ENDPOINTS = frozenset({"organizers.login", "organizers.logout"})
# Endpoints that answer 401 rather than sending a browser to the sign-in page.
EXPORT_ENDPOINTS = frozenset({"organizers.pledges_csv", "organizers.districts_csv"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

REFUSALS = {
    "credentials": "Those sign-in details are not right. Check them and try again.",
    "code_needed": "Enter the six-digit code from your authenticator app.",
    "code_wrong": "That code is not right, or was already used. Enter the current code "
    "from your authenticator app.",
    "needs_2fa": "Your account must use a one-time code before you can sign in. Ask an "
    "administrator to run `advocacy organizers totp` with your email address, then add "
    "the code it prints to your authenticator app.",
}
SLOW_DOWN = "There have been too many sign-in attempts. Please wait a few minutes, then try again."


# --- who is signed in ---------------------------------------------------------------------


def _session_lifetime() -> timedelta:
    return timedelta(hours=float(current_app.config["ORGANIZERS_SESSION_HOURS"]))


def _session_token() -> str | None:
    data = session.get(SESSION_KEY)
    token = data.get("sid") if isinstance(data, dict) else None
    return token if isinstance(token, str) else None


def current_organizer() -> Organizer | None:
    """Return the signed-in organizer, if their session is in the database and fresh."""
    token = _session_token()
    if token is None:
        return None
    return accounts.session_organizer(get_session(), token, _session_lifetime())


def _safe_next(target: str | None) -> str | None:
    """Accept only a path inside /organizers/ as where to go after signing in."""
    if not target or not target.startswith("/organizers/") or "\\" in target:
        return None
    if len(target) > 512 or CONTROL.search(target):
        return None
    if target.startswith("//") or "//" in target or ".." in target:
        return None
    return target


@bp.before_request
def refuse_cross_site_posts() -> None:
    """Refuse a POST that the browser says another site started (besides the CSRF token)."""
    if request.method not in SAFE_METHODS and request.headers.get("Sec-Fetch-Site") in (
        "cross-site",
        "same-site",
    ):
        abort(403, description="That was sent from another site. Use the organizers' pages.")


@bp.before_request
def require_organizer() -> Any:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    organizer = current_organizer()
    if organizer is None:
        session.pop(SESSION_KEY, None)
        if request.endpoint in EXPORT_ENDPOINTS:
            abort(401, description="Sign in as an organizer to download this file.")
        return redirect(url_for("organizers.login", next=request.path))
    g.organizer = organizer
    return None


@bp.after_request
def locked_room_headers(response: Response) -> Response:
    headers = response.headers
    headers["Cache-Control"] = "no-store"
    headers["Pragma"] = "no-cache"
    # Organizer URLs carry only campaign slugs and seats, but say nothing to other sites.
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.context_processor
def organizer_context() -> dict[str, Any]:
    # formdata=None: error pages render this too, for posts whose body cannot be read.
    return {"organizer": g.get("organizer"), "logout_form": LogoutForm(formdata=None)}


@bp.errorhandler(413)
def too_large(_error: Exception) -> Any:
    """An oversize post: the error page; on the sign-in form, one log line and one attempt."""
    if request.endpoint == "organizers.login":
        log.warning(
            "organizers sign-in: a post over %s bytes refused",
            current_app.config["MAX_CONTENT_LENGTH"],
        )
        if not throttle.take_client_attempt():
            return render_error(429, MESSAGES[429])
    return render_error(413, MESSAGES[413])


# --- signing in and out -------------------------------------------------------------------


def _login_page(
    form: LoginForm, next_path: str | None, status: int, error: str | None = None
) -> tuple[str, int]:
    form.password.data = ""
    form.code.data = ""
    slow = status == 429
    page = render_template(
        "organizers/login.html", form=form, error=error, slow=slow, next_path=next_path
    )
    return page, status


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in. Each attempt is counted (throttle) before the password is checked."""
    form = LoginForm()
    next_path = _safe_next(request.values.get("next"))
    if request.method != "POST":
        return _login_page(form, next_path, 200)
    if not throttle.take_client_attempt():
        return _login_page(form, next_path, 429, SLOW_DOWN)
    if not form.validate():
        return _login_page(form, next_path, 422)
    email = form.email.data
    device = throttle.device_for(email)
    if not throttle.take_account_attempt(email, device):
        return _login_page(form, next_path, 429, SLOW_DOWN)
    outcome = accounts.authenticate(
        get_session(),
        email,
        form.password.data,
        form.code.data or "",
        bool(current_app.config["ORGANIZERS_REQUIRE_2FA"]),
        _session_lifetime(),
    )
    if outcome.token is None:
        return _login_page(form, next_path, 401, REFUSALS[outcome.refusal or "credentials"])
    throttle.forget_account_attempts(email, device)
    # A fresh session: nothing from before signing in carries over.
    session.clear()
    session[SESSION_KEY] = {"sid": outcome.token}
    response = redirect(next_path or url_for("organizers.index"), 303)
    throttle.remember_device(response, email, device)
    return response


@bp.post("/logout")
def logout() -> Any:
    """End the session in the database (a copy of the cookie opens nothing) and the cookie."""
    form = LogoutForm()
    if form.validate_on_submit():
        token = _session_token()
        if token is not None:
            accounts.end_session(get_session(), token)
        session.clear()
    return redirect(url_for("organizers.login"), 303)


# --- the dashboard ------------------------------------------------------------------------


@bp.get("/")
def index() -> Any:
    campaigns = list(get_session().scalars(sa.select(Campaign).order_by(Campaign.title)))
    now = clock.now()
    warnings = [
        (campaign, warning)
        for campaign in campaigns
        for warning in check_campaign(campaign, now).warnings
    ]
    maps = _maps()
    checks = [_map_item(c, maps, now) for c in verification.checks(get_session(), maps, now)]
    return render_template(
        "organizers/index.html",
        campaigns=campaigns,
        warnings=warnings,
        map_pending=[item for item in checks if not item["confirmed"]],
        map_confirmed=[item for item in checks if item["confirmed"]],
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _map_item(check: verification.MapCheck, maps: MapTable, now: datetime) -> dict[str, Any]:
    """Describe a flagged row of the changed-states table for the dashboard."""
    change = check.change
    earlier = verification.earlier(check)
    return {
        "id": f"map-{change.state.lower()}-{change.congress}",
        "state": change.state,
        "title": f"{state_name(change.state)}, {ordinal(change.congress)} Congress",
        "state_name": state_name(change.state),
        "says": _sentence(verification.table_says(change, maps)) + ".",
        "meanwhile": verification.meanwhile(change, maps, now),
        "claim": verification.claim(change, maps),
        "sources": change.sources,
        "confirmed": check.confirmed,
        "confirmed_by": (
            verification.confirmed_by(check.confirmation) if check.confirmation else None
        ),
        "earlier": _sentence(earlier) + "." if earlier else None,
        "form": ConfirmMapForm(
            formdata=None,
            data={"congress": str(change.congress), "state": change.state, "lines": change.lines},
        ),
    }


@bp.post("/")
def confirm_map() -> Any:
    """Record the signed-in organizer's confirmation of a flagged map row; back to the list."""
    form = ConfirmMapForm()
    if not form.validate_on_submit():
        abort(400, description="That confirmation was not understood. Reload the page.")
    maps = _maps()
    congress, state = int(form.congress.data), form.state.data
    try:
        verification.confirm(
            get_session(),
            congress,
            state,
            g.organizer,
            maps=maps,
            now=clock.now(),
            lines=form.lines.data,
        )
    except verification.AlreadyConfirmedError as error:
        flash(str(error), "status")
    except verification.MapVerificationError as error:
        flash(str(error), "error")
    else:
        change = verification.flagged_row(maps, congress, state)
        flash(f"Confirmed: {verification.claim(change, maps)}. Thank you.", "status")
    return redirect(url_for("organizers.index"), 303)


DATA_STATUS_SECONDS = 300.0  # reading and checking both files takes about 0.2 s


def _data_files() -> tuple[list[datafiles.FileStatus], bool]:
    """Describe the data files in use (kept five minutes per process), and whether stale."""
    cache: dict[str, Any] = current_app.extensions.setdefault("advocacy.organizers", {})
    cached = cache.get("data_status")
    now = time.monotonic()
    if cached is not None and now - cached[0] < DATA_STATUS_SECONDS:
        items: list[datafiles.FileStatus] = cached[1]
    else:
        items = datafiles.status(data_locations(current_app), clock.now())
        cache["data_status"] = (now, items)
    limit = timedelta(days=float(current_app.config["ORGANIZERS_DATA_STALE_DAYS"]))
    stale = any(item.age is None or item.age > limit or item.error for item in items)
    return items, stale


def _maps() -> MapTable:
    """Return the changed-states table the look-up uses (MAP_CHANGES_PATH, or the shipped one)."""
    return map_table(current_app)


def _on_map() -> stats.SittingMap:
    """Return the rule for districts on the sitting Congress's map."""
    return stats.SittingMap(congress_on(clock.now()), _maps())


@bp.get("/c/<slug>/")
def campaign(slug: str) -> Any:
    db = get_session()
    camp = campaign_or_404(db, slug)
    sort: dashboard.SortKey = "seat" if request.args.get("sort") == "seat" else "count"
    today = clock.now().date()
    totals = stats.totals(db, camp.id, today)
    series = stats.daily_series(stats.per_day(db, camp.id), as_utc(camp.created_at).date(), today)
    directory = get_directory()
    seats = dashboard.seat_rows(stats.by_district(db, camp.id, _on_map()), directory, sort)
    refs = stats.by_ref(db, camp.id)
    by_state = stats.by_state(db, camp.id)
    files, stale = _data_files()
    return render_template(
        "organizers/campaign.html",
        campaign=camp,
        totals=totals,
        series=series,
        chart=dashboard.bar_chart(list(series)),
        states=[(code, state_name(code) if code else "Not known", n) for code, n in by_state],
        tiles=dashboard.tile_map({code: n for code, n in by_state if code}),
        state_name=state_name,
        seats=seats,
        sort=sort,
        directory_missing=directory is None,
        refs=refs,
        files=files,
        stale=stale,
        stale_days=int(current_app.config["ORGANIZERS_DATA_STALE_DAYS"]),
        events=accounts.recent_events(db, camp.slug),
        export_form=ExportForm(formdata=None),
        seat_slug=dashboard.seat_slug,
        content_check=check_campaign(camp, clock.now()),
        map_pending=[
            f"{state_name(change.state)}, {ordinal(change.congress)} Congress"
            for change in verification.unconfirmed(db, _maps(), clock.now())
        ],
    )


# --- exports ------------------------------------------------------------------------------


def _csv_response(lines: Iterator[str], filename: str) -> Response:
    response = Response(lines, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _export_page(slug: str, kind: str) -> Any:
    db = get_session()
    camp = campaign_or_404(db, slug)
    return render_template(
        "organizers/export.html",
        campaign=camp,
        kind=kind,
        totals=stats.totals(db, camp.id, clock.now().date()),
        export_form=ExportForm(formdata=None),
    )


def _export_form_or_400() -> None:
    if not ExportForm().validate_on_submit():
        abort(400, description="That download was not understood. Reload the page.")


@bp.get("/c/<slug>/pledges.csv")
def pledges_csv_page(slug: str) -> Any:
    """The page with the button that downloads the pledges (a GET never downloads them)."""
    return _export_page(slug, "pledges")


@bp.post("/c/<slug>/pledges.csv")
def pledges_csv(slug: str) -> Response:
    """Download the pledges of supporters who agreed to be contacted; recorded."""
    _export_form_or_400()
    db = get_session()
    camp = campaign_or_404(db, slug)
    accounts.record_event(db, g.organizer.id, "export pledges.csv", camp.slug)
    day = clock.now().date().isoformat()
    maker: sessionmaker[Session] = current_app.extensions["advocacy.sessionmaker"]
    return _csv_response(_stream_pledges(maker, camp.id), f"{camp.slug}-pledges-{day}.csv")


def _stream_pledges(maker: sessionmaker[Session], campaign_id: int) -> Iterator[str]:
    """Stream from a session of its own, closed when the download ends or is dropped.

    The request's session is closed at teardown, which comes before the body is sent.
    """
    with maker() as own:
        yield from exports.csv_lines(exports.pledge_rows(own, campaign_id))


@bp.get("/c/<slug>/districts.csv")
def districts_csv_page(slug: str) -> Any:
    """The page with the button that downloads the counts by district."""
    return _export_page(slug, "districts")


@bp.post("/c/<slug>/districts.csv")
def districts_csv(slug: str) -> Response:
    """Download the count of pledges per district (every pledge; no names); recorded."""
    _export_form_or_400()
    db = get_session()
    camp = campaign_or_404(db, slug)
    accounts.record_event(db, g.organizer.id, "export districts.csv", camp.slug)
    counts = stats.by_district(db, camp.id, _on_map())
    rows = list(exports.district_rows(counts, get_directory()))
    day = clock.now().date().isoformat()
    return _csv_response(exports.csv_lines(rows), f"{camp.slug}-districts-{day}.csv")


# --- the lobby report ---------------------------------------------------------------------


def _seat_reports(camp: Campaign, seats: list[tuple[str, int]]) -> list[dict[str, Any]]:
    db = get_session()
    on_map = _on_map()
    counts = stats.by_district(db, camp.id, on_map)
    directory = get_directory()
    sponsors = content_of(camp).bill.sponsors
    reports = []
    for state, district in seats:
        member = directory.house_member(state, district) if directory is not None else None
        reports.append(
            {
                "state": state,
                "state_name": state_name(state),
                "district": district,
                "code": dashboard.seat_code(state, district),
                "member": member,
                "party": member.party if member else "",
                "sponsor": member is not None and member.bioguide in sponsors,
                "count": counts.get((state, district), 0),
                "cities": stats.district_cities(db, camp.id, state, district, on_map),
                "notes": [
                    stats.shorten(note)
                    for note in stats.district_notes(db, camp.id, state, district, on_map=on_map)
                ],
            }
        )
    return reports


@bp.get("/c/<slug>/report")
def report(slug: str) -> Any:
    db = get_session()
    camp = campaign_or_404(db, slug)
    counts = stats.by_district(db, camp.id, _on_map())
    seats = sorted(
        (state, district)
        for (state, district), n in counts.items()
        if district is not None and n > 0
    )
    content = content_of(camp)
    return render_template(
        "organizers/report.html",
        campaign=camp,
        content=content,
        copy=page_copy(content, clock.now()),
        reports=_seat_reports(camp, seats),
        single=False,
    )


@bp.get("/c/<slug>/report/<seat>")
def report_seat(slug: str, seat: str) -> Any:
    db = get_session()
    camp = campaign_or_404(db, slug)
    parsed = dashboard.parse_seat(seat)
    if parsed is None:
        abort(404)
    state, district = parsed
    directory = get_directory()
    known = directory.has_seat(state, district) if directory is not None else False
    if not known and (state, district) not in stats.by_district(db, camp.id, _on_map()):
        abort(404)
    content = content_of(camp)
    return render_template(
        "organizers/report.html",
        campaign=camp,
        content=content,
        copy=page_copy(content, clock.now()),
        reports=_seat_reports(camp, [(state, district)]),
        single=True,
    )

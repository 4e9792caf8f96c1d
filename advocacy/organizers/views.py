"""The organizers' pages: sign in and out, the dashboard, exports, the lobby report.

The dashboard also shows the rows of the changed-states table flagged for checking, and
takes an organizer's confirmation of one (a POST to the dashboard's own address).

Every URL but the sign-in page needs a signed-in, active organizer: pages send others to
the sign-in page, exports answer 401. Nothing here is cached by browsers or proxies.
"""

from __future__ import annotations

import hashlib
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
from advocacy.db import get_session
from advocacy.models import Campaign, Organizer, as_utc
from advocacy.organizers import accounts, dashboard, exports, stats
from advocacy.organizers.forms import ConfirmMapForm, LoginForm, LogoutForm
from advocacy.representatives import datafiles, verification
from advocacy.representatives.congress import congress_on, ordinal
from advocacy.representatives.maps import MapTable
from advocacy.representatives.service import data_locations, get_directory, map_table
from advocacy.representatives.states import state_name
from advocacy.web.extensions import limiter

bp = Blueprint("organizers", __name__, url_prefix="/organizers")

SESSION_KEY = "organizer"
PUBLIC_ENDPOINTS = frozenset({"organizers.login"})
# Endpoints that answer 401 rather than sending a browser to the sign-in page.
EXPORT_ENDPOINTS = frozenset({"organizers.pledges_csv", "organizers.districts_csv"})

REFUSALS = {
    "credentials": "Those sign-in details are not right. Check them and try again.",
    "code_needed": "Enter the six-digit code from your authenticator app.",
    "code_wrong": "That code is not right, or was already used. Enter the current code "
    "from your authenticator app.",
    "needs_2fa": "Your account must use a one-time code before you can sign in. Ask an "
    "administrator to run `advocacy organizers totp` with your email address, then add "
    "the code it prints to your authenticator app.",
}


# --- who is signed in ---------------------------------------------------------------------


def _session_lifetime() -> float:
    return float(current_app.config["ORGANIZERS_SESSION_HOURS"]) * 3600


def current_organizer() -> Organizer | None:
    """Return the signed-in organizer, if the session is theirs, fresh, and still valid."""
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        organizer_id, version, since = int(data["id"]), int(data["v"]), float(data["t"])
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= time.time() - since <= _session_lifetime():
        return None
    return accounts.active_organizer(get_session(), organizer_id, version)


def _safe_next(target: str | None) -> str | None:
    """Accept only a path inside /organizers/ as where to go after signing in."""
    if not target or not target.startswith("/organizers/") or "\\" in target:
        return None
    if target.startswith("//") or "//" in target or ".." in target:
        return None
    return target


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
    return {"organizer": g.get("organizer"), "logout_form": LogoutForm()}


# --- signing in and out -------------------------------------------------------------------


def _login_limit() -> str:
    return str(current_app.config["ORGANIZERS_LOGIN_LIMIT"])


def _account_limit() -> str:
    return str(current_app.config["ORGANIZERS_ACCOUNT_LIMIT"])


def _account_key() -> str:
    """Count failed sign-ins per account from any address (hashed: no address in storage)."""
    email = accounts.normalize_email(str(request.form.get("email", "")))[:254]
    return "organizer-account:" + hashlib.sha256(email.encode()).hexdigest()


def _failed(response: Response) -> bool:
    return response.status_code != 303


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login() -> Any:
    form = LoginForm()
    next_path = _safe_next(request.values.get("next"))
    error = None
    if form.validate_on_submit():
        outcome = accounts.authenticate(
            get_session(),
            form.email.data,
            form.password.data,
            form.code.data or "",
            bool(current_app.config["ORGANIZERS_REQUIRE_2FA"]),
        )
        if outcome.organizer is not None:
            organizer = outcome.organizer
            # A fresh session: nothing from before signing in carries over.
            session.clear()
            session[SESSION_KEY] = {
                "id": organizer.id,
                "v": organizer.session_version,
                "t": time.time(),
            }
            return redirect(next_path or url_for("organizers.index"), 303)
        error = REFUSALS[outcome.refusal or "credentials"]
    status = 401 if request.method == "POST" else 200
    form.password.data = ""
    form.code.data = ""
    return render_template(
        "organizers/login.html", form=form, error=error, next_path=next_path
    ), status


@bp.post("/logout")
def logout() -> Any:
    form = LogoutForm()
    if form.validate_on_submit():
        session.pop(SESSION_KEY, None)
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


@bp.get("/c/<slug>/pledges.csv")
def pledges_csv(slug: str) -> Response:
    db = get_session()
    camp = campaign_or_404(db, slug)
    consented = request.args.get("consented") == "1"
    action = "export pledges.csv" + (" (consented only)" if consented else "")
    accounts.record_event(db, g.organizer.id, action, camp.slug)
    day = clock.now().date().isoformat()
    name = f"{camp.slug}-pledges{'-consented' if consented else ''}-{day}.csv"
    maker: sessionmaker[Session] = current_app.extensions["advocacy.sessionmaker"]
    return _csv_response(_stream_pledges(maker, camp.id, consented), name)


def _stream_pledges(
    maker: sessionmaker[Session], campaign_id: int, consented: bool
) -> Iterator[str]:
    """Stream from a session of its own, closed when the download ends or is dropped.

    The request's session is closed at teardown, which comes before the body is sent.
    """
    with maker() as own:
        yield from exports.csv_lines(exports.pledge_rows(own, campaign_id, consented))


@bp.get("/c/<slug>/districts.csv")
def districts_csv(slug: str) -> Response:
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

"""The organizers' pages: the dashboard, exports, the lobby report; the blueprint itself.

The dashboard also shows the rows of the changed-states table flagged for checking, and
takes an organizer's confirmation of one (a POST to the dashboard's own address).

Signing in and out, and the session check that every URL but the sign-in page passes
first, are in `signin.py`, on this blueprint: by the time a view here runs, `g.organizer`
is a signed-in, active organizer. Each view then asks `roles.check` whether that
organizer may do what it does to the campaign (a 403 naming no campaign if not).
Exports are POSTs with a CSRF token (a GET at the same address shows the page with the
button), so a link on another site cannot start one.
Nothing here is cached by browsers or proxies.
"""

from __future__ import annotations

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
    url_for,
)
from sqlalchemy.orm import Session, sessionmaker

from advocacy import clock
from advocacy.campaigns import sharing
from advocacy.campaigns.checks import check_campaign
from advocacy.campaigns.content import content_of
from advocacy.campaigns.lifecycle import page_copy
from advocacy.campaigns.service import stored_campaign_or_404
from advocacy.congress.calendar import congress_on, ordinal
from advocacy.congress.maps import MapTable
from advocacy.congress.states import STATE_NAMES, state_name
from advocacy.db import get_session
from advocacy.events.schedule import is_event_ref
from advocacy.models import Campaign, as_utc
from advocacy.organization import settings as organization_settings
from advocacy.organizers import (
    DATA_STATUS_EXTENSION,
    DataStatus,
    accounts,
    dashboard,
    exports,
    map_checks,
    packets,
    roles,
    stats,
    translations,
)
from advocacy.organizers.event_rows import event_rows
from advocacy.organizers.forms import ConfirmMapForm, ExportForm
from advocacy.representatives import datafiles
from advocacy.representatives.service import data_locations, get_directory, map_table

bp = Blueprint("organizers", __name__, url_prefix="/organizers")
# The organization's settings pages (/organizers/organization/...), behind this
# blueprint's door: its sign-in check, cross-site refusal and headers apply to them too.
bp.register_blueprint(organization_settings.bp)


@bp.after_request
def locked_room_headers(response: Response) -> Response:
    headers = response.headers
    headers["Cache-Control"] = "no-store"
    headers["Pragma"] = "no-cache"
    # Organizer URLs carry only campaign slugs and seats, but say nothing to other sites.
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- the dashboard ------------------------------------------------------------------------


@bp.get("/")
def index() -> Any:
    db = get_session()
    everything = db.scalars(sa.select(Campaign).order_by(Campaign.title))
    campaigns = roles.visible(db, g.organizer, everything)
    now = clock.now()
    warnings = [
        (campaign, warning)
        for campaign in campaigns
        for warning in check_campaign(campaign, now).warnings
    ]
    maps = _maps()
    checks = [_map_item(c, maps, now) for c in map_checks.checks(get_session(), maps, now)]
    return render_template(
        "organizers/index.html",
        campaigns=campaigns,
        warnings=warnings,
        map_pending=[item for item in checks if not item["confirmed"]],
        map_confirmed=[item for item in checks if item["confirmed"]],
        translations=translations.statuses(),
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _map_item(check: map_checks.MapCheck, maps: MapTable, now: datetime) -> dict[str, Any]:
    """Describe a flagged row of the changed-states table for the dashboard."""
    change = check.change
    earlier = map_checks.earlier(check)
    return {
        "id": f"map-{change.state.lower()}-{change.congress}",
        "state": change.state,
        "title": f"{state_name(change.state)}, {ordinal(change.congress)} Congress",
        "state_name": state_name(change.state),
        "says": _sentence(map_checks.table_says(change, maps)) + ".",
        "meanwhile": map_checks.meanwhile(change, maps, now),
        "claim": map_checks.claim(change, maps),
        "sources": change.sources,
        "confirmed": check.confirmed,
        "confirmed_by": (
            map_checks.confirmed_by(check.confirmation) if check.confirmation else None
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
    roles.check("maps")
    form = ConfirmMapForm()
    if not form.validate_on_submit():
        abort(400, description="That confirmation was not understood. Reload the page.")
    maps = _maps()
    congress, state = int(form.congress.data), form.state.data
    db = get_session()
    try:
        map_checks.confirm(
            db,
            congress,
            state,
            g.organizer,
            maps=maps,
            now=clock.now(),
            lines=form.lines.data,
        )
    except map_checks.AlreadyConfirmedError as error:
        db.rollback()
        flash(str(error), "status")
    except map_checks.MapVerificationError as error:
        db.rollback()
        flash(str(error), "error")
    else:
        db.commit()
        change = map_checks.flagged_row(maps, congress, state)
        flash(f"Confirmed: {map_checks.claim(change, maps)}. Thank you.", "status")
    return redirect(url_for("organizers.index"), 303)


def _data_files() -> tuple[list[datafiles.FileStatus], bool]:
    """Describe the data files in use (kept five minutes per process), and whether stale."""
    cache: DataStatus = current_app.extensions[DATA_STATUS_EXTENSION]
    items = cache.get("in use", lambda: datafiles.status(data_locations(current_app), clock.now()))
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
    camp = stored_campaign_or_404(db, slug)
    roles.check("view", camp)
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
        refs=[(ref, n) for ref, n in sharing.partner_refs(refs) if not is_event_ref(ref)],
        channels=sharing.channel_counts(refs),
        event_rows=event_rows(camp),
        files=files,
        stale=stale,
        stale_days=int(current_app.config["ORGANIZERS_DATA_STALE_DAYS"]),
        events=accounts.recent_events(db, camp.slug),
        changes=accounts.recent_events(db, camp.slug, prefix="campaign "),
        export_form=ExportForm(formdata=None),
        may_export=roles.may(db, g.organizer, "export", camp),
        may_edit=roles.may(db, g.organizer, "edit", camp),
        seat_slug=dashboard.seat_slug,
        content_check=check_campaign(camp, clock.now()),
        map_pending=[
            f"{state_name(change.state)}, {ordinal(change.congress)} Congress"
            for change in map_checks.unconfirmed(db, _maps(), clock.now())
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
    camp = stored_campaign_or_404(db, slug)
    roles.check("export", camp)
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
    camp = stored_campaign_or_404(db, slug)
    roles.check("export", camp)
    accounts.record_event(db, g.organizer.id, "export pledges.csv", camp.slug)
    db.commit()  # recorded before a row is sent
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
    camp = stored_campaign_or_404(db, slug)
    roles.check("export", camp)
    accounts.record_event(db, g.organizer.id, "export districts.csv", camp.slug)
    db.commit()  # recorded before a row is sent
    counts = stats.by_district(db, camp.id, _on_map())
    small = int(current_app.config["LOBBY_SMALL_NUMBER"])
    rows = list(exports.district_rows(counts, get_directory(), small))
    day = clock.now().date().isoformat()
    return _csv_response(exports.csv_lines(rows), f"{camp.slug}-districts-{day}.csv")


# --- the lobby report and packets ----------------------------------------------------------
# One printed page per office (organizers/packets.py): the House pages of every state at
# /report (one seat at /report/<seat>), a state's pages at /packets/<state>, a senator's at
# /packets/<state>/senator/<bioguide>, and the list of them all at /packets.


def _tally(camp: Campaign) -> packets.Tally:
    db = get_session()
    on_map = _on_map()
    small = int(current_app.config["LOBBY_SMALL_NUMBER"])
    return packets.Tally(db, camp.id, stats.by_district(db, camp.id, on_map), on_map, small)


def _packet_page(camp: Campaign, found: list[packets.Packet], title: str, single: bool) -> str:
    content = content_of(camp)
    now = clock.now()
    copy = page_copy(content, now)
    return render_template(
        "organizers/packets.html",
        campaign=camp,
        content=content,
        copy=copy,
        bill=packets.bill_text(content, copy),
        heading=packets.heading(now),
        packets=found,
        title=title,
        single=single,
        small=int(current_app.config["LOBBY_SMALL_NUMBER"]),
    )


def _reported_campaign(slug: str) -> Campaign:
    camp = stored_campaign_or_404(get_session(), slug)
    roles.check("report", camp)
    return camp


def _state_or_404(code: str) -> str:
    state = code.upper()
    if not (code.isascii() and state in STATE_NAMES):
        abort(404)
    return state


@bp.get("/c/<slug>/report")
def report(slug: str) -> Any:
    """Every House office's page, for each seat with pledges."""
    camp = _reported_campaign(slug)
    tally = _tally(camp)
    directory = get_directory()
    now = clock.now()
    found = [
        packets.house_packet(
            tally,
            content_of(camp),
            state,
            district,
            directory.house_member(state, district) if directory is not None else None,
            now,
        )
        for state, district in packets.house_seats(tally)
    ]
    return _packet_page(camp, found, f"House packets: {camp.title}", single=False)


@bp.get("/c/<slug>/report/<seat>")
def report_seat(slug: str, seat: str) -> Any:
    """One House office's page (a real seat without pledges is a page with zero)."""
    camp = _reported_campaign(slug)
    parsed = dashboard.parse_seat(seat)
    if parsed is None:
        abort(404)
    state, district = parsed
    tally = _tally(camp)
    directory = get_directory()
    known = directory.has_seat(state, district) if directory is not None else False
    if not known and (state, district) not in tally.counts:
        abort(404)
    member = directory.house_member(state, district) if directory is not None else None
    found = [packets.house_packet(tally, content_of(camp), state, district, member, clock.now())]
    return _packet_page(camp, found, found[0].office, single=True)


@bp.get("/c/<slug>/packets")
def packet_list(slug: str) -> Any:
    """Each state with pledges: a link to all its pages, and to each office's."""
    camp = _reported_campaign(slug)
    tally = _tally(camp)
    directory = get_directory()
    states = []
    for state in packets.states_with_pledges(tally):
        seats = packets.house_seats(tally, state)
        states.append(
            {
                "state": state,
                "name": state_name(state),
                "count": sum(tally.state_counts(state).values()),
                "not_known": tally.counts.get((state, None), 0),
                "senators": directory.senators(state) if directory is not None else [],
                "seats": [
                    (
                        dashboard.seat_code(s, d),
                        dashboard.seat_slug(s, d),
                        directory.house_member(s, d) if directory is not None else None,
                        tally.counts[(s, d)],
                    )
                    for s, d in seats
                ],
            }
        )
    return render_template(
        "organizers/packet_list.html",
        campaign=camp,
        states=states,
        directory_missing=directory is None,
        small=tally.small,
    )


@bp.get("/c/<slug>/packets/<state>")
def state_packets(slug: str, state: str) -> Any:
    """A state's packets: each senator's page, then each House office's with pledges."""
    camp = _reported_campaign(slug)
    code = _state_or_404(state)
    found = packets.state_packets(
        _tally(camp), content_of(camp), code, get_directory(), clock.now()
    )
    return _packet_page(camp, found, f"Lobby packets for {state_name(code)}", single=False)


@bp.get("/c/<slug>/packets/<state>/senator/<bioguide>")
def senator_packet(slug: str, state: str, bioguide: str) -> Any:
    """One senator's page."""
    camp = _reported_campaign(slug)
    code = _state_or_404(state)
    directory = get_directory()
    senators = directory.senators(code) if directory is not None else []
    member = next((m for m in senators if m.bioguide == bioguide), None)
    if member is None:
        abort(404)
    found = [packets.senate_packet(_tally(camp), content_of(camp), member, clock.now())]
    return _packet_page(camp, found, found[0].office, single=True)

"""The campaign page, its pledge form, the thank-you page and the public stats API."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response as BaseResponse

from advocacy import formguard
from advocacy.api import ApiError
from advocacy.campaigns.service import StatsCache, get_campaign, get_default_campaign
from advocacy.db import get_session
from advocacy.extensions import limiter, lookup_limit, write_limit
from advocacy.letters.drafting import Supporter
from advocacy.letters.page import letters_for
from advocacy.models import Campaign, SupporterVisit
from advocacy.pledges.forms import PledgeForm
from advocacy.pledges.service import set_pledge_place, submit_form
from advocacy.pledges.visits import find_visit, start_visit
from advocacy.representatives.forms import StreetAddressForm
from advocacy.representatives.service import (
    LookupInputError,
    choose_seat,
    find_for_form,
    lookup_from_record,
)

bp = Blueprint("campaigns", __name__)

FORM_NAME = "campaign-pledge"


def _campaign_or_404(slug: str) -> Campaign:
    campaign = get_campaign(get_session(), slug)
    if campaign is None:
        abort(404)
    return campaign


def _render_page(campaign: Campaign, form: PledgeForm, status: int = 200) -> tuple[str, int]:
    token = formguard.issue_token(current_app.config["SECRET_KEY"], FORM_NAME)
    html = render_template(
        "campaigns/page.html", campaign=campaign, form=form, started_token=token
    )
    return html, status


@bp.get("/")
def home() -> Any:
    campaign = get_default_campaign(get_session())
    if campaign is None:
        abort(404)
    return page(campaign.slug)


@bp.route("/c/<slug>", methods=["GET", "POST"])
@limiter.limit(write_limit, methods=["POST"])
def page(slug: str) -> Any:
    campaign = _campaign_or_404(slug)
    form = PledgeForm()
    if request.method == "GET":
        form.ref.data = (request.args.get("ref") or "")[:64]
        return _render_page(campaign, form)

    if not form.validate():
        return _render_page(campaign, form, 422)
    verdict = formguard.check_submission(
        current_app.config["SECRET_KEY"],
        FORM_NAME,
        form.started.data or "",
        form.contact_me_by_fax_only.data or "",
        min_seconds=current_app.config["MIN_FILL_SECONDS"],
        max_age_seconds=current_app.config["FORM_MAX_AGE_SECONDS"],
    )
    if not verdict.ok:
        form.form_errors.append(verdict.message)
        return _render_page(campaign, form, 422)

    try:
        outcome, lookup = submit_form(get_session(), campaign, form)
    except LookupInputError as error:
        for name, message in error.fields.items():
            form[name].errors = [message]
        return _render_page(campaign, form, 422)

    # The results page finds this supporter through a random id in the session cookie,
    # never through the URL.
    session["visit"] = start_visit(
        get_session(),
        campaign,
        pledge_id=outcome.pledge_id,
        pledge_created=outcome.created,
        name=form.name.data,
        street=form.street.data or "",
        city=form.city.data or "",
        state=form.state.data or lookup.state or "",
        zip5=form.zip5(),
        note=form.note.data or "",
        lookup=lookup.to_record(),
    )
    return redirect(url_for("campaigns.thanks", slug=campaign.slug, _anchor="main"), 303)


@bp.errorhandler(CSRFError)
def csrf_failed(_error: CSRFError) -> tuple[str, int]:
    """Re-show the form with everything typed, a fresh token and a way to resend."""
    slug = (request.view_args or {}).get("slug", "")
    campaign = get_campaign(get_session(), slug) if slug else None
    if campaign is None:
        abort(400)
    form = PledgeForm(meta={"csrf": False})
    form.validate()
    form.form_errors.append(
        "Your session had expired, so we could not accept the form yet. "
        "Everything you typed is still here: please check it and send it again."
    )
    return _render_page(campaign, form, 400)


def _visit_for(campaign: Campaign) -> SupporterVisit | None:
    return find_visit(get_session(), campaign, session.get("visit"))


def _render_thanks(
    campaign: Campaign,
    visit: SupporterVisit,
    address_form: StreetAddressForm,
    status: int,
    choice_error: str = "",
) -> tuple[str, int, dict[str, str]]:
    lookup = lookup_from_record(visit.lookup)
    person = Supporter(name=visit.name, city=visit.city, state=visit.state, note=visit.note)
    html = render_template(
        "campaigns/thanks.html",
        campaign=campaign,
        supporter=visit,
        lookup=lookup,
        letters=letters_for(campaign, lookup, person),
        address_form=address_form,
        choice_error=choice_error,
    )
    # Personal data: no shared cache may keep this page.
    return html, status, {"Cache-Control": "no-store"}


@bp.get("/c/<slug>/thanks")
def thanks(slug: str) -> Any:
    campaign = _campaign_or_404(slug)
    visit = _visit_for(campaign)
    if visit is None:
        return redirect(url_for("campaigns.page", slug=campaign.slug))
    return _render_thanks(campaign, visit, _address_form_for(visit), 200)


def _address_form_for(visit: SupporterVisit) -> StreetAddressForm:
    """Return the results page's address form filled with what the supporter typed."""
    return StreetAddressForm(
        formdata=None,
        data={"street": visit.street, "city": visit.city, "state": visit.state, "zip": visit.zip},
    )


@bp.post("/c/<slug>/thanks")
@limiter.limit(lookup_limit)
def refine(slug: str) -> Any:
    """Look the supporter up again from a street address, and update their pledge."""
    campaign = _campaign_or_404(slug)
    visit = _visit_for(campaign)
    if visit is None:
        return redirect(url_for("campaigns.page", slug=campaign.slug))
    form = StreetAddressForm()
    if not form.validate():
        return _render_thanks(campaign, visit, form, 422)
    try:
        lookup = find_for_form(**form.address())
    except LookupInputError as error:
        for name, message in error.fields.items():
            form[name].errors = [message]
        return _render_thanks(campaign, visit, form, 422)
    # Only the person who made the pledge may move it; a repeat visitor with the same
    # email (perhaps not the same person) changes only their own page.
    if visit.pledge_created and visit.pledge_id is not None:
        set_pledge_place(get_session(), visit.pledge_id, lookup.state, lookup.district)
    visit.street = form.street.data or ""
    visit.city = form.city.data or visit.city
    visit.state = form.state.data or lookup.state or visit.state
    visit.zip = form.zip5()
    visit.lookup = lookup.to_record()
    get_session().commit()
    return redirect(url_for("campaigns.thanks", slug=campaign.slug, _anchor="main"), 303)


@bp.post("/c/<slug>/thanks/district")
@limiter.limit(lookup_limit)
def choose_district(slug: str) -> Any:
    """Settle a ZIP that spans districts with the supporter's own choice, or all of them."""
    campaign = _campaign_or_404(slug)
    visit = _visit_for(campaign)
    if visit is None:
        return redirect(url_for("campaigns.page", slug=campaign.slug))
    try:
        lookup = choose_seat(visit.lookup, request.form.get("district", ""))
    except LookupInputError as error:
        message = error.fields.get("district", "Please choose one of the districts listed.")
        return _render_thanks(campaign, visit, _address_form_for(visit), 422, message)
    # As with the address form, only the person who made the pledge may move it.
    if visit.pledge_created and visit.pledge_id is not None and lookup.district is not None:
        set_pledge_place(get_session(), visit.pledge_id, lookup.state, lookup.district)
    visit.lookup = lookup.to_record()
    get_session().commit()
    return redirect(url_for("campaigns.thanks", slug=campaign.slug, _anchor="main"), 303)


@bp.get("/api/v1/campaigns/<slug>")
def campaign_api(slug: str) -> BaseResponse:
    cache: StatsCache = current_app.extensions["advocacy.stats_cache"]
    stats = cache.get(get_session(), slug)
    if stats is None:
        raise ApiError("No campaign has that name.", 404)
    response = jsonify(stats)
    response.headers["Cache-Control"] = "public, max-age=5, stale-while-revalidate=30"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)

"""The pledge API: POST /api/v1/campaigns/<slug>/pledges with a JSON body."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from werkzeug.datastructures import MultiDict

from advocacy.api import ApiError, json_object, string_fields
from advocacy.campaigns.service import get_campaign
from advocacy.db import get_session
from advocacy.extensions import csrf, limiter, write_limit
from advocacy.pledges.forms import PledgeForm
from advocacy.pledges.service import submit_form
from advocacy.representatives.service import LookupInputError

bp = Blueprint("pledges", __name__)

FIELDS = ("name", "email", "zip", "street", "city", "state", "note", "consent", "ref")


# JSON only: a cross-site HTML form cannot send it without a preflight we never grant.
@bp.post("/api/v1/campaigns/<slug>/pledges")
@csrf.exempt
@limiter.limit(write_limit)
def create(slug: str) -> tuple[Response, int]:
    campaign = get_campaign(get_session(), slug)
    if campaign is None:
        raise ApiError("No campaign has that name.", 404)
    values = string_fields(json_object(), FIELDS, booleans=("consent",))
    form = PledgeForm(formdata=MultiDict(values), meta={"csrf": False})
    if not form.validate():
        raise ApiError("Please correct the fields listed.", 422, form.errors_by_field())
    try:
        outcome, lookup = submit_form(get_session(), campaign, form)
    except LookupInputError as error:
        raise ApiError("Please correct the fields listed.", 422, error.fields) from error
    body = {
        "status": "created" if outcome.created else "already_pledged",
        "message": "Thank you for adding your name."
        if outcome.created
        else "You had already added your name to this campaign. Thank you!",
        "pledge_count": outcome.pledge_count,
        "representatives": lookup.to_api(),
    }
    return jsonify(body), 201 if outcome.created else 200

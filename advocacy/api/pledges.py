"""POST /api/v1/campaigns/<slug>/pledges: the pledge form's fields as a JSON object."""

from __future__ import annotations

from flask import Response, jsonify

from advocacy.api import bp
from advocacy.api.body import json_object, string_fields, validated_form
from advocacy.api.errors import ApiError
from advocacy.campaigns.page import counts_changed
from advocacy.db import get_session
from advocacy.pledges.forms import PledgeFieldsForm
from advocacy.pledges.submission import record_for
from advocacy.pledges.withdrawal import withdraw_url
from advocacy.representatives.service import LookupInputError, find_members
from advocacy.web.extensions import pledge_limit

FIELDS = ("name", "email", "zip", "street", "city", "state", "note", "consent", "ref")


@bp.post("/campaigns/<slug>/pledges")
@pledge_limit
def create(slug: str) -> tuple[Response, int]:
    values = string_fields(json_object(), FIELDS, booleans=("consent",), numbers=("zip",))
    data = validated_form(PledgeFieldsForm, values).pledge_input()
    try:
        # The geocoder first: no database connection waits on it.
        lookup = find_members(data.address)
    except LookupInputError as error:
        raise ApiError("Please correct the fields listed.", 422, error.fields) from error
    db = get_session()
    campaign, outcome = record_for(db, slug, data, lookup)
    db.commit()
    counts_changed(campaign.slug)
    # The same answer for a new pledge and a repeat: whether an email has pledged is
    # never told (supporters' families can be targeted). The count simply does not move.
    body = {
        "status": "accepted",
        "message": "Thank you for adding your name.",
        "pledge_count": outcome.pledge_count,
        "representatives": lookup.to_api(),
        "withdraw_url": withdraw_url(campaign.slug, outcome.withdraw_token, external=True),
    }
    return jsonify(body), 202

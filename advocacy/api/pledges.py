"""POST /api/v1/campaigns/<slug>/pledges: the pledge form's fields as a JSON object."""

from __future__ import annotations

from flask import Response, jsonify

from advocacy.api import bp
from advocacy.api.body import json_object, string_fields, validated_form
from advocacy.api.errors import ApiError
from advocacy.db import get_session
from advocacy.mail import outbox_changed
from advocacy.pledges.forms import PledgeFieldsForm
from advocacy.pledges.submission import record_for
from advocacy.representatives.service import LookupInputError, find_members
from advocacy.web.extensions import api_pledge_limit

FIELDS = ("name", "email", "zip", "street", "city", "state", "note", "consent", "quote", "ref")
CONFIRM_MESSAGE = (
    "Thank you. We are sending an email to the address given: the name counts once its "
    "owner opens it and presses Confirm. The same email tells them how to withdraw."
)


@bp.post("/campaigns/<slug>/pledges")
@api_pledge_limit
def create(slug: str) -> tuple[Response, int]:
    values = string_fields(json_object(), FIELDS, booleans=("consent", "quote"), numbers=("zip",))
    data = validated_form(PledgeFieldsForm, values).pledge_input()
    try:
        # The geocoder first: no database connection waits on it.
        lookup = find_members(data.address)
    except LookupInputError as error:
        raise ApiError("Please correct the fields listed.", 422, error.fields) from error
    db = get_session()
    _campaign, outcome = record_for(db, slug, data, lookup)
    db.commit()
    # The email waits in the outbox: this answer never waits on the mail server.
    outbox_changed()
    # The same answer for a new pledge and a repeat: whether an email has pledged is
    # never told (supporters' families can be targeted). The count does not move for
    # either: a pledge counts once confirmed from its mailbox, where the withdraw link is.
    body = {
        "status": "accepted",
        "message": CONFIRM_MESSAGE,
        "pledge_count": outcome.pledge_count,
        "representatives": lookup.to_api(),
    }
    return jsonify(body), 202

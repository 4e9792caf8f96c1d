"""The representatives API: by ZIP in the query string, by address in a JSON body."""

from __future__ import annotations

from flask import Response, request

from advocacy.api import bp
from advocacy.api.body import json_object, string_fields, validated_form
from advocacy.api.errors import ApiError, data_unavailable
from advocacy.api.forms import LookupForm
from advocacy.representatives.inputs import LookupInputError, zip_problem
from advocacy.representatives.service import (
    RepresentativesUnavailableError,
    get_finder,
    lookup_json,
    zip_answer,
)
from advocacy.web.extensions import lookup_limited
from advocacy.web.inputs import clean_line

FIELDS = ("address", "street", "city", "state", "zip")
PLACE_NOT_FOUND = "We could not find that place."


def _json(body: bytes) -> Response:
    response = Response(body, mimetype="application/json")
    # An answer by address is personal data; by ZIP, it is at least about a person.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/representatives")
@lookup_limited
def by_zip() -> Response:
    zip_text = clean_line(request.args.get("zip", ""))
    problem = zip_problem(zip_text)
    if problem is not None:
        raise ApiError("Please give a 5-digit ZIP code.", 422, {"zip": problem})
    try:
        body = zip_answer(zip_text[:5]).json
    except LookupInputError as error:
        raise ApiError(PLACE_NOT_FOUND, 422, error.fields) from error
    except RepresentativesUnavailableError as error:
        raise data_unavailable() from error
    return _json(body)


@bp.post("/representatives")
@lookup_limited
def by_address() -> Response:
    # An address is personal data: it travels in the body, never in the URL.
    values = string_fields(json_object(), FIELDS, numbers=("zip",))
    form = validated_form(LookupForm, values)
    try:
        finder = get_finder()
        if form.address.data:
            lookup = finder.find_oneline(form.address.data)
        else:
            lookup = finder.find_address(form.to_address())
    except LookupInputError as error:
        raise ApiError(PLACE_NOT_FOUND, 422, error.fields) from error
    except RepresentativesUnavailableError as error:
        raise data_unavailable() from error
    return _json(lookup_json(lookup))

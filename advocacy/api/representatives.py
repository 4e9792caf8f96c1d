"""The representatives API: by ZIP in the query string, by address in a JSON body."""

from __future__ import annotations

from flask import Response, jsonify, request

from advocacy.api import bp
from advocacy.api.body import json_object, string_fields, validated_form
from advocacy.api.errors import ApiError, data_unavailable
from advocacy.pledges.forms import AddressForm, LookupForm
from advocacy.representatives.lookup import Lookup, LookupInputError
from advocacy.representatives.service import RepresentativesUnavailableError, get_finder
from advocacy.web.extensions import limiter, lookup_limit

FIELDS = ("address", "street", "city", "state", "zip")
PLACE_NOT_FOUND = "We could not find that place."


def _answer(lookup: Lookup) -> Response:
    response = jsonify(lookup.to_api())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/representatives")
@limiter.limit(lookup_limit)
def by_zip() -> Response:
    values = {"zip": request.args.get("zip", "")}
    form = validated_form(AddressForm, values, "Please give a 5-digit ZIP code.")
    try:
        return _answer(get_finder().find_address(form.to_address()))
    except LookupInputError as error:
        raise ApiError(PLACE_NOT_FOUND, 422, error.fields) from error
    except RepresentativesUnavailableError as error:
        raise data_unavailable() from error


@bp.post("/representatives")
@limiter.limit(lookup_limit)
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
    return _answer(lookup)

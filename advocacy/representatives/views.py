"""The representatives API: by ZIP in the query string, by address in a JSON body."""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify, request

from advocacy.api import ApiError, data_unavailable, json_object, string_fields
from advocacy.extensions import csrf, limiter, lookup_limit
from advocacy.models import CITY_MAX, STREET_MAX
from advocacy.representatives.lookup import Lookup, LookupInputError
from advocacy.representatives.service import RepresentativesUnavailableError, get_finder
from advocacy.text import clean_line

bp = Blueprint("representatives", __name__)

ZIP_PATTERN = re.compile(r"^(\d{5})(?:-\d{4})?$")
ADDRESS_MAX = 300


def _answer(lookup: Lookup) -> Response:
    response = jsonify(lookup.to_api())
    response.headers["Cache-Control"] = "no-store"
    return response


def _zip5(value: str, required: bool) -> str:
    value = clean_line(value)
    if not value:
        if required:
            raise ApiError("Please give a ZIP code.", 422, {"zip": "Please enter a ZIP code."})
        return ""
    match = ZIP_PATTERN.match(value)
    if match is None:
        raise ApiError(
            "Please give a 5-digit ZIP code.",
            422,
            {"zip": "Please enter a 5-digit ZIP code, like 98101."},
        )
    return match.group(1)


@bp.get("/api/v1/representatives")
@limiter.limit(lookup_limit)
def by_zip() -> Response:
    zip5 = _zip5(request.args.get("zip", ""), required=True)
    try:
        return _answer(get_finder().find(zip5=zip5))
    except LookupInputError as error:
        raise ApiError("We could not find that place.", 422, error.fields) from error
    except RepresentativesUnavailableError as error:
        raise data_unavailable() from error


@bp.post("/api/v1/representatives")
@csrf.exempt
@limiter.limit(lookup_limit)
def by_address() -> Response:
    # An address is personal data: it travels in the body, never in the URL.
    values = {
        key: clean_line(value)
        for key, value in string_fields(
            json_object(), ("address", "street", "city", "state", "zip")
        ).items()
    }
    problems = {}
    if len(values.get("address", "")) > ADDRESS_MAX:
        problems["address"] = f"Please keep the address under {ADDRESS_MAX} characters."
    if len(values.get("street", "")) > STREET_MAX:
        problems["street"] = f"Please keep the street under {STREET_MAX} characters."
    if len(values.get("city", "")) > CITY_MAX:
        problems["city"] = f"Please keep the city under {CITY_MAX} characters."
    if problems:
        raise ApiError("Some fields are too long.", 422, problems)
    try:
        finder = get_finder()
        if values.get("address"):
            lookup = finder.find_oneline(values["address"])
        elif values.get("zip") or values.get("state"):
            lookup = finder.find(
                street=values.get("street", ""),
                city=values.get("city", ""),
                state=values.get("state", ""),
                zip5=_zip5(values.get("zip", ""), required=False),
            )
        else:
            raise ApiError(
                "Send an address, or a ZIP code or state.",
                422,
                {"address": "Please enter an address, or at least a ZIP code or state."},
            )
    except LookupInputError as error:
        raise ApiError("We could not find that place.", 422, error.fields) from error
    except RepresentativesUnavailableError as error:
        raise data_unavailable() from error
    return _answer(lookup)

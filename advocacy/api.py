"""Helpers shared by the JSON API's views: errors and reading a JSON body."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request


class ApiError(Exception):
    """An error answered as {"error": ..., "fields": {...}} with a 4xx status."""

    def __init__(self, message: str, status: int = 422, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.fields = fields or {}


def data_unavailable() -> ApiError:
    """Return the error for when member data cannot be loaded: a 503 to try again later."""
    return ApiError("Member data is not available right now; please try again soon.", 503)


def error_response(message: str, status: int, fields: dict[str, str] | None = None) -> Response:
    """Return the API's error shape."""
    response = jsonify(error=message, fields=fields or {})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def json_object() -> dict[str, Any]:
    """Return the request's JSON object, or raise ApiError (415 or 400)."""
    if not request.is_json:
        raise ApiError("Send the request body as JSON (Content-Type: application/json).", 415)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError("The request body must be a JSON object.", 400)
    return payload


def string_fields(
    payload: dict[str, Any], names: tuple[str, ...], booleans: tuple[str, ...] = ()
) -> dict[str, str]:
    """Return the named fields as strings, or raise ApiError naming the ones of the wrong type."""
    values: dict[str, str] = {}
    problems: dict[str, str] = {}
    for name in names:
        value = payload.get(name)
        if value is None:
            continue
        if name in booleans:
            if not isinstance(value, bool):
                problems[name] = "Must be true or false."
            elif value:
                values[name] = "y"
        elif isinstance(value, str):
            values[name] = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            # A ZIP sent as a number is still a ZIP; keep its digits as written.
            values[name] = str(value)
        else:
            problems[name] = "Must be text."
    if problems:
        raise ApiError("Some fields have the wrong type.", 422, problems)
    return values

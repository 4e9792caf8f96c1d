"""GET /api/v1/openapi.json: an OpenAPI 3.1 description of every JSON endpoint.

Written by hand, next to the views it describes; tests validate real answers against it.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.wrappers import Response

from advocacy.api import bp
from advocacy.web.caching import conditional

_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": ["string", "null"]}

ERROR = {
    "type": "object",
    "required": ["error", "fields"],
    "additionalProperties": False,
    "properties": {
        "error": {**_TEXT, "description": "What went wrong, for a person to read."},
        "fields": {
            "type": "object",
            "additionalProperties": _TEXT,
            "description": "A message for each field that needs correcting.",
        },
    },
}
LEGISLATOR = {
    "type": "object",
    "required": [
        "bioguide",
        "name",
        "chamber",
        "state",
        "district",
        "party",
        "phone",
        "url",
        "contact_form",
        "address",
    ],  # fmt: skip
    "additionalProperties": False,
    "properties": {
        "bioguide": {"type": "string", "pattern": "^[A-Z][0-9]{6}$"},
        "name": _TEXT,
        "chamber": {"enum": ["house", "senate"]},
        "state": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "district": {"type": ["integer", "null"], "description": "0: at large; null: senator"},
        "party": _TEXT,
        "phone": _NULLABLE_TEXT,
        "url": _NULLABLE_TEXT,
        "contact_form": _NULLABLE_TEXT,
        "address": _NULLABLE_TEXT,
    },
}
SEAT = {
    "type": "object",
    "required": ["state", "district"],
    "additionalProperties": False,
    "properties": {"state": _TEXT, "district": {"type": "integer"}},
}
REPRESENTATIVES = {
    "type": "object",
    "required": [
        "match",
        "state",
        "district",
        "legislators",
        "fallback",
        "vacant",
        "congress",
        "pending",
        "map_changed",
        "map_changes_on",
    ],
    "additionalProperties": False,
    "properties": {
        "match": {"enum": ["address", "zip", "state"]},
        "state": _NULLABLE_TEXT,
        "district": {"type": ["integer", "null"]},
        "candidates": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Seat"},
            "description": "Only when the ZIP code spans several districts.",
        },
        "legislators": {"type": "array", "items": {"$ref": "#/components/schemas/Legislator"}},
        "fallback": {
            # Values are only ever added (geocoder_wrong_map came later), so a client's
            # handling of the earlier ones keeps its meaning.
            "enum": [
                None,
                "geocoder_unavailable",
                "address_not_found",
                "data_unavailable",
                "geocoder_wrong_map",
            ]
        },
        "vacant": {"type": "boolean"},
        "matched_address": _TEXT,
        "congress": {
            "type": "integer",
            "description": "The Congress sitting at the look-up, whose map the district is on.",
        },
        "pending": {
            "type": "array",
            "items": {"enum": ["house", "senate"]},
            "description": "Chambers whose members for this place are not listed yet: the "
            "data is catching up with a new Congress (or a seat filled at a special election, "
            "or a redrawn state's district a ZIP code cannot name while the members data is "
            "behind). Use house.gov's or senate.gov's finder.",
        },
        "map_changed": {
            "type": "boolean",
            "description": "The state's map changed since the ZIP table's Congress: no House "
            "member is named from the ZIP code; send the street address.",
        },
        "map_changes_on": {
            "type": ["string", "null"],
            "format": "date",
            "description": "The day the state's districts change with a new Congress, if soon.",
        },
    },
}
CAMPAIGN = {
    "type": "object",
    "required": ["slug", "title", "goal", "pledge_count", "updated_at"],
    "additionalProperties": False,
    "properties": {
        "slug": _TEXT,
        "title": _TEXT,
        "goal": {"type": "integer"},
        "pledge_count": {"type": "integer"},
        "updated_at": {"type": "string", "format": "date-time"},
    },
}
PLEDGE_REQUEST = {
    "type": "object",
    "required": ["name", "email", "zip"],
    "properties": {
        "name": {"type": "string", "maxLength": 100},
        "email": {"type": "string", "maxLength": 254},
        "zip": {"type": ["string", "integer"], "description": "5 digits, or ZIP+4"},
        "street": {"type": "string", "maxLength": 200},
        "city": {"type": "string", "maxLength": 100},
        "state": {"type": "string", "description": "USPS code"},
        "note": {"type": "string", "maxLength": 2000},
        "consent": {"type": "boolean"},
        "ref": {"type": "string", "maxLength": 64},
    },
}
PLEDGE_ACCEPTED = {
    "type": "object",
    "required": ["status", "message", "pledge_count", "representatives", "withdraw_url"],
    "additionalProperties": False,
    "properties": {
        "status": {"const": "accepted"},
        "message": _TEXT,
        "pledge_count": {"type": "integer"},
        "representatives": {"$ref": "#/components/schemas/Representatives"},
        "withdraw_url": {
            "type": "string",
            "format": "uri",
            "description": "A page where the supporter can withdraw this pledge and erase "
            "its data. Show it to them only; a repeat gets one too, which withdraws nothing.",
        },
    },
}
ADDRESS_REQUEST = {
    "type": "object",
    "properties": {
        "address": {"type": "string", "maxLength": 300, "description": "on one line"},
        "street": {"type": "string", "maxLength": 200},
        "city": {"type": "string", "maxLength": 100},
        "state": _TEXT,
        "zip": {"type": ["string", "integer"]},
    },
}
LETTER_REQUEST = {
    "type": "object",
    "required": ["bioguide", "name"],
    "properties": {
        "bioguide": {"type": "string"},
        "name": {"type": "string", "maxLength": 100},
        "city": {"type": "string", "maxLength": 100},
        "state": _TEXT,
        "note": {"type": "string", "maxLength": 2000},
    },
}
LETTER = {
    "type": "object",
    "required": ["to", "subject", "body"],
    "additionalProperties": False,
    "properties": {
        "to": _TEXT,
        "subject": _TEXT,
        "body": {**_TEXT, "description": "Plain text; paragraphs separated by a blank line."},
    },
}


def _json(schema: str) -> dict[str, Any]:
    return {
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    }


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): {"description": "An error", **_json("Error")} for s in statuses}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of the JSON API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Advocacy API",
            "version": "1",
            "description": "Campaign counts, members of Congress, letters and pledges. "
            "Personal data travels only in request bodies, never in URLs.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/campaigns/{slug}": {
                "get": {
                    "summary": "A campaign's public counts (CORS open, ETag, short max-age)",
                    "parameters": [SLUG],
                    "responses": {
                        "200": {"description": "The counts", **_json("Campaign")},
                        "304": {"description": "Not modified (If-None-Match)"},
                        **_errors(404),
                    },
                }
            },
            "/representatives": {
                "get": {
                    "summary": "Members of Congress for a ZIP code",
                    "parameters": [
                        {"name": "zip", "in": "query", "required": True, "schema": _TEXT}
                    ],
                    "responses": {
                        "200": {"description": "The members", **_json("Representatives")},
                        **_errors(422, 429, 503),
                    },
                },
                "post": {
                    "summary": "Members of Congress for an address (in the body, not the URL)",
                    "requestBody": {"required": True, **_json("AddressRequest")},
                    "responses": {
                        "200": {"description": "The members", **_json("Representatives")},
                        **_errors(400, 415, 422, 429, 503),
                    },
                },
            },
            "/campaigns/{slug}/letters": {
                "post": {
                    "summary": "A letter to one member, drafted for a supporter",
                    "parameters": [SLUG],
                    "requestBody": {"required": True, **_json("LetterRequest")},
                    "responses": {
                        "200": {"description": "The letter", **_json("Letter")},
                        **_errors(400, 404, 415, 422, 429, 503),
                    },
                }
            },
            "/campaigns/{slug}/pledges": {
                "post": {
                    "summary": "Add a name to the pledge; a repeat email gets the same answer",
                    "parameters": [SLUG],
                    "requestBody": {"required": True, **_json("PledgeRequest")},
                    "responses": {
                        "202": {"description": "Accepted (new or repeat)", **_json("Pledge")},
                        **_errors(400, 404, 415, 422, 429, 503),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": ERROR,
                "Legislator": LEGISLATOR,
                "Seat": SEAT,
                "Representatives": REPRESENTATIVES,
                "Campaign": CAMPAIGN,
                "PledgeRequest": PLEDGE_REQUEST,
                "Pledge": PLEDGE_ACCEPTED,
                "AddressRequest": ADDRESS_REQUEST,
                "LetterRequest": LETTER_REQUEST,
                "Letter": LETTER,
            }
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    response = jsonify(document())
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response)

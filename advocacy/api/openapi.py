"""GET /api/v1/openapi.json: an OpenAPI 3.1 description of every JSON endpoint.

Written by hand, next to the views it describes; tests validate real answers against it.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.wrappers import Response

from advocacy.api import bp
from advocacy.api.forms import ONELINE_ADDRESS_MAX
from advocacy.congress.members import BIOGUIDE_PATTERN
from advocacy.congress.states import STATE_NAMES
from advocacy.models import CITY_MAX, EMAIL_MAX, NAME_MAX, NOTE_MAX, REF_MAX, STREET_MAX
from advocacy.pledges.forms import EMAIL_PATTERN
from advocacy.representatives.inputs import ZIP_PATTERN
from advocacy.web.caching import conditional
from advocacy.web.inputs import INVISIBLE, VISIBLE

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
                "geocoder_busy",
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
        "slug": {**_TEXT, "description": "The campaign's present short name."},
        "title": _TEXT,
        "goal": {"type": "integer"},
        "pledge_count": {"type": "integer"},
        "updated_at": {"type": "string", "format": "date-time"},
    },
}
# The server's own rules for what a request carries, so that a client built from this
# document sends what is accepted (issue 19). Text is cleaned before it is checked (NFC,
# control and invisible format characters removed, spaces collapsed), so a required text
# must hold a character that shows. Some rules need our data, which no schema can carry:
# a well-formed ZIP code that names no place we know (00000), or lies in another state
# than the one given, is a 422 naming the field, as is a bioguide ID of nobody sitting.
_SHOWN = (
    "Cleaned first: control and invisible format characters are removed (bar the "
    "zero-width non-joiner and joiner between letters of scripts that need them) and "
    "spaces collapsed; the length is counted after that."
)
# An optional field may also be null, or blank (spaces only): either counts as not sent.
_NULL = {"type": "null"}
_BLANK = {"type": "string", "pattern": "^\\s*$"}


def _text(max_length: int, *, required: bool = False, description: str = "") -> dict[str, Any]:
    rule: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if required:
        rule.update(minLength=1, pattern=VISIBLE)
    else:
        rule["type"] = ["string", "null"]
    rule["description"] = " ".join(part for part in (description, _SHOWN) if part)
    return rule


def _optional(rule: dict[str, Any]) -> dict[str, Any]:
    return {**rule, "anyOf": [*rule["anyOf"], _NULL, _BLANK]}


ZIP_RULE: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": ZIP_PATTERN.pattern},
        {"type": "integer", "minimum": 10000, "maximum": 99999},
    ],
    "description": "5 digits, or ZIP+4 (98105-1234); best as a string, since ZIP codes may "
    "start with 0. Must name a place we know, in the state given if one is (else 422).",
    "examples": ["98105"],
}
STATE_RULE = {
    "anyOf": [{"enum": list(STATE_NAMES)}, _NULL, _BLANK],
    "description": "A USPS state or territory code; with a ZIP code, they must agree. "
    "Null or blank: not given.",
}
EMAIL_RULE = {
    "type": "string",
    "format": "email",
    "maxLength": EMAIL_MAX,
    # The server's check, once cleaned: one @, something on each side, a dot in the domain.
    "pattern": EMAIL_PATTERN.replace("[^@\\s]", f"[^@{INVISIBLE}]"),
    "description": "The supporter's address; one pledge per address and campaign.",
}
NAME_RULE = _text(NAME_MAX, required=True, description="The supporter's name.")
PLEDGE_REQUEST = {
    "type": "object",
    "required": ["name", "email", "zip"],
    "properties": {
        "name": NAME_RULE,
        "email": EMAIL_RULE,
        "zip": ZIP_RULE,
        "street": _text(STREET_MAX, description="With it the look-up is exact."),
        "city": _text(CITY_MAX),
        "state": STATE_RULE,
        "note": _text(
            NOTE_MAX,
            description="The supporter's own words, for the letters; kept only with quote.",
        ),
        "consent": {
            "type": ["boolean", "null"],
            "description": "May the organizers contact them (null or absent: no). Only then "
            "are the name and email kept, sealed to the organization's public key; on a "
            "site with no such key configured, recorded as no.",
        },
        "quote": {
            "type": ["boolean", "null"],
            "description": "May the note be quoted, without the supporter's name, to their "
            "members' offices (null or absent: no). Only then is the note kept, apart from "
            "the pledge: a withdrawal cannot remove it.",
        },
        "ref": _text(REF_MAX, description="Partner attribution."),
    },
    "examples": [
        {"name": "Amina Tursun", "email": "amina@example.org", "zip": "98105", "consent": False}
    ],
}
PLEDGE_ACCEPTED = {
    "type": "object",
    "description": "The same for a new pledge and a repeat (same campaign and email, any "
    "case). The pledge counts once its owner confirms it from the email sent to the "
    "address; that email also holds the only withdraw link. Show the supporter the message.",
    "required": ["status", "message", "pledge_count", "representatives"],
    "additionalProperties": False,
    "properties": {
        "status": {"const": "accepted"},
        "message": _TEXT,
        "pledge_count": {
            "type": "integer",
            "description": "The campaign's confirmed pledges; this one is not among them "
            "until it is confirmed.",
        },
        "representatives": {"$ref": "#/components/schemas/Representatives"},
    },
}
ADDRESS_REQUEST = {
    "type": "object",
    # Something to look up: an address on one line, or at least a ZIP code or a state.
    "anyOf": [
        {"required": [name], "properties": {name: {"not": {"anyOf": [_NULL, _BLANK]}}}}
        for name in ("address", "zip", "state")
    ],
    "properties": {
        "address": {
            "anyOf": [_text(ONELINE_ADDRESS_MAX, required=True), _NULL, _BLANK],
            "description": f"On one line. {_SHOWN}",
        },
        "street": _text(STREET_MAX),
        "city": _text(CITY_MAX),
        "state": STATE_RULE,
        "zip": _optional(ZIP_RULE),
    },
    "examples": [{"address": "1600 Pennsylvania Ave NW, Washington, DC 20500"}, {"zip": "98105"}],
}
LETTER_REQUEST = {
    "type": "object",
    "required": ["bioguide", "name"],
    "properties": {
        "bioguide": {
            "type": "string",
            "pattern": BIOGUIDE_PATTERN.pattern,
            "description": "A sitting member's bioguide ID (else 404).",
            "examples": ["C000127"],
        },
        "name": NAME_RULE,
        "street": _text(
            STREET_MAX, description="Closes the letter, above the city; only as typed."
        ),
        "city": _text(CITY_MAX),
        "state": STATE_RULE,
        "zip": _optional(
            {
                **ZIP_RULE,
                "description": "5 digits, or ZIP+4 (the letter keeps 5). The letter and the "
                "call script close with the supporter's city, state and ZIP code, as offices "
                "sort constituent mail by them.",
            }
        ),
        "note": _text(NOTE_MAX),
    },
    "examples": [
        {"bioguide": "C000127", "name": "Amina Tursun", "city": "Seattle", "state": "WA"},
        {
            "bioguide": "C000127",
            "name": "Amina Tursun",
            "street": "123 Main St",
            "city": "Seattle",
            "state": "WA",
            "zip": "98101",
        },
    ],
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


ERROR_DESCRIPTIONS = {
    400: "The body is not a JSON object",
    404: "No such campaign (or, for a letter, no sitting member with that bioguide ID)",
    405: "Not a method this path takes (the Allow header lists those it does)",
    410: "The campaign has ended (its organizers closed it): it takes no more pledges or "
    "letters; its counts stay at GET /campaigns/{slug}",
    413: "The body is larger than the server takes (64 KiB by default)",
    415: "The body is not application/json",
    422: "A field is missing or wrong, or names no place we know: `fields` says which",
    429: "Too many requests from this client (Retry-After says when to try again)",
    503: "Data or database unavailable for a moment (Retry-After says when to try again)",
}


def _errors(*statuses: int) -> dict[str, Any]:
    return {
        str(s): {"description": ERROR_DESCRIPTIONS.get(s, "An error"), **_json("Error")}
        for s in statuses
    }


SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "examples": ["uyghur-policy-act"]},
    "description": (
        "The campaign's short name, as in /c/<slug> (else 404). A short name the campaign "
        "had before its organizers changed it gives the same answers as its present one "
        "(no redirect); the campaign's `slug` says which that is."
    ),
}


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
                        {
                            "name": "zip",
                            "in": "query",
                            "required": True,
                            "schema": {
                                "type": "string",
                                "pattern": ZIP_PATTERN.pattern,
                                "examples": ["98105"],
                            },
                        }
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
                        **_errors(400, 413, 415, 422, 429, 503),
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
                        **_errors(400, 404, 410, 413, 415, 422, 429, 503),
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
                        **_errors(400, 404, 410, 413, 415, 422, 429, 503),
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

"""Letters: the drafting API and the plain-text download of a (possibly edited) letter."""

from __future__ import annotations

import re
import unicodedata

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from advocacy.api import ApiError, data_unavailable, json_object, string_fields
from advocacy.campaigns.service import get_campaign
from advocacy.db import get_session
from advocacy.extensions import csrf, limiter, lookup_limit
from advocacy.letters.drafting import draft_letter
from advocacy.letters.page import supporter_from, today_in_washington
from advocacy.models import CITY_MAX, NAME_MAX, NOTE_MAX
from advocacy.pledges.visits import find_visit
from advocacy.representatives.service import RepresentativesUnavailableError, get_finder
from advocacy.representatives.states import STATE_NAMES
from advocacy.text import clean_line, clean_text

bp = Blueprint("letters", __name__)

# An edited letter may be longer than the note alone, but not without bound.
LETTER_MAX = 20_000
BIOGUIDE = re.compile(r"^[A-Z]\d{6}$")
LETTER_FIELDS = ("bioguide", "name", "city", "state", "note")


def _check_letter_fields(values: dict[str, str]) -> dict[str, str]:
    """Return the cleaned fields, or raise ApiError naming each problem."""
    cleaned = {
        "bioguide": clean_line(values.get("bioguide", "")).upper(),
        "name": clean_line(values.get("name", "")),
        "city": clean_line(values.get("city", "")),
        "state": clean_line(values.get("state", "")).upper(),
        "note": clean_text(values.get("note", "")),
    }
    problems: dict[str, str] = {}
    if not BIOGUIDE.match(cleaned["bioguide"]):
        problems["bioguide"] = "Give the member's bioguide ID, like C000127."
    if not cleaned["name"]:
        problems["name"] = "Please enter your name."
    elif len(cleaned["name"]) > NAME_MAX:
        problems["name"] = f"Please keep your name under {NAME_MAX} characters."
    if len(cleaned["city"]) > CITY_MAX:
        problems["city"] = f"Please keep the city under {CITY_MAX} characters."
    if cleaned["state"] and cleaned["state"] not in STATE_NAMES:
        problems["state"] = "Please give a US state or territory code, like WA."
    if len(cleaned["note"]) > NOTE_MAX:
        problems["note"] = f"Please keep this under {NOTE_MAX} characters."
    if problems:
        raise ApiError("Please correct the fields listed.", 422, problems)
    return cleaned


@bp.post("/api/v1/campaigns/<slug>/letters")
@csrf.exempt
@limiter.limit(lookup_limit)
def draft(slug: str) -> Response:
    """Draft a letter to one member; personal data travels in the body, not the URL."""
    campaign = get_campaign(get_session(), slug)
    if campaign is None:
        raise ApiError("No campaign has that name.", 404)
    payload = json_object()
    # string_fields() reads a number as text (a ZIP sent as 98105); none of these is one.
    wrong = {
        name: "Must be text."
        for name in LETTER_FIELDS
        if payload.get(name) is not None and not isinstance(payload[name], str)
    }
    if wrong:
        raise ApiError("Some fields have the wrong type.", 422, wrong)
    fields = _check_letter_fields(string_fields(payload, LETTER_FIELDS))
    try:
        member = get_finder().directory.get(fields["bioguide"])
    except RepresentativesUnavailableError as error:
        raise data_unavailable() from error
    if member is None:
        raise ApiError(
            "No sitting member of Congress has that bioguide ID.",
            404,
            {"bioguide": "No sitting member of Congress has that bioguide ID."},
        )
    letter = draft_letter(campaign.content, member, supporter_from(fields), today_in_washington())
    response = jsonify(to=letter.to, subject=letter.subject, body=letter.body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _filename(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "letter"


@bp.post("/c/<slug>/letters/download")
@limiter.limit(lookup_limit)
def download(slug: str) -> BaseResponse:
    """Send the letter as typed in the page, so the supporter's edits are kept."""
    campaign = get_campaign(get_session(), slug)
    if campaign is None:
        abort(404)
    if find_visit(get_session(), campaign, session.get("visit")) is None:
        return redirect(url_for("campaigns.page", slug=slug))
    body = request.form.get("body", "").replace("\r\n", "\n")
    if not body.strip() or len(body) > LETTER_MAX:
        return Response(
            "The letter is empty or too long to download. Go back to edit it.",
            400,
            mimetype="text/plain",
        )
    try:
        member = get_finder().directory.get(request.form.get("bioguide", ""))
    except RepresentativesUnavailableError:
        member = None
    name = f"letter-to-{member.title}-{member.last_name}" if member else "letter"
    response = Response(body.rstrip() + "\n", mimetype="text/plain")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(name)}.txt"'
    response.headers["Cache-Control"] = "no-store"
    return response

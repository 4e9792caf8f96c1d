"""POST /api/v1/campaigns/<slug>/letters: a letter to one member, drafted for a supporter."""

from __future__ import annotations

from flask import Response, jsonify

from advocacy.api import bp
from advocacy.api.body import json_object, string_fields, validated_form
from advocacy.api.errors import ApiError, data_unavailable
from advocacy.campaigns.content import content_of
from advocacy.campaigns.service import campaign_or_404
from advocacy.db import get_session
from advocacy.letters.drafting import draft_letter
from advocacy.letters.forms import LetterForm
from advocacy.letters.page import today_in_washington
from advocacy.representatives.service import get_directory
from advocacy.web.extensions import lookup_limited

FIELDS = ("bioguide", "name", "street", "city", "state", "zip", "note")


# POST: personal data travels in the body, never in the URL or the access log.
@bp.post("/campaigns/<slug>/letters")
@lookup_limited
def draft(slug: str) -> Response:
    campaign = campaign_or_404(get_session(), slug)
    form = validated_form(LetterForm, string_fields(json_object(), FIELDS, numbers=("zip",)))
    directory = get_directory()
    if directory is None:
        raise data_unavailable()
    member = directory.get(form.bioguide.data)
    if member is None:
        message = "No sitting member of Congress has that bioguide ID."
        raise ApiError(message, 404, {"bioguide": message})
    letter = draft_letter(content_of(campaign), member, form.supporter(), today_in_washington())
    response = jsonify(to=letter.to, subject=letter.subject, body=letter.body)
    response.headers["Cache-Control"] = "no-store"
    return response

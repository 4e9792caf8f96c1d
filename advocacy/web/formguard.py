"""Bot defence for HTML forms that needs no cookie: a signed start time and a honeypot.

The widget's cross-site form gets no cookies in browsers that block third-party
cookies, so the fill-time check travels in a hidden field signed with the secret key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "advocacy.form-started"


@dataclass(frozen=True)
class GuardVerdict:
    ok: bool
    message: str = ""


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def issue_token(secret_key: str, form_name: str) -> str:
    """Return a signed token recording when a form was served."""
    return _serializer(secret_key).dumps({"form": form_name, "at": time.time()})


def check_submission(
    secret_key: str,
    form_name: str,
    token: str,
    honeypot: str,
    *,
    min_seconds: float,
    max_age_seconds: int,
) -> GuardVerdict:
    """Tell whether a submission looks like a person filling in the form we served."""
    if honeypot.strip():
        return GuardVerdict(False, "We could not accept this submission. Please try again.")
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        return GuardVerdict(
            False, "This form was open for a long time. Please check it and send it again."
        )
    except BadSignature:
        return GuardVerdict(False, "Please check the form and send it again.")
    if not isinstance(data, dict) or data.get("form") != form_name:
        return GuardVerdict(False, "Please check the form and send it again.")
    started = data.get("at")
    if not isinstance(started, int | float) or time.time() - started < min_seconds:
        return GuardVerdict(
            False, "That was quicker than we expected. Please check the form and send it again."
        )
    return GuardVerdict(True)

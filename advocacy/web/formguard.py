"""Bot defence for HTML forms that needs no cookie: a signed start time and a honeypot.

The widget's cross-site form gets no cookies in browsers that block third-party
cookies, so the fill-time check travels in a hidden field signed with the secret key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

SALT = "advocacy.form-started"

REFUSED = "We could not accept this submission. Please try again."
RESEND = "Please check the form and send it again."
TOO_OLD = "This form was open for a long time. Please check it and send it again."
TOO_QUICK = "That was quicker than we expected. Please check the form and send it again."


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
        return GuardVerdict(False, REFUSED)
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        return GuardVerdict(False, TOO_OLD)
    except BadSignature:
        return GuardVerdict(False, RESEND)
    if not isinstance(data, dict) or data.get("form") != form_name:
        return GuardVerdict(False, RESEND)
    return _fill_time(data.get("at"), time.time(), min_seconds)


def issue_bound_token(secret_key: str, salt: str, bound_to: str, issued_at: int) -> str:
    """Return a signed token binding a form to one subject and the issue time given.

    Unlike issue_token, the same subject and time always give the same token, so a page
    carrying it can be cached: the caller chooses how coarse issued_at is.
    """
    return URLSafeSerializer(secret_key, salt=salt).dumps({"for": bound_to, "at": issued_at})


def check_bound_submission(
    secret_key: str,
    salt: str,
    bound_to: str,
    token: str,
    honeypot: str,
    *,
    min_seconds: float,
    max_age_seconds: int,
    now: float | None = None,
) -> GuardVerdict:
    """Tell whether a submission carries a recent token issued for this subject, unhurried."""
    if honeypot.strip():
        return GuardVerdict(False, REFUSED)
    try:
        data = URLSafeSerializer(secret_key, salt=salt).loads(token)
    except BadSignature:
        return GuardVerdict(False, RESEND)
    # A token issued for another subject (another campaign's widget) is no token here.
    if not isinstance(data, dict) or data.get("for") != bound_to:
        return GuardVerdict(False, RESEND)
    issued = data.get("at")
    current = time.time() if now is None else now
    if isinstance(issued, int | float) and current - issued > max_age_seconds:
        return GuardVerdict(False, TOO_OLD)
    return _fill_time(issued, current, min_seconds)


def _fill_time(started: Any, now: float, min_seconds: float) -> GuardVerdict:
    if not isinstance(started, int | float) or now - started < min_seconds:
        return GuardVerdict(False, TOO_QUICK)
    return GuardVerdict(True)
